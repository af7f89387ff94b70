"""Incoming documents (văn bản đến): registration, assignment, handling, closing (Decree 30/2020)."""

from dataclasses import dataclass, field, replace
from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from docs_office.constants import (
    PAGE_COUNT_MAX,
    AssignmentRole,
    Confidentiality,
    DeliveryState,
    IncomingState,
    OutgoingState,
    Urgency,
)
from docs_office.models import Division, IncomingAssignment, IncomingDocument, IncomingEvent, IncomingOpinion
from docs_office.services.common import checked_upload, reason_required, require, same_agency
from docs_office.services.dates import deadline_problem, document_date_problem
from docs_office.services.registers import register_incoming_for, register_number_allocate
from egov.accounts.roles import Role
from egov.audit.services import legal_event_record
from egov.core.errors import ApplicationError
from egov.core.language import portal_language
from egov.core.locks import lock_until_commit
from egov.core.text import fold_vietnamese, xml_safe
from egov.core.uploads import EXTENSIONS, JPEG, PDF, PNG

S = IncomingState
SCAN_TYPES = (PDF, JPEG, PNG)

ACTION_LABELS = {
    "register": gettext_lazy("vào sổ"), "accept": gettext_lazy("vào sổ"), "return": gettext_lazy("trả lại nơi gửi"),
    "assign": gettext_lazy("phân công"), "opinion": gettext_lazy("cho ý kiến"), "close": gettext_lazy("kết thúc xử lý"),
}


@dataclass
class IncomingData:
    number: str
    symbol: str
    issuer_name: str
    issued_on: date
    document_type: object
    summary: str
    signer_name: str = ""
    signer_position: str = ""
    place: str = ""
    page_count: int | None = None
    urgency: str = Urgency.NORMAL
    confidentiality: str = Confidentiality.NORMAL
    deadline: date | None = None
    issuer_agency: object = None


@dataclass
class AssignmentData:
    role: str
    user: object = None
    division: object = None
    deadline: date | None = None
    instruction: str = ""


@dataclass
class _Refusals:
    fields: dict = field(default_factory=dict)

    def need(self, name: str, value) -> None:
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            self.fields[name] = [_("Bắt buộc.")]


def _event(document: IncomingDocument, *, action: str, from_state: str, actor, note: str = "") -> None:
    IncomingEvent.objects.create(document=document, action=action, from_state=from_state, to_state=document.state,
                                 actor=actor, at=timezone.now(), note=note)


def _issuer_key(*, issuer_name: str, issuer_agency) -> Q:
    if issuer_agency is not None:
        return Q(issuer_agency=issuer_agency)
    return Q(issuer_name_folded=fold_vietnamese(issuer_name))


def incoming_duplicates(*, agency, number: str, symbol: str, issuer_name: str, issuer_agency=None,
                        exclude_pk=None) -> QuerySet[IncomingDocument]:
    """Documents already received by `agency` with the same number, symbol and issuer (Decree 30: warn first)."""
    found = IncomingDocument.objects.filter(
        _issuer_key(issuer_name=issuer_name, issuer_agency=issuer_agency), agency=agency,
        number__iexact=(number or "").strip(), symbol__iexact=(symbol or "").strip(),
    ).exclude(state__in=[S.RETURNED, S.WITHDRAWN])
    return found.exclude(pk=exclude_pk) if exclude_pk else found


def _check_data(data: IncomingData, *, received_on: date) -> None:
    refusals = _Refusals()
    for name in ("number", "issuer_name", "issued_on", "document_type", "summary"):
        refusals.need(name, getattr(data, name))
    if refusals.fields:
        raise ApplicationError("incomplete", _("Chưa nhập đủ thông tin bắt buộc của văn bản đến."),
                               fields=refusals.fields)
    # A document cannot be dated after it reached us: a later date is a typo (2099 for 2026), and would sort
    # the register and every "issued between" report wrongly.
    if data.issued_on > received_on:
        message = _("Ngày văn bản không thể sau ngày nhận văn bản (%(d)s).") % {"d": f"{received_on:%d/%m/%Y}"}
        raise ApplicationError("issued_on_future", message, fields={"issued_on": [message]})
    if problem := document_date_problem(data.issued_on):
        raise ApplicationError("invalid_issued_on", problem, fields={"issued_on": [problem]})
    if problem := deadline_problem(data.deadline):
        raise ApplicationError("invalid_deadline", problem, fields={"deadline": [problem]})
    if data.page_count is not None and not 1 <= data.page_count <= PAGE_COUNT_MAX:
        message = _("Số trang từ 1 đến %(n)s.") % {"n": PAGE_COUNT_MAX}
        raise ApplicationError("invalid_page_count", message, fields={"page_count": [message]})
    if data.deadline and data.deadline < data.issued_on:
        raise ApplicationError("invalid_deadline", _("Hạn xử lý không thể trước ngày văn bản."),
                               fields={"deadline": [_("Hạn xử lý không thể trước ngày văn bản.")]})


def _refuse_duplicate(duplicates: QuerySet[IncomingDocument]) -> None:
    first = duplicates.order_by("received_at").first()
    if first is not None:
        raise ApplicationError(
            "duplicate",
            _("Văn bản số %(n)s của %(i)s đã được vào sổ (số đến %(a)s ngày %(d)s). Kiểm tra lại, hoặc xác nhận "
              "vẫn vào sổ.") % {"n": first.number_symbol, "i": first.issuer_name, "a": first.arrival_number_display or "—",
                                "d": timezone.localtime(first.received_at).strftime("%d/%m/%Y")},
            fields={"confirm_duplicate": [_("Văn bản có thể bị trùng.")]}, status=409)


def _duplicate_key_lock(*, agency_id: int, data: IncomingData) -> None:
    """Registrations of one number, symbol and issuer at one agency take turns until their transaction ends: the
    second of a double submit then finds the first in its duplicate check (both checked before either committed,
    and two entries were registered). A lock on a hash of the key: another key sharing the hash merely waits."""
    issuer = str(data.issuer_agency.pk) if data.issuer_agency else fold_vietnamese(data.issuer_name or "").strip()
    key = "|".join(("docs_office.incoming", str(agency_id), (data.number or "").strip().upper(),
                    (data.symbol or "").strip().upper(), issuer))
    lock_until_commit(key)


@transaction.atomic
def incoming_register_scan(*, clerk, data: IncomingData, upload=None, readers=(),
                           confirm_duplicate: bool = False, attachments=()) -> IncomingDocument:
    """The records clerk registers a paper document from its scan: arrival number, acknowledgement, event.
    `attachments`: its appendices, each a file of its own (PDF, JPEG, PNG or DOCX).

    A secret document is registered as metadata only (no file), visible to the named readers and the clerk.
    """
    from docs_office.services.attachments import incoming_attachments_check, incoming_attachments_store

    require(clerk.has_role(Role.RECORDS_CLERK) and clerk.agency_id is not None,
            _("Chỉ văn thư được vào sổ văn bản đến."))
    # The day of receipt in the agency's time, whatever zone the request runs in.
    _check_data(data, received_on=timezone.localdate(timezone=timezone.get_default_timezone()))
    secret = data.confidentiality != Confidentiality.NORMAL
    if secret and upload is not None:
        raise ApplicationError("secret_file", _("Văn bản mật chỉ được vào sổ thông tin, không lưu tệp trên hệ thống."),
                               fields={"file": [_("Không đính kèm tệp cho văn bản mật.")]})
    if not secret and upload is None:
        raise ApplicationError("file_required", _("Cần tệp quét (scan) của văn bản."),
                               fields={"file": [_("Bắt buộc.")]})
    content_type = checked_upload(upload, allowed=SCAN_TYPES) if upload is not None else None
    attachments = [a for a in attachments if a is not None]
    attachment_types = incoming_attachments_check(uploads=attachments, secret=secret)
    if secret and not readers:
        raise ApplicationError("readers_required", _("Văn bản mật phải chỉ rõ người được xem."),
                               fields={"readers": [_("Bắt buộc.")]})
    if any(not same_agency(reader, clerk.agency_id) for reader in readers):
        raise ApplicationError("other_agency", _("Người được xem phải là cán bộ của cơ quan."),
                               fields={"readers": [_("Cán bộ không thuộc cơ quan.")]})
    if secret:
        _secret_readers_check(clerk=clerk, readers=readers)
    if not confirm_duplicate:
        _duplicate_key_lock(agency_id=clerk.agency_id, data=data)
        _refuse_duplicate(incoming_duplicates(agency=clerk.agency, number=data.number, symbol=data.symbol,
                                              issuer_name=data.issuer_name, issuer_agency=data.issuer_agency))
    register = register_incoming_for(agency=clerk.agency, secret=secret)
    now = timezone.now()
    document = IncomingDocument(agency=clerk.agency, received_at=now, **_fields(data))
    number, year = register_number_allocate(register=register, at=now)
    document.register_arrival(register=register, number=number, year=year, by=clerk, at=now)
    if upload is not None:
        # Under a name of ours by its content, as edXML attachments are: the scanner's file name may carry a
        # person's name, and nothing serves the file by it (the pages send it by its sniffed type).
        document.file.save(f"van-ban-den.{EXTENSIONS[content_type]}", upload, save=False)
    document.save()
    incoming_attachments_store(document=document, by=clerk, at=now, files=[
        (a.name, t, a) for a, t in zip(attachments, attachment_types, strict=True)])
    if secret:
        document.readers.set({*readers, clerk})
    _event(document, action="register", from_state="", actor=clerk)
    legal_event_record(action="incoming.registered", obj=document, actor=clerk,
                       data={"arrival_number": number, "year": year, "number_symbol": document.number_symbol,
                             "issuer": document.issuer_name})
    return document


def _secret_readers_check(*, clerk, readers) -> None:
    """A secret document is seen only by its readers (and the clerk), and nothing changes them after registration
    but the leader's assignment: among them must be a leader of the agency, or nobody can ever assign it (found by
    exploratory testing: one read by the head of division alone was in no leader's list, for ever). As the outgoing
    side's _secret_reviewers_check."""
    if not any(p.is_active and same_agency(p, clerk.agency_id) and p.has_role(Role.LEADER) for p in {*readers, clerk}):
        message = _("Văn bản mật chỉ người có tên được xem: cần ghi tên lãnh đạo cơ quan để phân công xử lý. "
                    "Còn thiếu: %(m)s.") % {"m": _("lãnh đạo cơ quan")}
        raise ApplicationError("readers_incomplete", message, fields={"readers": [message]})


def _fields(data: IncomingData) -> dict:
    return {
        "number": xml_safe(data.number).strip(), "symbol": xml_safe(data.symbol).strip(),
        "issuer_name": xml_safe(data.issuer_name).strip(), "issuer_name_folded": fold_vietnamese(data.issuer_name),
        "issuer_agency": data.issuer_agency, "issued_on": data.issued_on, "document_type": data.document_type,
        "summary": xml_safe(data.summary).strip(), "summary_folded": fold_vietnamese(xml_safe(data.summary)),
        "signer_name": xml_safe(data.signer_name).strip(), "signer_position": xml_safe(data.signer_position).strip(),
        "place": xml_safe(data.place).strip(),
        "page_count": data.page_count, "urgency": data.urgency, "confidentiality": data.confidentiality,
        "deadline": data.deadline,
    }


def _locked(document: IncomingDocument) -> IncomingDocument:
    return IncomingDocument.objects.select_for_update(of=("self",)).select_related("source_delivery").get(
        pk=document.pk)


def _check_transition(document: IncomingDocument, action: str, method) -> None:
    if not method._django_fsm.has_transition(document.state):
        raise ApplicationError(
            "invalid_transition",
            _("Không thể %(a)s văn bản đang ở trạng thái “%(s)s”.") % {"a": ACTION_LABELS[action],
                                                                      "s": document.get_state_display()},
            status=409)


def _set_delivery(document: IncomingDocument, state: str, reason: str = "") -> None:
    delivery = document.source_delivery
    if delivery is not None:
        delivery.state, delivery.reason, delivery.updated_at = state, reason, timezone.now()
        delivery.save(update_fields=["state", "reason", "updated_at"])


@transaction.atomic
def incoming_accept(*, clerk, document: IncomingDocument, confirm_duplicate: bool = False) -> IncomingDocument:
    """The records clerk registers a document that arrived from another agency of the system."""
    document = _locked(document)
    require(clerk.has_role(Role.RECORDS_CLERK) and same_agency(clerk, document.agency_id),
            _("Chỉ văn thư của cơ quan nhận được vào sổ văn bản này."))
    _check_transition(document, "accept", document.register_arrival)
    if not confirm_duplicate:
        _refuse_duplicate(incoming_duplicates(agency=document.agency, number=document.number, symbol=document.symbol,
                                              issuer_name=document.issuer_name, issuer_agency=document.issuer_agency,
                                              exclude_pk=document.pk).exclude(state=S.RECEIVED))
    register = register_incoming_for(agency=document.agency, secret=document.is_secret)
    now = timezone.now()
    number, year = register_number_allocate(register=register, at=now)
    document.register_arrival(register=register, number=number, year=year, by=clerk, at=now)
    document.save()
    _set_delivery(document, DeliveryState.REGISTERED)
    _event(document, action="accept", from_state=S.RECEIVED, actor=clerk)
    return document


@transaction.atomic
def incoming_return(*, clerk, document: IncomingDocument, reason: str) -> IncomingDocument:
    """A wrongly addressed document goes back to its sender, with the reason."""
    from docs_office.services.exchange import exchange_notify_sender

    document = _locked(document)
    require(clerk.has_role(Role.RECORDS_CLERK) and same_agency(clerk, document.agency_id),
            _("Chỉ văn thư của cơ quan nhận được trả lại văn bản này."))
    reason = reason_required(reason)
    _check_transition(document, "return", document.return_to_sender)
    # From another agency of the system, or from outside it by edXML (the clerk then sends the sender the
    # status message "refused", with this reason).
    if document.source_delivery is None and not document.external_id:
        raise ApplicationError("not_electronic", _("Chỉ văn bản nhận liên thông mới trả lại được trên hệ thống."),
                               status=409)
    document.return_to_sender(at=timezone.now(), reason=reason)
    document.save()
    _set_delivery(document, DeliveryState.RETURNED, reason)
    _event(document, action="return", from_state=S.RECEIVED, actor=clerk, note=reason)
    if document.source_delivery is not None:
        from egov.notifications.services import recipient_language

        with recipient_language():  # the sending agency's message, whatever this clerk's language
            exchange_notify_sender(delivery=document.source_delivery,
                                   subject=_("Văn bản bị trả lại: %(s)s") % {"s": document.number_symbol},
                                   text=_("%(a)s trả lại văn bản %(s)s. Lý do: %(r)s") % {
                                       "a": document.agency.name, "s": document.number_symbol, "r": reason})
    return document


def assignment_deadline_problems(*, document_deadline: date | None,
                                 assignments: list[AssignmentData]) -> list[tuple[int, str]]:
    """What is wrong with an assignment's deadlines, as (index of the assignment, message): the lead's may not fall
    after the document's own deadline, nor a supporter's or a for-information assignee's after the lead's (or, the
    lead having none, after the document's). The assignment page puts each message on its row."""
    lead = next((a for a in assignments if a.role == AssignmentRole.LEAD), None)
    lead_deadline = lead.deadline if lead is not None else None
    problems = []
    for index, item in enumerate(assignments):
        if item.deadline is None:
            continue
        if item.role == AssignmentRole.LEAD:
            if document_deadline and item.deadline > document_deadline:
                problems.append((index, _("Hạn của xử lý chính (%(d)s) không được sau hạn xử lý của văn bản (%(h)s).") % {
                    "d": item.deadline.strftime("%d/%m/%Y"), "h": document_deadline.strftime("%d/%m/%Y")}))
        elif lead_deadline and item.deadline > lead_deadline:
            problems.append((index, _("Hạn của người, đơn vị %(r)s (%(d)s) không được sau hạn của xử lý chính (%(h)s).") % {
                "r": AssignmentRole(item.role).label.lower(), "d": item.deadline.strftime("%d/%m/%Y"),
                "h": lead_deadline.strftime("%d/%m/%Y")}))
        elif not lead_deadline and document_deadline and item.deadline > document_deadline:
            problems.append((index, _("Hạn của người, đơn vị %(r)s (%(d)s) không được sau hạn xử lý của văn bản (%(h)s).") % {
                "r": AssignmentRole(item.role).label.lower(), "d": item.deadline.strftime("%d/%m/%Y"),
                "h": document_deadline.strftime("%d/%m/%Y")}))
    return problems


def _assignment_note(assignments: list[AssignmentData]) -> str:
    """The history's note of an assignment: every assignee with their role, deadline and instruction, lead first."""
    order = [AssignmentRole.LEAD, AssignmentRole.SUPPORT, AssignmentRole.INFO]
    parts = []
    for item in sorted(assignments, key=lambda a: order.index(a.role)):
        values = {"r": AssignmentRole(item.role).label, "w": item.user or item.division}
        if item.deadline:
            part = _("%(r)s: %(w)s, hạn %(d)s") % {**values, "d": item.deadline.strftime("%d/%m/%Y")}
        else:
            part = _("%(r)s: %(w)s, không có hạn") % values
        if item.instruction.strip():
            part = _("%(a)s (chỉ đạo: %(i)s)") % {"a": part, "i": item.instruction.strip()}
        parts.append(part)
    return "; ".join(parts) + "."


def _is_leader(user, document) -> bool:
    return user.has_role(Role.LEADER) and same_agency(user, document.agency_id)


@transaction.atomic
def incoming_assign(*, leader, document: IncomingDocument, assignments: list[AssignmentData]) -> IncomingDocument:
    """The leader assigns: exactly one lead, any supporting and for-information assignees, each with a
    deadline and an instruction. A new assignment replaces the previous one (the history keeps it)."""
    document = _locked(document)
    require(_is_leader(leader, document), _("Chỉ lãnh đạo cơ quan được phân công xử lý văn bản đến."))
    _check_transition(document, "assign", document.assign)
    leads = [a for a in assignments if a.role == AssignmentRole.LEAD]
    if len(leads) != 1:
        raise ApplicationError("one_lead", _("Phải có đúng một cá nhân hoặc đơn vị xử lý chính."),
                               fields={"assignments": [_("Phải có đúng một cá nhân hoặc đơn vị xử lý chính.")]})
    # A supporter without a deadline of their own supports by the lead's (the page's rows did so, the API did not: the
    # supporter's list then showed the document's later deadline). For-information assignees have nothing to hand in:
    # theirs stays empty.
    assignments = [replace(a, deadline=leads[0].deadline) if a.role == AssignmentRole.SUPPORT and a.deadline is None
                   else a for a in assignments]
    today = timezone.localdate()
    for item in assignments:
        if item.role not in AssignmentRole.values or (item.user is None) == (item.division is None):
            raise ApplicationError("invalid_assignment", _("Mỗi phân công là một cán bộ hoặc một phòng, ban."),
                                   fields={"assignments": [_("Phân công không hợp lệ.")]})
        if item.user is not None and not same_agency(item.user, document.agency_id):
            raise ApplicationError("other_agency", _("Chỉ phân công cho cán bộ của cơ quan."),
                                   fields={"assignments": [_("Cán bộ không thuộc cơ quan.")]})
        if item.division is not None and item.division.agency_id != document.agency_id:
            raise ApplicationError("other_agency", _("Chỉ phân công cho phòng, ban của cơ quan."),
                                   fields={"assignments": [_("Phòng, ban không thuộc cơ quan.")]})
        if item.division is not None and document.is_secret:
            raise ApplicationError("secret_named_only", _("Văn bản mật chỉ phân công cho cá nhân có tên."),
                                   fields={"assignments": [_("Văn bản mật chỉ phân công cho cá nhân có tên.")]})
        if item.deadline and item.deadline < today:
            raise ApplicationError("invalid_deadline", _("Hạn xử lý không thể ở quá khứ."),
                                   fields={"deadline": [_("Hạn xử lý không thể ở quá khứ.")]})
        if problem := deadline_problem(item.deadline):
            raise ApplicationError("invalid_deadline", problem, fields={"deadline": [problem]})
    deadline_problems = assignment_deadline_problems(document_deadline=document.deadline, assignments=assignments)
    if deadline_problems:
        messages = [message for _index, message in deadline_problems]
        raise ApplicationError("deadline_after_limit", " ".join(messages), fields={"deadline": messages})
    # One role per person or unit in an assignment: leading and supporting at once leaves nobody to support.
    seen = set()
    for item in assignments:
        key = ("user", item.user.pk) if item.user is not None else ("division", item.division.pk)
        if key in seen:
            message = _("%(w)s được chọn hai lần trong một phân công; mỗi người hoặc đơn vị chỉ nhận một vai trò.") % {
                "w": item.user.full_name if item.user is not None else item.division.name}
            raise ApplicationError("assignee_twice", message, fields={"assignments": [message]})
        seen.add(key)
    from_state = document.state
    now = timezone.now()
    document.assignments.all().delete()
    IncomingAssignment.objects.bulk_create([
        IncomingAssignment(document=document, role=a.role, user=a.user, division=a.division, deadline=a.deadline,
                           instruction=a.instruction.strip(), assigned_by=leader, assigned_at=now)
        for a in assignments
    ])
    no_longer_reading = _assignment_readers_replace(document, assignments) if document.is_secret else []
    document.assign()
    document.save(update_fields=["state"])
    with portal_language():  # the record's note, read later in either language
        note = _assignment_note(assignments)
        if no_longer_reading:
            note += " " + _("Không còn được xem văn bản mật (chỉ được xem do phân công trước): %(p)s.") % {
                "p": ", ".join(no_longer_reading)}
    _event(document, action="assign", from_state=from_state, actor=leader, note=note)
    _notify_assignees(document, assignments)
    return document


def _assignment_readers_replace(document: IncomingDocument, assignments: list[AssignmentData]) -> list[str]:
    """A secret document's assignees become its readers; whoever read it only through an assignment this one no longer
    names stops reading it (found by review: every earlier assignee kept it for ever). Readers named at registration
    stay. Returns the names of those taken off, for the history."""
    from docs_office.models import IncomingReader

    assigned = [a.user for a in assignments]
    replaced = (IncomingReader.objects.filter(incomingdocument=document, by_assignment=True)
                .exclude(user__in=[user.pk for user in assigned]).select_related("user").order_by("user__full_name"))
    names = [reader.user.full_name or reader.user.username for reader in replaced]
    replaced.delete()
    document.readers.add(*assigned, through_defaults={"by_assignment": True})
    return names


def _notify_assignees(document: IncomingDocument, assignments: list[AssignmentData]) -> None:
    from egov.notifications.models import Channel
    from egov.notifications.services import notification_send, recipient_language

    users = {a.user for a in assignments if a.user is not None}
    for division in {a.division for a in assignments if a.division is not None}:
        users.update(division.members.all())
    with recipient_language():
        for user in users:
            notification_send(template="message", channel=Channel.IN_APP, recipient=user, payload={
                "subject": _("Văn bản đến cần xử lý: %(s)s") % {"s": document.number_symbol},
                "text": document.summary, "link": reverse("docs_office:incoming_detail", args=[document.pk])})


def incoming_assignments_of(*, user, document: IncomingDocument) -> list[IncomingAssignment]:
    divisions = set(Division.objects.filter(members=user).values_list("pk", flat=True))
    return [a for a in document.assignments.all() if a.user_id == user.pk or a.division_id in divisions]


@transaction.atomic
def incoming_opinion_add(*, user, document: IncomingDocument, text: str, progress: int | None = None) -> IncomingOpinion:
    """A handler's opinion or progress; the lead's first one starts the handling."""
    document = _locked(document)
    mine = incoming_assignments_of(user=user, document=document)
    require(bool(mine) or _is_leader(user, document), _("Bạn không được phân công xử lý văn bản này."))
    if document.state not in (S.ASSIGNED, S.IN_PROGRESS):
        raise ApplicationError("invalid_transition", _("Văn bản không ở giai đoạn xử lý."), status=409)
    if not (text or "").strip():
        raise ApplicationError("opinion_required", _("Cần nhập nội dung ý kiến."), fields={"text": [_("Bắt buộc.")]})
    if progress is not None and not 0 <= progress <= 100:
        raise ApplicationError("invalid_progress", _("Tiến độ từ 0 đến 100%."), fields={"progress": [_("0–100.")]})
    opinion = IncomingOpinion.objects.create(document=document, author=user, text=text.strip(), progress=progress)
    if document.state == S.ASSIGNED and any(a.role == AssignmentRole.LEAD for a in mine):
        document.start()
        document.save(update_fields=["state"])
        _event(document, action="start", from_state=S.ASSIGNED, actor=user)
    return opinion


@transaction.atomic
def incoming_close(*, user, document: IncomingDocument, result: str, answered_by=None) -> IncomingDocument:
    """The lead handler (or the leader) closes the document with its result, often the answering document."""
    document = _locked(document)
    is_lead = any(a.role == AssignmentRole.LEAD for a in incoming_assignments_of(user=user, document=document))
    require(is_lead or _is_leader(user, document), _("Chỉ người xử lý chính hoặc lãnh đạo được kết thúc xử lý."))
    _check_transition(document, "close", document.close)
    if not (result or "").strip():
        raise ApplicationError("result_required", _("Cần ghi kết quả xử lý."), fields={"result": [_("Bắt buộc.")]})
    if answered_by is not None and answered_by.agency_id != document.agency_id:
        raise ApplicationError("other_agency", _("Văn bản trả lời phải của cùng cơ quan."), status=400)
    # The answer is a document the agency sent: a draft may still be returned, a recalled one no longer stands.
    if answered_by is not None and answered_by.state != OutgoingState.ISSUED:
        message = _("Văn bản trả lời phải là văn bản đi đã phát hành.")
        raise ApplicationError("answer_not_issued", message, fields={"answered_by": [message]})
    from_state = document.state
    document.close(at=timezone.now(), result=result.strip(), answered_by=answered_by)
    document.save(update_fields=["state", "closed_at", "result", "answered_by"])
    _event(document, action="close", from_state=from_state, actor=user, note=result.strip())
    return document


def incoming_withdraw(*, document: IncomingDocument, reason: str, actor) -> IncomingDocument:
    """The sender recalled the document: the recipient's copy is withdrawn (called by the exchange)."""
    document = _locked(document)
    if document.state in (S.RETURNED, S.WITHDRAWN, S.CLOSED):
        return document
    from_state = document.state
    document.withdraw(at=timezone.now(), reason=reason)
    document.save(update_fields=["state", "closed_at", "closing_reason"])
    _event(document, action="withdraw", from_state=from_state, actor=actor, note=reason)
    return document


def incoming_files_check(*, document: IncomingDocument) -> None:
    """A copy the sender recalled no longer gives out its files (the main file and attachments): 410, saying who
    recalled it and why. Its metadata, history and the reason stay readable."""
    recall = document.recall
    if recall is None:
        return
    message = _("Văn bản đã bị %(a)s thu hồi; tệp văn bản và tệp đính kèm không còn được cung cấp.") % {"a": recall.by}
    if recall.reason:
        message += " " + _("Lý do thu hồi: %(r)s") % {"r": recall.reason}
    raise ApplicationError("recalled", message, status=410)


def incoming_actions_for(*, user, document: IncomingDocument) -> set[str]:
    """What the detail page offers this user now."""
    actions = set()
    clerk = user.has_role(Role.RECORDS_CLERK) and same_agency(user, document.agency_id)
    if clerk and document.state == S.RECEIVED:
        actions |= {"accept", "return"}
    if _is_leader(user, document) and document.assign._django_fsm.has_transition(document.state):
        actions.add("assign")
    if document.state in (S.ASSIGNED, S.IN_PROGRESS):
        mine = incoming_assignments_of(user=user, document=document)
        if mine or _is_leader(user, document):
            actions.add("opinion")
        if any(a.role == AssignmentRole.LEAD for a in mine) or _is_leader(user, document):
            actions.add("close")
    return actions
