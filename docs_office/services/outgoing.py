"""Outgoing documents (văn bản đi): draft and versions, review chain, the leader's signature, issue."""

import dataclasses
import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from docs_office.constants import Confidentiality, OutgoingState, Urgency
from docs_office.models import Division, OutgoingDocument, OutgoingEvent, OutgoingVersion
from docs_office.services.common import checked_upload, reason_required, require, same_agency
from docs_office.services.registers import format_number, register_number_allocate, register_outgoing_for, symbol_compose
from egov.accounts.roles import Role
from egov.audit.services import legal_event_record
from egov.core.errors import ApplicationError
from egov.core.language import portal_language
from egov.core.text import fold_vietnamese, xml_safe
from egov.core.uploads import DOCX, PDF

S = OutgoingState
DRAFT_TYPES = (PDF, DOCX)
LEADER_FIELD, SEAL_FIELD = "LanhDaoKy", "VanThuDongDau"
LEADER_CALLBACK, AGENCY_CALLBACK = "docs_office.outgoing_leader_signed", "docs_office.outgoing_agency_signed"
ATTACHMENT_CALLBACK = "docs_office.outgoing_attachment_signed"

# Who takes each review step (the reviewer must belong to the issuing agency).
REVIEW_ACTIONS: dict[str, tuple[str, set[str]]] = {
    "submit": ("submit", {Role.SPECIALIST, Role.HEAD_OF_DIVISION}),
    "head_approve": ("head_approve", {Role.HEAD_OF_DIVISION}),
    "leader_approve": ("leader_approve", {Role.LEADER}),
    "return": ("return_draft", {Role.HEAD_OF_DIVISION, Role.LEADER}),
}
ACTION_LABELS = {
    "submit": gettext_lazy("trình duyệt"), "head_approve": gettext_lazy("duyệt (lãnh đạo phòng)"),
    "leader_approve": gettext_lazy("duyệt (lãnh đạo cơ quan)"), "return": gettext_lazy("trả lại dự thảo"),
    "sign": gettext_lazy("ký số"), "issue": gettext_lazy("cấp số và phát hành"), "recall": gettext_lazy("thu hồi"),
    "version": gettext_lazy("cập nhật dự thảo"),
    "change_signer": gettext_lazy("chuyển lãnh đạo khác ký"),
}


def _event(document: OutgoingDocument, *, action: str, from_state: str, actor, note: str = "") -> None:
    OutgoingEvent.objects.create(document=document, action=action, from_state=from_state, to_state=document.state,
                                 actor=actor, at=timezone.now(), note=note)


def _locked(document: OutgoingDocument) -> OutgoingDocument:
    return OutgoingDocument.objects.select_for_update(of=("self",)).select_related("agency", "document_type",
                                                                                  "division").get(pk=document.pk)


def _check_transition(document: OutgoingDocument, action: str, method) -> None:
    if not method._django_fsm.has_transition(document.state):
        raise ApplicationError(
            "invalid_transition",
            _("Không thể %(a)s văn bản đang ở trạng thái “%(s)s”.") % {"a": ACTION_LABELS[action],
                                                                      "s": document.get_state_display()},
            status=409)


def _add_version(document: OutgoingDocument, *, upload, user, note: str = "") -> OutgoingVersion:
    content_type = checked_upload(upload, allowed=DRAFT_TYPES)
    last = document.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = OutgoingVersion(document=document, number=last + 1, content_type=content_type, uploaded_by=user,
                              note=note.strip())
    version.file.save(upload.name, upload, save=False)
    version.save()
    return version


def _compose_version(document: OutgoingDocument, *, composition, user, note: str = "") -> OutgoingVersion:
    """Render the draft in the Decree 30 layout; the version keeps where its signature block is."""
    from docs_office.pdf.compose import compose_pdf, head_title_of, signer_competence

    if not (composition.body or "").strip() or not (composition.signer_name or "").strip():
        raise ApplicationError("incomplete", _("Cần nội dung văn bản và họ tên người ký."),
                               fields={k: [_("Bắt buộc.")] for k in ("body", "signer_name")
                                       if not (getattr(composition, k) or "").strip()})
    if composition.signer_prefix in ("KT.", "TL.", "TUQ.") and not head_title_of(composition):
        # The block would read "KT. / PHÓ GIÁM ĐỐC": the head's title cannot be guessed for TL. and TUQ.
        raise ApplicationError("incomplete", _("Cần chức vụ của người đứng đầu mà người ký ký thay, thừa lệnh hoặc thừa "
                                               "ủy quyền (ví dụ: GIÁM ĐỐC)."), fields={"head_title": [_("Bắt buộc.")]})
    symbol = symbol_compose(document_type=document.document_type, agency=document.agency, division=document.division)
    pdf, box, issue_fields = compose_pdf(agency=document.agency, document_type=document.document_type, symbol=symbol,
                                         summary=document.summary, composition=composition)
    last = document.versions.order_by("-number").values_list("number", flat=True).first() or 0
    with portal_language():  # the version's note, read later in either language
        system_note = _("Soạn trên hệ thống")
    version = OutgoingVersion(document=document, number=last + 1, content_type=PDF, uploaded_by=user,
                              note=note.strip() or system_note, signature_box=box,
                              issue_fields=issue_fields or None,
                              signer_competence=signer_competence(composition, agency_name=document.agency.name),
                              signer_position=" ".join((composition.signer_title or "").split())[:150],
                              signer_name=" ".join((composition.signer_name or "").split())[:150],
                              composition=dataclasses.asdict(composition))
    version.file.save(f"du-thao-{document.pk}-v{last + 1}.pdf", ContentFile(pdf), save=False)
    version.save()
    return version


@transaction.atomic
def outgoing_create(*, drafter, document_type, summary: str, upload=None, composition=None, division=None,
                    urgency: str = Urgency.NORMAL, confidentiality: str = Confidentiality.NORMAL, answers=None,
                    recipient_agencies=(), recipients_text: str = "", readers=(), reply_due_on=None,
                    attachments=()) -> OutgoingDocument:
    """A specialist (or head of division) starts a draft with its first version: an uploaded file, or a
    composition rendered in the Decree 30 layout; `attachments`: its appendix PDFs."""
    from docs_office.services.attachments import outgoing_attachments_check, outgoing_attachments_store

    require(bool(drafter.role_names() & {Role.SPECIALIST, Role.HEAD_OF_DIVISION}) and drafter.agency_id is not None,
            _("Chỉ chuyên viên hoặc lãnh đạo phòng được soạn thảo văn bản đi."))
    if not (summary or "").strip():
        raise ApplicationError("incomplete", _("Cần nhập trích yếu."), fields={"summary": [_("Bắt buộc.")]})
    if upload is None and composition is None:
        raise ApplicationError("file_required", _("Cần tệp dự thảo (DOCX hoặc PDF) hoặc nội dung soạn trên hệ thống."),
                               fields={"file": [_("Bắt buộc.")]})
    if division is not None and division.agency_id != drafter.agency_id:
        raise ApplicationError("other_agency", _("Đơn vị soạn thảo phải thuộc cơ quan."), fields={"division": [""]})
    recipients = [a for a in recipient_agencies if a.pk != drafter.agency_id]
    if confidentiality != Confidentiality.NORMAL and recipients:
        raise ApplicationError("secret_not_exchanged",
                               _("Văn bản mật không được gửi liên thông điện tử; gửi bản giấy theo quy định."),
                               fields={"recipient_agencies": [_("Không gửi điện tử văn bản mật.")]})
    if answers is not None and answers.agency_id != drafter.agency_id:
        raise ApplicationError("other_agency", _("Văn bản được trả lời phải là văn bản đến của cơ quan."))
    if answers is not None:
        from docs_office.selectors import incoming_visible_to

        # Only a document the drafter may read: the draft names it (page, API, edXML), so a secret one the drafter
        # is not a reader of would leak its number and issuer through the answer.
        if not incoming_visible_to(user=drafter).filter(pk=answers.pk).exists():
            raise ApplicationError("invalid_answer", _("Không có văn bản đến này."), fields={"answers": [_("Không hợp lệ.")]})
    if reply_due_on is not None and reply_due_on < timezone.localdate():
        message = _("Hạn trả lời không thể ở quá khứ.")
        raise ApplicationError("invalid_deadline", message, fields={"reply_due_on": [message]})
    if confidentiality != Confidentiality.NORMAL:
        _secret_reviewers_check(drafter=drafter, division=division, readers=readers)
    appendices = outgoing_attachments_check([a for a in attachments if a is not None])
    document = OutgoingDocument.objects.create(
        agency=drafter.agency, division=division, document_type=document_type, summary=xml_safe(summary).strip(),
        summary_folded=fold_vietnamese(xml_safe(summary)), urgency=urgency, confidentiality=confidentiality, drafter=drafter,
        answers=answers, recipients_text=xml_safe(recipients_text).strip(), reply_due_on=reply_due_on,
    )
    document.recipient_agencies.set(recipients)
    if confidentiality != Confidentiality.NORMAL:
        document.readers.set({*readers, drafter})
    if upload is not None:
        _add_version(document, upload=upload, user=drafter)
    else:
        _compose_version(document, composition=composition, user=drafter)
    outgoing_attachments_store(document=document, contents=appendices, user=drafter)
    _event(document, action="create", from_state="", actor=drafter)
    return document


def _secret_reviewers_check(*, drafter, division, readers) -> None:
    """A secret draft is seen only by its readers (and its drafter), and the readers cannot be changed later: among
    them must be a head of the drafting unit (heads_drafting_unit: the one who may approve it), a leader and a
    records clerk of the agency, or the draft stops at the first step nobody can see (found by review: one with no
    head among its readers stayed in "chờ lãnh đạo phòng duyệt" for ever)."""
    people = [p for p in {*readers, drafter} if p.is_active and p.agency_id == drafter.agency_id]
    draft = OutgoingDocument(agency_id=drafter.agency_id, division=division, drafter=drafter)
    missing = []
    if not any(heads_drafting_unit(p, draft) for p in people):
        missing.append(_("lãnh đạo phòng của đơn vị soạn thảo") if division is not None or Division.objects.filter(
            agency_id=drafter.agency_id, members=drafter).exists() else _("lãnh đạo phòng"))
    if not any(p.has_role(Role.LEADER) for p in people):
        missing.append(_("lãnh đạo cơ quan"))
    if not any(p.has_role(Role.RECORDS_CLERK) for p in people):
        missing.append(_("văn thư"))
    if missing:
        message = _("Văn bản mật chỉ người có tên được xem: cần ghi tên người duyệt, ký và phát hành văn bản. "
                    "Còn thiếu: %(m)s.") % {"m": ", ".join(missing)}
        raise ApplicationError("readers_incomplete", message, fields={"readers": [message]})


def _may_read(user, document: OutgoingDocument) -> bool:
    """A secret draft is seen, reviewed, signed and issued only by the people named on it."""
    return not document.is_secret or document.readers.filter(pk=user.pk).exists()


def heads_drafting_unit(user, document: OutgoingDocument) -> bool:
    """Whether `user` heads the unit a draft comes from, whose head reviews it (selectors.outgoing_to_act_on holds
    the same rule in SQL): a member of the draft's division; for a draft without one, of a division of its
    drafter; and when the drafter belongs to no division, any head of the agency, or nobody could review it."""
    if not user.has_role(Role.HEAD_OF_DIVISION):
        return False
    if document.division_id is not None:
        return Division.members.through.objects.filter(division_id=document.division_id, user_id=user.pk).exists()
    units = Division.objects.filter(agency_id=document.agency_id, members=document.drafter_id)
    return not units.exists() or units.filter(members=user.pk).exists()


def _reviewer_of_state(user, document: OutgoingDocument) -> bool:
    if not same_agency(user, document.agency_id) or not _may_read(user, document):
        return False
    if document.state == S.HEAD_REVIEW:
        return heads_drafting_unit(user, document)
    return {S.DRAFT: user.pk == document.drafter_id,
            S.LEADER_REVIEW: user.has_role(Role.LEADER)}.get(document.state, False)


@transaction.atomic
def outgoing_version_add(*, user, document: OutgoingDocument, upload=None, composition=None,
                         note: str = "") -> OutgoingVersion:
    """A new version (a file, or a new composition): by the drafter while drafting, or by the reviewer who
    holds it now."""
    document = _locked(document)
    require(_reviewer_of_state(user, document), _("Bạn không được sửa dự thảo ở bước này."))
    if upload is not None:
        version = _add_version(document, upload=upload, user=user, note=note)
    elif composition is not None:
        composition = _with_document_recipients(document, composition)
        version = _compose_version(document, composition=composition, user=user, note=note)
    else:
        raise ApplicationError("file_required", _("Cần tệp dự thảo (DOCX hoặc PDF)."), fields={"file": [_("Bắt buộc.")]})
    with portal_language():  # the record's note, read later in either language
        note = _("Phiên bản %(n)s. %(t)s") % {"n": version.number, "t": note.strip()}
    _event(document, action="version", from_state=document.state, actor=user, note=note)
    return version


def _with_document_recipients(document: OutgoingDocument, composition):
    """A new composition of a draft lists the draft's recipients (its agencies of the system and the others typed
    when it was created, which a version does not change) and any more it names itself."""
    from docs_office.recipients import composition_recipients

    recipients = composition_recipients(agencies=document.recipient_agencies.all(), text=document.recipients_text,
                                        listed=composition.recipients)
    return dataclasses.replace(composition, recipients=recipients)


def outgoing_composition_of(version: OutgoingVersion | None):
    """The composition a composed version was rendered from, to edit it into a new version ("Sửa nội dung"); None
    for an uploaded file. A version composed before compositions were kept gives its signer block only."""
    from docs_office.pdf.compose import Composition

    if version is None or version.signature_box is None and not version.composition:
        return None
    if version.composition:
        known = {f.name for f in dataclasses.fields(Composition)}
        return Composition(**{k: v for k, v in version.composition.items() if k in known})
    return Composition(body="", place="", signer_title=version.signer_position, signer_name=version.signer_name)


@transaction.atomic
def outgoing_review(*, user, document: OutgoingDocument, action: str, note: str = "") -> OutgoingDocument:
    """One step of the review chain: specialist → head of division → leader; a reviewer may return it."""
    if action not in REVIEW_ACTIONS:
        raise ApplicationError("unknown_action", _("Thao tác không hợp lệ."), status=404)
    document = _locked(document)
    method_name, roles = REVIEW_ACTIONS[action]
    method = getattr(document, method_name)
    _check_transition(document, action, method)
    allowed = same_agency(user, document.agency_id) and bool(user.role_names() & {str(r) for r in roles}) \
        and _may_read(user, document)
    if action == "submit":
        allowed = allowed and user.pk == document.drafter_id
    if action == "head_approve":
        # Only the head of the drafting unit: a head of another division sees the draft but does not approve it.
        allowed = allowed and _reviewer_of_state(user, document)
    if action == "return":
        allowed = allowed and _reviewer_of_state(user, document) or (
            document.state == S.APPROVED and user.pk == document.signer_id)
    require(allowed, _("Bạn không có quyền %(a)s văn bản này.") % {"a": ACTION_LABELS[action]})
    if action == "return":
        note = reason_required(note)
    from_state = document.state
    if action == "leader_approve":
        method(signer=user)
    else:
        method()
    document.save(update_fields=["state", "signer"])
    _event(document, action=action, from_state=from_state, actor=user, note=note.strip())
    if action == "return":
        from egov.notifications.services import recipient_language

        with recipient_language():  # the drafter's message, whatever the returning leader's language
            _notify(document.drafter, _("Dự thảo bị trả lại: %(s)s") % {"s": document.summary[:80]}, note,
                    link=reverse("docs_office:outgoing_detail", args=[document.pk]))
    return document


def _notify(user, subject: str, text: str, *, link: str = "") -> None:
    from egov.notifications.models import Channel
    from egov.notifications.services import notification_send

    notification_send(template="message", channel=Channel.IN_APP, recipient=user,
                      payload={"subject": subject, "text": text, "link": link})


def outgoing_current_version(document: OutgoingDocument) -> OutgoingVersion | None:
    return document.versions.order_by("-number").first()


def outgoing_leader_signed_pdf(document: OutgoingDocument):
    """The PDF the leader signed, while it waits for its number and the agency's signature (signed, issuing): what
    the records clerk checks before issuing — the newest draft version is the unsigned one. None otherwise."""
    request = document.leader_signature if document.state in (S.SIGNED, S.ISSUING) else None
    return request.signed_pdf if request is not None and request.signed_pdf else None


def _pdf_prepare(pdf: bytes, signature_box: list | None = None, issue_fields: dict | None = None) -> tuple[bytes, int]:
    """Add the leader's and the seal's empty fields (Decree 30, appendix I), and for a composed version the empty
    text fields of the number and the date of issue, filled at issue: all before the first signature, since
    filling a field afterwards keeps the signatures valid and adding one would not.

    A composed version knows its signature block; an uploaded PDF does not, and its fields go at the
    usual place, the lower right of the last page, above the bottom margin (its number shows in the seal's stamp).
    """
    from pyhanko.pdf_utils.reader import PdfFileReader

    from signatures.services import TextFieldSpec, decree30_boxes, pdf_add_signature_fields

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        pages = int(reader.root["/Pages"]["/Count"])
        page_ref, _resources = reader.find_page_for_modification(pages - 1)
        box = page_ref.get_object().get("/MediaBox") or [0, 0, 595, 842]
        width = float(box[2]) - float(box[0])
    except Exception:  # any parse failure of an uploaded file is the drafter's to fix, not a 500
        raise ApplicationError("invalid_pdf", _("Không đọc được tệp PDF của dự thảo.")) from None
    page, leader_box = pages - 1, (width - 57 - 170, 150.0, width - 57, 225.0)
    if signature_box:
        page, leader_box = signature_box[0], tuple(signature_box[1:])
    text_fields = [TextFieldSpec(name=name, page=spec[0], box=tuple(spec[1:5]), align=spec[5], italic=spec[6])
                   for name, spec in (issue_fields or {}).items()]
    return pdf_add_signature_fields(pdf, decree30_boxes(page=page, leader_box=leader_box, leader_field=LEADER_FIELD,
                                                        seal_field=SEAL_FIELD), text_fields=text_fields), pages


@transaction.atomic
def outgoing_sign_request(*, leader, document: OutgoingDocument, certificate) -> OutgoingDocument:
    """The approving leader asks to sign the current PDF with their personal certificate; the signing itself
    is confirmed with a one-time code in the signatures app and ends in `outgoing_leader_signed`."""
    from signatures.constants import SignatureRole
    from signatures.services import signature_request_create

    document = _locked(document)
    _check_transition(document, "sign", document.sign)
    require(leader.pk == document.signer_id and _may_read(leader, document),
            _("Chỉ lãnh đạo đã duyệt văn bản được ký văn bản này."))
    version = outgoing_current_version(document)
    if version is None or version.content_type != PDF:
        raise ApplicationError("pdf_required", _("Cần phiên bản PDF cuối cùng của văn bản để ký số."), status=409)
    _check_named_signer(leader, version)
    with version.file.open("rb") as handle:
        prepared, pages = _pdf_prepare(handle.read(), version.signature_box, version.issue_fields)
    request = signature_request_create(
        pdf=prepared, certificate=certificate, signer=leader, role=SignatureRole.APPROVAL, field_name=LEADER_FIELD,
        title=f"{document.document_type.name}: {document.summary[:200]}", target=document, callback=LEADER_CALLBACK,
        requested_by=leader)
    document.sign(request=request)
    document.page_count = pages
    document.save(update_fields=["state", "leader_signature", "page_count"])
    _event(document, action="sign", from_state=S.APPROVED, actor=leader)
    return document


def _check_named_signer(leader, version: OutgoingVersion) -> None:
    """Decree 30 (appendix I): the signer block names the person who signs, so a composed draft is signed only by the
    leader it names. The block stays free text typed by the drafter rather than a pick from the agency's leaders: the
    drafter writes it by the agency's rules of delegation (quy chế làm việc) before any leader has seen the draft, it
    may name a leader without an account yet, and a pick would still not stop another leader approving and signing —
    so the check belongs here, the one step where the signing person is known. Names compare folded (diacritics,
    case and spacing typed differently are the same person). An uploaded file's block is not read: nothing to check."""
    named = version.signer_name
    if named and fold_vietnamese(named) != fold_vietnamese(leader.full_name):
        raise ApplicationError(
            "signer_mismatch",
            _("Khối chữ ký của dự thảo ghi người ký là %(named)s, không phải %(leader)s. Người soạn thảo cần sửa khối "
              "chữ ký (trả lại dự thảo), hoặc lãnh đạo %(named)s duyệt và ký văn bản.")
            % {"named": named, "leader": leader.full_name}, status=409)


def outgoing_leader_signed(request) -> None:
    """Signature callback (runs in the signing transaction): the leader's signature is done, failed or withdrawn."""
    from signatures.constants import SignatureState

    document = OutgoingDocument.objects.select_for_update(of=("self",)).filter(leader_signature=request).first()
    if document is None:
        return
    if request.state == SignatureState.WITHDRAWN:
        # Withdrawn unsigned (by the leader, or by the agency once the leader lost the authority): back to the leaders,
        # whoever is now there; a failed request left the document approved, a pending one signing.
        # An older request (a draft returned, then approved by another leader) no longer holds the document.
        if document.state in (S.SIGNING, S.APPROVED) and document.signer_id == request.signer_id:
            from_state = document.state
            document.signer_release()
            document.save(update_fields=["state", "signer"])
            _event(document, action="change_signer", from_state=from_state, actor=request.withdrawn_by,
                   note=request.withdraw_reason)
        return
    if document.state != S.SIGNING:
        return
    if request.state == SignatureState.SIGNED:
        document.signed()
        document.save(update_fields=["state"])
        _event(document, action="signed", from_state=S.SIGNING, actor=request.signer)
    else:
        document.signing_failed()
        document.save(update_fields=["state"])
        _event(document, action="sign_failed", from_state=S.SIGNING, actor=request.signer, note=request.error)


def outgoing_signer_entitled(document: OutgoingDocument) -> bool:
    """Whether the leader who approved the document (approved or signing) may still sign it: the signatures app's own
    check, on the pending request when there is one. A request being signed now counts as entitled: it ends signed or
    failed (failed, the document is approved again and this answers anew)."""
    from signatures.constants import SignatureState
    from signatures.services import approval_signer_entitled, signature_request_signer_entitled

    request = document.leader_signature if document.state == S.SIGNING else None
    if request is not None:
        if request.state != SignatureState.PENDING:
            return True
        # The request's signer is the approving leader (outgoing_sign_request): already loaded with the document.
        signer = document.signer if document.signer_id == request.signer_id else None
        return signature_request_signer_entitled(request=request, signer=signer)
    return approval_signer_entitled(signer=document.signer, agency_id=document.agency_id)


SIGNER_CHANGE_ROLES = frozenset({Role.LEADER, Role.RECORDS_CLERK})


def _may_change_signer(user, document: OutgoingDocument) -> bool:
    return (document.state in (S.APPROVED, S.SIGNING) and same_agency(user, document.agency_id)
            and bool(user.role_names() & {str(r) for r in SIGNER_CHANGE_ROLES}) and _may_read(user, document)
            and user.pk != document.signer_id and not outgoing_signer_entitled(document))


@transaction.atomic
def outgoing_signer_change(*, user, document: OutgoingDocument, reason: str) -> OutgoingDocument:
    """"Chuyển lãnh đạo khác ký": the leader who approved the document can no longer sign it (moved to another agency,
    no longer a leader, account locked), so nobody could: a leader or the records clerk of the agency sends it back to
    the leaders' review, with the reason; another leader approves and signs. A pending signature request is withdrawn
    through the signatures app, whose callback (`outgoing_leader_signed`) moves the document."""
    from signatures.constants import SignatureState
    from signatures.models import SignatureRequest
    from signatures.services import signature_request_withdraw

    # The leader's request first, then the document: the order in which signing takes them (the request, then in its
    # callback the document); the other order could deadlock with a signing under way (found in review).
    pending = OutgoingDocument.objects.filter(pk=document.pk).values_list("leader_signature_id", flat=True).first()
    if pending is not None:
        list(SignatureRequest.objects.select_for_update().filter(pk=pending))
    document = _locked(document)
    if document.state not in (S.APPROVED, S.SIGNING):
        raise ApplicationError(
            "invalid_transition", _("Không thể %(a)s văn bản đang ở trạng thái “%(s)s”.") % {
                "a": ACTION_LABELS["change_signer"], "s": document.get_state_display()}, status=409)
    require(same_agency(user, document.agency_id) and bool(user.role_names() & {str(r) for r in SIGNER_CHANGE_ROLES})
            and _may_read(user, document),
            _("Chỉ lãnh đạo hoặc văn thư của cơ quan được chuyển văn bản cho lãnh đạo khác ký."))
    if outgoing_signer_entitled(document):
        raise ApplicationError("signer_entitled", _("Lãnh đạo đã duyệt vẫn còn thẩm quyền ký văn bản này: lãnh đạo đó ký "
                                                    "hoặc trả lại dự thảo."), status=409)
    reason = reason_required(reason, field="reason")
    request = document.leader_signature
    # The approving leader's own request only: an older one (a draft returned and approved again by another leader)
    # is not this signer's to withdraw, and no longer moves the document (outgoing_leader_signed).
    if request is not None and request.signer_id == document.signer_id \
            and request.state in (SignatureState.PENDING, SignatureState.FAILED):
        # Withdrawn, the request's callback sends the document back (and records the event) in this transaction.
        signature_request_withdraw(request=request, user=user, reason=reason)
        document = _locked(document)
        if document.state == S.LEADER_REVIEW:
            return document
    from_state = document.state
    document.signer_release()
    document.save(update_fields=["state", "signer"])
    _event(document, action="change_signer", from_state=from_state, actor=user, note=reason)
    return document


@transaction.atomic
def outgoing_issue(*, clerk, document: OutgoingDocument, certificate) -> OutgoingDocument:
    """The records clerk issues: number and symbol from the register (same transaction as the counter),
    then the agency's signature, whose stamp carries them; sending follows in `outgoing_agency_signed`."""
    from signatures.constants import SignatureRole
    from signatures.services import pdf_fill_text_fields, signature_request_create

    document = _locked(document)
    require(clerk.has_role(Role.RECORDS_CLERK) and same_agency(clerk, document.agency_id)
            and _may_read(clerk, document), _("Chỉ văn thư của cơ quan được cấp số và phát hành văn bản."))
    _check_transition(document, "issue", document.issue)
    register = register_outgoing_for(agency=document.agency, document_type=document.document_type,
                                     secret=document.is_secret)
    now = timezone.now()
    number, year = register_number_allocate(register=register, at=now)
    symbol = symbol_compose(document_type=document.document_type, agency=document.agency, division=document.division)
    document.issue(register=register, number=number, year=year, symbol=symbol, at=now, by=clerk)
    passed_due = _passed_reply_due_clear(document, at=now)
    with document.leader_signature.signed_pdf.open("rb") as handle:
        leader_signed = handle.read()
    # A composed document has blanks for its number and date of issue: filled now, in an incremental revision the
    # agency's signature then covers (form filling: the leader's signature stays valid). An uploaded PDF has none:
    # its number and the signing time show in the seal's stamp (Decree 30 practice for signed documents).
    leader_signed = pdf_fill_text_fields(leader_signed, issue_field_values(number=number, at=now))
    request = signature_request_create(
        pdf=leader_signed, certificate=certificate, signer=clerk, role=SignatureRole.ORGANISATION,
        field_name=SEAL_FIELD, title=f"{format_number(number)}/{symbol}", target=document, callback=AGENCY_CALLBACK,
        requested_by=clerk,
        stamp_lines=[document.agency.name, _("Số: %(n)s") % {"n": f"{format_number(number)}/{symbol}"}, "{local_time}"])
    document.agency_sign(request=request)
    document.save(update_fields=["state", "register", "number", "year", "symbol", "issued_at", "issued_by",
                                 "agency_signature", "reply_due_on"])
    _attachments_sign_request(document=document, clerk=clerk, certificate=certificate, batch=request)
    note = document.number_symbol
    if passed_due is not None:
        with portal_language():  # the record's note, read later in either language
            note += ". " + _("Hạn trả lời, xử lý của nơi nhận (%(d)s) đã qua khi phát hành: đã bỏ hạn này, nơi nhận "
                             "không nhận hạn xử lý (văn bản đã ký không sửa được hạn).") % {
                "d": passed_due.strftime("%d/%m/%Y")}
    _event(document, action="issue", from_state=S.SIGNED, actor=clerk, note=note)
    legal_event_record(action="outgoing.numbered", obj=document, actor=clerk,
                       data={"register": register.pk, "number": number, "year": year, "symbol": symbol})
    return document


def _passed_reply_due_clear(document: OutgoingDocument, *, at):
    """A reply deadline (hạn trả lời, xử lý của nơi nhận) already past on the day of issue is cleared, and returned for
    the history: sent on, it would make the recipients' document overdue on arrival (found by review). Refusing the
    issue would leave the document stuck: the deadline is set only when drafting, and a signed document never goes
    back to its drafter."""
    due = document.reply_due_on
    if due is None or due >= timezone.localdate(at):
        return None
    document.reply_due_on = None
    return due


def issue_field_values(*, number: int, at) -> dict[str, str]:
    """What fills a composed document's blanks at issue: "Số: 15/…", "ngày 05 tháng 02 năm 2027" — a day below 10
    and the months 1 and 2 with a leading zero (Decree 30/2020, appendix I), in the agency's time."""
    day = timezone.localtime(at).date()
    return {"SoVanBan": format_number(number), "NgayBanHanh": f"{day.day:02d}",
            "ThangBanHanh": f"{day.month:02d}" if day.month <= 2 else str(day.month), "NamBanHanh": str(day.year)}


def _attachments_sign_request(*, document: OutgoingDocument, clerk, certificate, batch) -> None:
    """Each appendix PDF gets the agency's signature without image, top right of page 1, with number, symbol and
    signing time (Decree 30, appendix I): one request per file, confirmed with the document's (`batch`)."""
    from docs_office.services.attachments import ATTACHMENT_FIELD, outgoing_attachment_prepare
    from signatures.constants import SignatureRole
    from signatures.services import signature_request_create

    attachments = list(document.attachments.all())
    number_symbol = f"{format_number(document.number)}/{document.symbol}"
    for index, attachment in enumerate(attachments, start=1):
        with attachment.file.open("rb") as handle:
            source = handle.read()
        try:
            prepared = outgoing_attachment_prepare(source)
        except Exception:  # checked at upload; a file that still fails is reported, the issue is undone
            raise ApplicationError("invalid_pdf", _("Không đọc được tệp PDF phụ lục “%(n)s”.")
                                   % {"n": attachment.original_name}, status=409) from None
        with portal_language():  # the request's title, read by the clerk in either language
            title = _("Phụ lục %(i)s/%(n)s của văn bản %(s)s") % {"i": index, "n": len(attachments), "s": number_symbol}
        attachment.signature = signature_request_create(
            pdf=prepared, certificate=certificate, signer=clerk, role=SignatureRole.ORGANISATION,
            field_name=ATTACHMENT_FIELD, title=title, target=attachment, callback=ATTACHMENT_CALLBACK,
            requested_by=clerk, stamp_image=False, batch=batch,
            stamp_lines=[document.agency.name, _("Số: %(n)s") % {"n": number_symbol}, "{time}"])
        attachment.save(update_fields=["signature"])


def outgoing_agency_signed(request) -> None:
    """Signature callback: the agency's signature is done; once every appendix is signed too, the document is
    issued and sent. A failed agency signature leaves it `issuing` with its number: the clerk reopens the
    request and signs again."""
    from signatures.constants import SignatureState

    document = OutgoingDocument.objects.select_for_update(of=("self",)).filter(agency_signature=request).first()
    if document is None or document.state != S.ISSUING:
        return
    if request.state != SignatureState.SIGNED:
        _event(document, action="agency_sign_failed", from_state=S.ISSUING, actor=request.signer, note=request.error)
        return
    with request.signed_pdf.open("rb") as handle:
        document.signed_file.save(f"{document.year}-{document.number:04d}.pdf", ContentFile(handle.read()), save=False)
    document.save(update_fields=["signed_file"])
    _dispatch_when_signed(document, actor=request.signer)


def outgoing_attachment_signed(request) -> None:
    """Signature callback of an appendix: its signed copy is kept; the last signature to finish sends the document.
    The document's row lock orders these callbacks, so exactly one of them sees everything signed."""
    from docs_office.models import OutgoingAttachment
    from signatures.constants import SignatureState

    attachment = OutgoingAttachment.objects.filter(signature=request).first()
    if attachment is None:
        return
    document = OutgoingDocument.objects.select_for_update(of=("self",)).get(pk=attachment.document_id)
    if document.state != S.ISSUING:
        return
    if request.state != SignatureState.SIGNED:
        _event(document, action="agency_sign_failed", from_state=S.ISSUING, actor=request.signer,
               note=f"{attachment.original_name}: {request.error}")
        return
    with request.signed_pdf.open("rb") as handle:
        attachment.signed_file.save(f"{document.year}-{document.number:04d}-phu-luc-{attachment.pk}.pdf",
                                    ContentFile(handle.read()), save=False)
    attachment.save(update_fields=["signed_file"])
    _dispatch_when_signed(document, actor=request.signer)


def _dispatch_when_signed(document: OutgoingDocument, *, actor) -> None:
    from docs_office.services.exchange import exchange_send

    if not document.signed_file or document.attachments.filter(signed_file="").exists():
        return
    document.dispatch()
    document.save(update_fields=["state"])
    _event(document, action="dispatch", from_state=S.ISSUING, actor=actor)
    exchange_send(document=document, actor=actor)


@transaction.atomic
def outgoing_recall(*, user, document: OutgoingDocument, reason: str) -> OutgoingDocument:
    """The sender recalls an issued document: every recipient's copy is withdrawn, and everyone is told."""
    from docs_office.services.exchange import exchange_recall

    document = _locked(document)
    require(same_agency(user, document.agency_id) and bool(user.role_names() & {Role.RECORDS_CLERK, Role.LEADER}),
            _("Chỉ lãnh đạo hoặc văn thư của cơ quan ban hành được thu hồi văn bản."))
    _check_transition(document, "recall", document.recall)
    reason = reason_required(reason, field="reason")
    document.recall(at=timezone.now(), reason=reason)
    document.save(update_fields=["state", "recalled_at", "recall_reason"])
    _event(document, action="recall", from_state=S.ISSUED, actor=user, note=reason)
    exchange_recall(document=document, actor=user, reason=reason)
    return document


@transaction.atomic
def outgoing_send_more(*, clerk, document: OutgoingDocument, agencies) -> list:
    """The records clerk sends an issued document to further agencies of the system (gửi bổ sung): the right agency
    after a recipient returned it as wrongly addressed, or one forgotten. The printed Nơi nhận is the signed PDF's
    and stays; each new delivery, and the event naming them, say where it went since."""
    from docs_office.models import Delivery
    from docs_office.services.exchange import exchange_send

    document = _locked(document)
    require(clerk.has_role(Role.RECORDS_CLERK) and same_agency(clerk, document.agency_id) and _may_read(clerk, document),
            _("Chỉ văn thư của cơ quan ban hành được gửi bổ sung văn bản."))
    if document.state != S.ISSUED:
        raise ApplicationError("invalid_transition", _("Chỉ gửi bổ sung được văn bản đã phát hành."), status=409)
    if document.is_secret:
        raise ApplicationError("secret_not_exchanged", _("Văn bản mật không được gửi qua liên thông điện tử."),
                               status=409)
    agencies = list({agency.pk: agency for agency in agencies}.values())
    if not agencies:
        raise ApplicationError("agencies_required", _("Chọn ít nhất một cơ quan nhận."),
                               fields={"agencies": [_("Bắt buộc.")]})
    unusable = [a.name for a in agencies if a.pk == document.agency_id or not a.is_active]
    if unusable:
        raise ApplicationError("invalid_agency", _("Không gửi được cho: %(names)s.") % {"names": "; ".join(unusable)},
                               fields={"agencies": [_("Cơ quan không hợp lệ.")]})
    already = set(Delivery.objects.filter(document=document, channel="system", recipient__in=agencies)
                  .values_list("recipient_id", flat=True))
    if already:
        names = "; ".join(a.name for a in agencies if a.pk in already)
        raise ApplicationError("already_sent", _("Văn bản đã được gửi cho: %(names)s.") % {"names": names},
                               fields={"agencies": [_("Đã gửi.")]}, status=409)
    deliveries = exchange_send(document=document, actor=clerk, recipients=agencies)
    with portal_language():  # the event's note, read later in either language
        note = _("Gửi bổ sung: %(names)s") % {"names": "; ".join(a.name for a in agencies)}
    _event(document, action="send_more", from_state=document.state, actor=clerk, note=note)
    return deliveries


def outgoing_actions_for(*, user, document: OutgoingDocument) -> set[str]:
    """What the detail page offers this user now."""
    actions = set()
    if not same_agency(user, document.agency_id) or not _may_read(user, document):
        return actions
    if _reviewer_of_state(user, document):
        actions.add("version")
    for action, (method_name, roles) in REVIEW_ACTIONS.items():
        if not getattr(document, method_name)._django_fsm.has_transition(document.state):
            continue
        if not user.role_names() & {str(r) for r in roles}:
            continue
        if action == "submit" and user.pk != document.drafter_id:
            continue
        if action == "return" and not (_reviewer_of_state(user, document) or user.pk == document.signer_id):
            continue
        if action in ("head_approve", "leader_approve") and not _reviewer_of_state(user, document):
            continue
        actions.add(action)
    if document.state == S.APPROVED and user.pk == document.signer_id:
        actions.add("sign")
    if _may_change_signer(user, document):
        actions.add("change_signer")
    if document.state == S.SIGNED and user.has_role(Role.RECORDS_CLERK):
        actions.add("issue")
    if document.state == S.ISSUED and user.role_names() & {Role.RECORDS_CLERK, Role.LEADER}:
        actions.add("recall")
    if document.state == S.ISSUED and not document.is_secret and user.has_role(Role.RECORDS_CLERK):
        actions.add("send_more")
    return actions
