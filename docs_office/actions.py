"""One entry for the flow's steps, shared by the pages and the API: turns submitted ids into objects of
the user's own agency and calls the service. No rules here beyond "that id is not yours"."""

from django.utils.translation import gettext as _

from docs_office.models import Division, IncomingDocument, OutgoingDocument
from egov.core.errors import ApplicationError

INCOMING_ACTIONS = ("accept", "return", "assign", "opinion", "close")
OUTGOING_ACTIONS = ("submit", "head_approve", "leader_approve", "return", "version", "sign", "issue", "recall",
                    "send_more", "change_signer")


def _unknown() -> ApplicationError:
    return ApplicationError("unknown_action", _("Thao tác không hợp lệ."), status=404)


def _absent(pk) -> bool:
    """No id given (a field left empty). An id of 0 is given, and names no one: refused, not read as "nobody"."""
    return pk is None or pk == ""


def _colleague(user, pk, *, field: str):
    """`field` names the input the id came from (readers, assignments), so the error points at it."""
    from egov.accounts.models import User

    if _absent(pk):
        return None
    found = User.objects.filter(pk=pk, agency_id=user.agency_id, is_active=True).first()
    if found is None:
        raise ApplicationError("invalid_user", _("Không có cán bộ này trong cơ quan."),
                               fields={field: [_("Cán bộ không hợp lệ.")]})
    return found


def _division(user, pk, *, field: str):
    if _absent(pk):
        return None
    found = Division.objects.filter(pk=pk, agency_id=user.agency_id).first()
    if found is None:
        raise ApplicationError("invalid_division", _("Không có phòng, ban này trong cơ quan."),
                               fields={field: [_("Phòng, ban không hợp lệ.")]})
    return found


def incoming_action_run(*, user, document: IncomingDocument, action: str, data: dict) -> IncomingDocument:
    from docs_office.services import incoming as svc

    if action == "accept":
        return svc.incoming_accept(clerk=user, document=document, confirm_duplicate=data.get("confirm_duplicate", False))
    if action == "return":
        return svc.incoming_return(clerk=user, document=document, reason=data.get("reason", ""))
    if action == "assign":
        items = [svc.AssignmentData(role=a["role"], user=_colleague(user, a.get("user"), field="assignments"),
                                    division=_division(user, a.get("division"), field="assignments"),
                                    deadline=a.get("deadline"),
                                    instruction=a.get("instruction", ""))
                 for a in data.get("assignments", [])]
        return svc.incoming_assign(leader=user, document=document, assignments=items)
    if action == "opinion":
        svc.incoming_opinion_add(user=user, document=document, text=data.get("text", ""), progress=data.get("progress"))
        return document
    if action == "close":
        answered_by = None
        if data.get("answered_by"):
            from docs_office.selectors import outgoing_visible_to

            # Only an outgoing document the closing user may see: a secret one stays with its readers.
            answered_by = outgoing_visible_to(user=user).filter(pk=data["answered_by"]).first()
            if answered_by is None:
                raise ApplicationError("invalid_answer", _("Không có văn bản đi này."),
                                       fields={"answered_by": [_("Không hợp lệ.")]})
        return svc.incoming_close(user=user, document=document, result=data.get("result", ""), answered_by=answered_by)
    raise _unknown()


def outgoing_action_run(*, user, document: OutgoingDocument, action: str, data: dict) -> OutgoingDocument:
    from docs_office.services import outgoing as svc
    from docs_office.services.certificates import signing_certificate_for

    if action in svc.REVIEW_ACTIONS:
        return svc.outgoing_review(user=user, document=document, action=action, note=data.get("note", ""))
    if action == "version":
        if data.get("composition") and not data.get("file"):
            # A composed draft edited (the API's "composition", the page's "Sửa nội dung"): a new composed version.
            from docs_office.pdf.compose import Composition

            svc.outgoing_version_add(user=user, document=document, composition=Composition(**data["composition"]),
                                     note=data.get("note", ""))
            return document
        if not data.get("file"):
            raise ApplicationError("file_required", _("Cần tệp dự thảo (DOCX hoặc PDF)."),
                                   fields={"file": [_("Bắt buộc.")]})
        svc.outgoing_version_add(user=user, document=document, upload=data["file"], note=data.get("note", ""))
        return document
    if action == "sign":
        return svc.outgoing_sign_request(leader=user, document=document,
                                         certificate=signing_certificate_for(user=user, organisation=False))
    if action == "issue":
        return svc.outgoing_issue(clerk=user, document=document,
                                  certificate=signing_certificate_for(user=user, organisation=True))
    if action == "recall":
        return svc.outgoing_recall(user=user, document=document, reason=data.get("reason", ""))
    if action == "change_signer":
        return svc.outgoing_signer_change(user=user, document=document, reason=data.get("reason", ""))
    if action == "send_more":
        svc.outgoing_send_more(clerk=user, document=document, agencies=_agencies(data.get("agencies") or []))
        return document
    raise _unknown()


def _agencies(codes) -> list:
    """The agencies of the system named by their exchange codes (000.00.00.H41); an unknown code is refused."""
    from egov.agencies.models import Agency

    codes = {str(code).strip() for code in codes if str(code).strip()}
    found = list(Agency.objects.filter(exchange_code__in=codes).order_by("name"))
    if len(found) != len(codes):
        raise ApplicationError("invalid_agency", _("Có mã định danh cơ quan nhận không tồn tại."),
                               fields={"agencies": [_("Không tồn tại.")]})
    return found
