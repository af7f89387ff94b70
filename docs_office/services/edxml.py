"""edXML exchange with agencies outside the system: export of issued documents and import of packages, and
the status messages that report delivery and handling back to the sender, both ways."""

import re
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from docs_office.constants import Confidentiality, DeliveryChannel, DeliveryState, IncomingState, OutgoingState
from docs_office.edxml import (
    STATUS_CODES,
    Agency,
    EdxmlError,
    EdxmlFile,
    EdxmlPackage,
    edxml_build,
    edxml_parse,
    edxml_status,
    edxml_status_parse,
    trace_hop_line,
)
from docs_office.models import Delivery, DocumentType, IncomingDocument, IncomingEvent, OutgoingDocument
from docs_office.services.attachments import incoming_attachment_copy
from docs_office.services.common import require, same_agency
from docs_office.services.registers import format_number
from egov.accounts.roles import Role
from egov.agencies.models import EXCHANGE_CODE_RE
from egov.core.errors import ApplicationError
from egov.core.language import portal_language
from egov.core.locks import lock_until_commit
from egov.core.text import fold_vietnamese, parse_int
from egov.core.uploads import EXTENSIONS, sniff_content_type


def _exportable(document: OutgoingDocument) -> None:
    if document.state != OutgoingState.ISSUED:
        raise ApplicationError("not_issued", _("Chỉ văn bản đã phát hành mới xuất được gói edXML."), status=409)
    if document.is_secret:
        raise ApplicationError("secret_not_exchanged", _("Văn bản mật không được gửi liên thông điện tử."), status=409)


@dataclass
class Envelope:
    """What an issued document's envelope says beyond its own columns, the same whether it leaves by edXML or by
    the exchange inside the system (so both recipients read the same): Decree 30 appendix VI metadata."""

    place: str
    signer_competence: str
    signer_position: str
    signer_name: str
    to_places: list[str]
    trace: list[str]


def outgoing_envelope(document: OutgoingDocument) -> Envelope:
    from docs_office.recipients import composition_recipients
    from docs_office.services.outgoing import outgoing_current_version

    agency = document.agency
    # The signer comes from one source, so competence, position and name never mix two people: the signed version's
    # signer block when the system composed it (signing checked the leader is the person it names); else the
    # signing leader's account. An uploaded PDF's block is not read (its text is the drafter's layout, possibly a
    # scan): its competence stays empty rather than guessed, and the recipient reads it on the document itself.
    version = outgoing_current_version(document)
    if version is not None and version.signer_name:
        competence, position, name = version.signer_competence, version.signer_position, version.signer_name
    else:
        signer = document.signer
        competence = version.signer_competence if version is not None else ""
        position, name = (signer.position_title, signer.full_name) if signer else ("", "")
    return Envelope(
        # Địa danh (Decree 30, appendix I): the province's or commune's proper name, never a street address. An
        # agency with no committee above it has none: its name then, since a package must name a place.
        place=agency.place_name or agency.name,
        signer_competence=competence, signer_position=position, signer_name=name,
        # Nơi nhận as the document lists it: the agencies of the system it went to, then the others typed.
        to_places=composition_recipients(agencies=document.recipient_agencies.all(), text=document.recipients_text),
        # The sender's hop: its code and the time it issued the document.
        trace=[trace_hop_line(agency.exchange_code, document.issued_at)],
    )


def _agencies_named(agencies) -> str:
    """"Sở Tư pháp tỉnh Lạng Sơn (000.00.03.H41); …": the agencies a package names, by name and code."""
    return "; ".join(f"{a.name} ({a.code})" if a.name else a.code for a in agencies)


def outgoing_edxml_package(*, document: OutgoingDocument, recipients: list[Agency]) -> EdxmlPackage:
    """The package of an issued document for the named recipients (never a default: each package is a sending,
    and the agencies of the system already receive theirs by the internal exchange)."""
    _exportable(document)
    if not recipients:
        raise ApplicationError("no_recipients", _("Cần ít nhất một nơi nhận có mã định danh."), status=400)
    with document.signed_file.open("rb") as handle:
        signed = handle.read()
    issued_on = timezone.localtime(document.issued_at).date()
    envelope = outgoing_envelope(document)
    return EdxmlPackage(
        document_id=f"{document.agency.exchange_code},{issued_on.isoformat()},{document.number_symbol}",
        sender=Agency(document.agency.exchange_code, document.agency.name), recipients=recipients,
        code_number=format_number(document.number), code_notation=document.symbol,
        place=envelope.place, promulgation_date=issued_on,
        type_code=document.document_type.code, type_name=document.document_type.name, subject=document.summary,
        signer_competence=envelope.signer_competence, signer_position=envelope.signer_position,
        signer_name=envelope.signer_name, priority=document.urgency,
        due_date=document.reply_due_on, page_count=document.page_count, to_places=envelope.to_places,
        response_for=_response_for(document),
        trace=envelope.trace,
        attachment_name=f"{document.year}-{document.number:02d}.pdf", attachment=signed,
        appendices=_signed_appendices(document),
    )


def _response_for(document: OutgoingDocument) -> str:
    """The letter the document answers, as ResponseFor names it (issuer, number and symbol) — never a secret one: its
    identity does not leave the agency electronically, and the clerk exporting may not be among its readers."""
    answered = document.answers
    if answered is None or answered.is_secret:
        return ""
    return f"{answered.issuer_name},{answered.number_symbol}"


def _signed_appendices(document: OutgoingDocument) -> list[EdxmlFile]:
    files = []
    for attachment in document.attachments.all():
        with (attachment.signed_file or attachment.file).open("rb") as handle:
            files.append(EdxmlFile(attachment.original_name, handle.read()))
    return files


def _edxml_recipient(*, document: OutgoingDocument, code: str, name: str) -> Agency:
    """The agency outside the system the clerk names, checked: every problem at once, tied to its field."""
    code, name = (code or "").strip(), " ".join((name or "").split())
    problems: dict[str, list[str]] = {}
    if not code:
        problems["recipient_code"] = [_("Cần nhập mã định danh của cơ quan nhận.")]
    elif not re.match(EXCHANGE_CODE_RE, code):
        problems["recipient_code"] = [_("Mã định danh phải có dạng 000.00.00.H41.")]
    elif code == document.agency.exchange_code:
        problems["recipient_code"] = [_("Đây là mã định danh của chính cơ quan ban hành.")]
    name_limit = Delivery._meta.get_field("recipient_name").max_length
    if not name:
        problems["recipient_name"] = [_("Cần nhập tên cơ quan nhận.")]
    elif len(name) > name_limit:
        problems["recipient_name"] = [_("Tên cơ quan nhận dài tối đa %(max)s ký tự.") % {"max": name_limit}]
    if problems:
        raise ApplicationError("invalid_recipient", _("Nơi nhận gói edXML chưa hợp lệ."), fields=problems)
    return Agency(code, name)


@transaction.atomic
def outgoing_edxml_export(*, user, document: OutgoingDocument, recipient_code: str, recipient_name: str) -> bytes:
    """The records clerk sends an issued document to one agency outside the system, named by its identifier code
    and name: the package for it, and its delivery recorded as sent (who and when in the event)."""
    from docs_office.models import OutgoingEvent

    require(user.has_role(Role.RECORDS_CLERK) and same_agency(user, document.agency_id),
            _("Chỉ văn thư của cơ quan ban hành được gửi gói edXML của văn bản."))
    _exportable(document)
    recipient = _edxml_recipient(document=document, code=recipient_code, name=recipient_name)
    package = outgoing_edxml_package(document=document, recipients=[recipient])
    data = edxml_build(package)
    # The package leaves the system here (sent on by the national exchange): the leaders' dashboard counts
    # the documents sent by edXML from these events. The recipient becomes an edXML delivery, `sent` until its
    # status messages say more; sending to it again keeps what they said.
    now = timezone.now()
    Delivery.objects.bulk_create([
        Delivery(document=document, channel=DeliveryChannel.EDXML, recipient_code=recipient.code,
                 recipient_name=recipient.name, exchange_id=package.document_id, state=DeliveryState.SENT, sent_at=now,
                 updated_at=now)], ignore_conflicts=True)
    OutgoingEvent.objects.create(document=document, action="export_edxml", from_state=document.state,
                                 to_state=document.state, actor=user, at=now,
                                 note=f"{recipient.name} ({recipient.code})")
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
        # Which agency it is for, so the clerk can forward it there or tell the sender, not only that it is wrong.
        addressed = _agencies_named(package.recipients)
        raise ApplicationError(
            "not_addressed", _("Gói edXML gửi cho %(to)s, không phải cơ quan của bạn (%(c)s).")
            % {"to": addressed, "c": clerk.agency.exchange_code},
            fields={"file": [_("Sai nơi nhận: gói tin gửi cho %(to)s.") % {"to": addressed}]})
    # Imports of one document id at one agency take turns until their transaction ends: the second of a double
    # submit then finds the first (both checked before either committed, and two entries were made — found by review).
    lock_until_commit(f"docs_office.edxml|{clerk.agency_id}|{package.document_id}")
    # A copy the clerk returned or the sender withdrew is no longer held: the package sent again (corrected, or to the
    # right agency after all) is received anew, as incoming_duplicates reads it.
    held = IncomingDocument.objects.filter(agency=clerk.agency, external_id=package.document_id).exclude(
        state__in=[IncomingState.RETURNED, IncomingState.WITHDRAWN])
    if held.exists():
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
        signer_position=package.signer_position, signer_competence=package.signer_competence, place=package.place,
        # The route as the sender wrote it, then this agency's own hop: where and when it arrived here.
        to_places=package.to_places, trace=[*package.trace, trace_hop_line(clerk.agency.exchange_code, now)],
        page_count=package.page_count, urgency=package.priority,
        deadline=package.due_date,
        external_id=package.document_id, external_sender_code=package.sender.code, acknowledged_at=now,
        in_reply_to=_answered_outgoing(agency=clerk.agency, response_for=package.response_for,
                                       before=package.promulgation_date),
    )
    if package.attachment:
        # A fixed name by the sniffed type, never the package's: that name is the sender's to choose (evil.html,
        # ../../x.pdf) and the file is later served from the portal's origin.
        attachment = ContentFile(package.attachment)
        extension = EXTENSIONS[sniff_content_type(attachment)]  # the parser let through only ATTACHMENT_TYPES
        document.file.save(f"van-ban-den.{extension}", attachment, save=False)
    document.save()
    for appendix in package.appendices:  # the parser let through only APPENDIX_TYPES
        incoming_attachment_copy(document=document, name=appendix.name, data=appendix.data, at=now)
    IncomingEvent.objects.create(document=document, action="import_edxml", from_state="", to_state=document.state,
                                 actor=clerk, at=now, note=package.document_id)
    return document


def _answered_outgoing(*, agency, response_for: str, before) -> OutgoingDocument | None:
    """The agency's issued document a package says it answers: ResponseFor as this system writes it, "<issuer
    name>,<number>/<symbol>" (the name may hold commas, the number and symbol do not), the newest of that number
    and symbol issued on or before the answer's date (numbers start again each year). None when it names
    another agency's document, or nothing of ours."""
    name, _comma, number_symbol = (response_for or "").rpartition(",")
    number, _slash, symbol = number_symbol.strip().partition("/")
    # A register's number, in ASCII digits: 5,000 of them passed isdigit() and int() refused them (a 500 on import).
    number = parse_int(number, max_digits=9)
    if not (name.strip() and number is not None and symbol):
        return None
    if fold_vietnamese(name.strip()) != fold_vietnamese(agency.name):
        return None
    # Never a secret document: it never left by edXML, and its own series repeats the ordinary numbers and symbols.
    candidates = OutgoingDocument.objects.filter(agency=agency, state=OutgoingState.ISSUED, number=number,
                                                 symbol=symbol.strip(), confidentiality=Confidentiality.NORMAL)
    if before is not None:
        candidates = candidates.filter(issued_at__date__lte=before)
    return candidates.order_by("-issued_at").first()


# The status reported for each state of a document received by edXML (recipient side).
INCOMING_STATUS_CODES = {
    IncomingState.RECEIVED: "01", IncomingState.RETURNED: "02", IncomingState.REGISTERED: "03",
    IncomingState.ASSIGNED: "04", IncomingState.IN_PROGRESS: "05", IncomingState.CLOSED: "06",
    IncomingState.WITHDRAWN: "13",
}
# The delivery state each status code records (sender side); "15" (an update) keeps the state.
STATUS_DELIVERY_STATES = {
    "01": DeliveryState.RECEIVED, "02": DeliveryState.RETURNED, "03": DeliveryState.REGISTERED,
    "04": DeliveryState.ASSIGNED, "05": DeliveryState.IN_PROGRESS, "06": DeliveryState.COMPLETED,
    "13": DeliveryState.RECALLED, "15": None,
}


def _staff_label(user) -> str:
    return ", ".join(p for p in (user.full_name, user.position_title) if p) if user else ""


# The states a document received by edXML reaches in turn, by status code (the acknowledgments of arrival, "01",
# and of registration, "03", stay at hand after the document moves on).
INCOMING_STATES_BY_CODE = {code: state for state, code in INCOMING_STATUS_CODES.items()}


def incoming_status_codes_reached(document: IncomingDocument, events=None) -> list[str]:
    """The status codes of every state this document has been in, in the order first reached: each is a status
    message ready to send back to the sender. `events`: the document's events when already read (the page)."""
    events = document.events.all() if events is None else events
    codes = []
    for event in sorted(events, key=lambda e: (e.at, e.id)):
        code = INCOMING_STATUS_CODES.get(event.to_state)
        if code and code not in codes:
            codes.append(code)
    return codes


def incoming_status_message(*, user, document: IncomingDocument, code: str | None = None) -> bytes:
    """The status message reporting a state of this document to the agency that sent the package: its current
    state, or the state of `code` when the document has been in it ("01" đã đến once imported, "03" đã tiếp nhận once
    registered — the acknowledgment of receipt is ready without a further step). It names who took the step that
    led there and when (the latest event into that state), and for a refused or withdrawn document the reason.
    The same message every time it is asked for: it is built from the recorded step, so nothing needs keeping."""
    require(user.has_role(Role.RECORDS_CLERK) and same_agency(user, document.agency_id),
            _("Chỉ văn thư của cơ quan nhận được lập thông điệp trạng thái."))
    if not document.external_id:
        raise ApplicationError("not_edxml", _("Văn bản này không nhận từ gói edXML."), status=409)
    sender_code = document.external_sender_code or (document.issuer_agency.exchange_code
                                                    if document.issuer_agency_id else "")
    if not sender_code:
        raise ApplicationError("no_sender_code", _("Không rõ mã định danh của nơi gửi văn bản này."), status=409)
    if code is None:
        code = INCOMING_STATUS_CODES[document.state]
    elif code not in INCOMING_STATES_BY_CODE:
        raise ApplicationError("unknown_status", _("Mã trạng thái không hợp lệ: “%(v)s” (%(codes)s).")
                               % {"v": code[:10], "codes": ", ".join(INCOMING_STATES_BY_CODE)}, status=400)
    state = INCOMING_STATES_BY_CODE[code]
    event = (document.events.filter(to_state=state).select_related("actor").order_by("-at", "-id").first())
    if event is None and state != document.state:
        raise ApplicationError("status_not_reached", _("Văn bản chưa từng ở trạng thái “%(s)s”.")
                               % {"s": STATUS_CODES[code]}, status=409)
    description = STATUS_CODES[code]
    if document.closing_reason and state in (IncomingState.RETURNED, IncomingState.WITHDRAWN):
        description = f"{description}: {document.closing_reason}"
    return edxml_status(
        document_id=document.external_id, sender=Agency(document.agency.exchange_code, document.agency.name),
        recipient=Agency(sender_code, document.issuer_name), code=code, description=description,
        staff=_staff_label(event.actor if event and event.actor_id else user),
        at=event.at if event else timezone.now())


def _refuse(code: str, message: str, problem: str, status: int = 400):
    raise ApplicationError(code, message, status=status, fields={"file": [problem]})


@transaction.atomic
def delivery_status_record(*, clerk, data: bytes) -> Delivery:
    """A status message from an agency outside the system about a document we sent it by edXML: checked,
    then its state recorded on that recipient's delivery, with an event on the document. Refused with
    every reason, nothing saved, when malformed, not for us, not about a document we sent it, or stale."""
    from docs_office.models import OutgoingEvent
    from docs_office.services.exchange import exchange_notify_sender

    require(clerk.has_role(Role.RECORDS_CLERK) and clerk.agency_id is not None,
            _("Chỉ văn thư được nhập thông điệp trạng thái."))
    try:
        status = edxml_status_parse(data)
    except EdxmlError as exc:
        raise ApplicationError("invalid_status", _("Thông điệp trạng thái không hợp lệ: %(p)s")
                               % {"p": " ".join(exc.problems)}, fields={"file": exc.problems}) from None
    ours = clerk.agency.exchange_code
    if status.recipient.code != ours:
        _refuse("not_addressed", _("Thông điệp trạng thái không gửi cho cơ quan của bạn (%(c)s).") % {"c": ours},
                _("Sai nơi nhận (To): %(c)s.") % {"c": _agencies_named([status.recipient])})
    deliveries = list(Delivery.objects.select_for_update(of=("self",)).select_related("document").filter(
        channel=DeliveryChannel.EDXML, document__agency_id=clerk.agency_id, exchange_id=status.document_id))
    if not deliveries:
        _refuse("unknown_document", _("Cơ quan chưa gửi gói edXML nào có mã văn bản %(d)s.") % {"d": status.document_id},
                _("Không có văn bản đã gửi với mã %(d)s.") % {"d": status.document_id})
    delivery = next((d for d in deliveries if d.recipient_code == status.sender.code), None)
    if delivery is None:
        _refuse("not_a_recipient", _("%(a)s (%(c)s) không phải nơi nhận gói edXML của văn bản %(d)s.") % {
            "a": status.sender.name, "c": status.sender.code, "d": status.document_id},
            _("Nơi gửi thông điệp không phải nơi nhận văn bản."))
    if delivery.reported_at is not None and status.at <= delivery.reported_at:
        _refuse("stale_status", _("Đã ghi nhận thông điệp trạng thái lúc %(t)s của nơi nhận này; thông điệp này không mới "
                                  "hơn.") % {"t": timezone.localtime(delivery.reported_at).strftime("%H:%M:%S %d/%m/%Y")},
                _("Thông điệp trùng hoặc cũ hơn."), status=409)
    now = timezone.now()
    from_state = delivery.state
    delivery.state = STATUS_DELIVERY_STATES[status.code] or from_state
    delivery.reason = status.description if delivery.state in (DeliveryState.RETURNED, DeliveryState.RECALLED) else ""
    delivery.reported_at, delivery.updated_at = status.at, now
    delivery.save(update_fields=["state", "reason", "reported_at", "updated_at"])
    document = delivery.document
    with portal_language():  # the record's note, read later in either language
        note = _("%(a)s (%(c)s) báo “%(d)s” (mã %(s)s) lúc %(t)s; cán bộ: %(p)s") % {
            "a": delivery.recipient_name, "c": delivery.recipient_code, "d": status.description, "s": status.code,
            "t": timezone.localtime(status.at).strftime("%H:%M %d/%m/%Y"), "p": status.staff or "—"}
    OutgoingEvent.objects.create(
        document=document, action="edxml_status", from_state=from_state, to_state=delivery.state, actor=clerk, at=now,
        note=note)
    if delivery.state == DeliveryState.RETURNED and from_state != DeliveryState.RETURNED:
        from egov.notifications.services import recipient_language

        with recipient_language():  # the drafter's message, whatever the importing clerk's language
            exchange_notify_sender(delivery=delivery,
                                   subject=_("Văn bản bị trả lại: %(s)s") % {"s": document.number_symbol},
                                   text=_("%(a)s trả lại văn bản %(s)s. Lý do: %(r)s") % {
                                       "a": delivery.recipient_name, "s": document.number_symbol, "r": status.description})
    return delivery
