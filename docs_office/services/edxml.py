"""edXML export of issued documents and import of packages from agencies outside the system."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from docs_office.constants import OutgoingState
from docs_office.edxml import Agency, EdxmlError, EdxmlPackage, edxml_build, edxml_parse
from docs_office.models import DocumentType, IncomingDocument, IncomingEvent, OutgoingDocument
from docs_office.services.common import require, same_agency
from docs_office.services.registers import format_number
from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from egov.core.text import fold_vietnamese


def outgoing_edxml_package(*, document: OutgoingDocument, recipients: list[Agency] | None = None) -> EdxmlPackage:
    """The package of an issued document; recipients default to its agencies of the system."""
    if document.state != OutgoingState.ISSUED:
        raise ApplicationError("not_issued", _("Chỉ văn bản đã phát hành mới xuất được gói edXML."), status=409)
    if document.is_secret:
        raise ApplicationError("secret_not_exchanged", _("Văn bản mật không được gửi liên thông điện tử."), status=409)
    if recipients is None:
        recipients = [Agency(a.exchange_code, a.name) for a in document.recipient_agencies.all()]
    if not recipients:
        raise ApplicationError("no_recipients", _("Cần ít nhất một nơi nhận có mã định danh."), status=400)
    with document.signed_file.open("rb") as handle:
        signed = handle.read()
    issued_on = timezone.localtime(document.issued_at).date()
    return EdxmlPackage(
        document_id=f"{document.agency.exchange_code},{issued_on.isoformat()},{document.number_symbol}",
        sender=Agency(document.agency.exchange_code, document.agency.name), recipients=recipients,
        code_number=format_number(document.number), code_notation=document.symbol,
        place=document.agency.address or document.agency.name, promulgation_date=issued_on,
        type_code=document.document_type.code, type_name=document.document_type.name, subject=document.summary,
        signer_competence="", signer_position=document.signer.position_title if document.signer else "",
        signer_name=document.signer.full_name if document.signer else "", priority=document.urgency,
        page_count=document.page_count, to_places=[line.strip() for line in document.recipients_text.splitlines()
                                                   if line.strip()],
        response_for=(f"{document.answers.issuer_name},{document.answers.number_symbol}" if document.answers else ""),
        trace=[f"{document.agency.exchange_code},{timezone.localtime(document.issued_at).isoformat()}"],
        attachment_name=f"{document.year}-{document.number:02d}.pdf", attachment=signed,
    )


def outgoing_edxml_export(*, user, document: OutgoingDocument) -> bytes:
    from docs_office.models import OutgoingEvent

    require(same_agency(user, document.agency_id), _("Chỉ cơ quan ban hành được xuất gói edXML của văn bản."))
    data = edxml_build(outgoing_edxml_package(document=document))
    # The package leaves the system here (sent on by the national exchange): the leaders' dashboard counts
    # the documents sent by edXML from these events.
    OutgoingEvent.objects.create(document=document, action="export_edxml", from_state=document.state,
                                 to_state=document.state, actor=user, at=timezone.now())
    return data


@transaction.atomic
def incoming_import_edxml(*, clerk, data: bytes) -> IncomingDocument:
    """A package from outside the system becomes an incoming document waiting for registration. A malformed
    package is refused with every reason; one not addressed to the clerk's agency, or already received, too."""
    from egov.agencies.models import Agency as AgencyModel

    require(clerk.has_role(Role.RECORDS_CLERK) and clerk.agency_id is not None,
            _("Chỉ văn thư được nhập gói edXML."))
    try:
        package = edxml_parse(data)
    except EdxmlError as exc:
        raise ApplicationError("invalid_edxml", _("Gói edXML không hợp lệ: %(p)s") % {"p": " ".join(exc.problems)},
                               fields={"file": exc.problems}) from None
    if clerk.agency.exchange_code not in {r.code for r in package.recipients}:
        raise ApplicationError("not_addressed", _("Gói edXML không gửi cho cơ quan của bạn (%(c)s).")
                               % {"c": clerk.agency.exchange_code}, fields={"file": [_("Sai nơi nhận.")]})
    if IncomingDocument.objects.filter(agency=clerk.agency, external_id=package.document_id).exists():
        raise ApplicationError("duplicate", _("Văn bản %(d)s đã được nhận trước đó.") % {"d": package.document_id},
                               status=409)
    document_type = (DocumentType.objects.filter(code=package.type_code).first()
                     or DocumentType.objects.filter(name__iexact=package.type_name).first())
    if document_type is None:
        raise ApplicationError("unknown_type", _("Loại văn bản không có trong danh mục: %(t)s.")
                               % {"t": package.type_name}, fields={"file": [_("Loại văn bản không hợp lệ.")]})
    now = timezone.now()
    document = IncomingDocument(
        agency=clerk.agency, received_at=now, number=package.code_number, symbol=package.code_notation,
        issuer_agency=AgencyModel.objects.filter(exchange_code=package.sender.code).first(),
        issuer_name=package.sender.name, issuer_name_folded=fold_vietnamese(package.sender.name),
        issued_on=package.promulgation_date, document_type=document_type, summary=package.subject,
        summary_folded=fold_vietnamese(package.subject), signer_name=package.signer_name,
        page_count=package.page_count, urgency=package.priority, deadline=package.due_date,
        external_id=package.document_id, acknowledged_at=now,
    )
    if package.attachment:
        document.file.save(package.attachment_name or "van-ban.pdf", ContentFile(package.attachment), save=False)
    document.save()
    IncomingEvent.objects.create(document=document, action="import_edxml", from_state="", to_state=document.state,
                                 actor=clerk, at=now, note=package.document_id)
    return document
