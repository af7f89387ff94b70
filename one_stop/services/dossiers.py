"""The dossier lifecycle: receipt (code and due date), the transitions, who may take each one."""

import math
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from egov.accounts.roles import Role
from egov.accounts.validators import normalize_phone
from egov.audit.services import legal_event_record
from egov.core.errors import ApplicationError
from egov.core.text import fold_vietnamese
from egov.workdays.services import add_working_days, is_working_day, next_working_day
from one_stop.constants import DESK_CHANNELS, DRAFT_CODE_PREFIX, ApplicantKind, DossierChannel, DossierState
from one_stop.models import Dossier, DossierCodeCounter, Procedure
from one_stop.models.dossier import TRANSITION_PERMISSIONS
from one_stop.selectors import dossier_supplement_asked_at, procedure_version_current
from one_stop.services.events import dossier_event_add

# One-stop rules: a dossier received after 15:00 counts from the next working day; results are due
# by the end of office hours.
CUTOFF = time(15, 0)
OFFICE_CLOSES = time(17, 0)

# Who may take each transition, and on which side of the hand-over (the receiving desk or the
# handling agency). The citizen's own withdrawal is checked separately.
ACTION_LABELS = {
    "receive": gettext_lazy("tiếp nhận"), "start": gettext_lazy("bắt đầu giải quyết"),
    "request_supplement": gettext_lazy("yêu cầu bổ sung"), "resume": gettext_lazy("nhận hồ sơ bổ sung"),
    "resolve": gettext_lazy("duyệt kết quả"), "return_result": gettext_lazy("trả kết quả"),
    "refuse": gettext_lazy("từ chối"), "withdraw": gettext_lazy("rút"),
}
NEEDS_REASON = {"request_supplement", "refuse", "withdraw"}
CLOSING_ACTIONS = {"refuse", "withdraw"}
# What other apps do in the transaction that refuses or withdraws a dossier, registered by them at start-up (the
# portal's payments expire its pending attempts: public_services.apps), so that one_stop depends on none of them.
# Each is called as hook(dossier=, actor=, action=) with the dossier locked and saved.
DOSSIER_CLOSED_HOOKS: list = []
LEGAL_ACTIONS = {"receive", "resolve", "return_result", "refuse"}


@dataclass(frozen=True)
class ApplicantData:
    full_name: str
    id_number: str
    phone: str = ""
    address: str = ""
    email: str = ""
    kind: str = ApplicantKind.PERSON


def dossier_code_allocate(*, agency, at: datetime) -> str:
    """`{agency exchange code}-{yymmdd}-{4-digit daily sequence}`; call inside the receiving transaction.

    The day's counter row is created if missing (ON CONFLICT DO NOTHING) and then locked, so parallel
    receipts take consecutive numbers and a rolled-back receipt gives its number back.
    """
    day = timezone.localtime(at).date()
    DossierCodeCounter.objects.bulk_create([DossierCodeCounter(agency=agency, day=day)], ignore_conflicts=True)
    counter = DossierCodeCounter.objects.select_for_update().get(agency=agency, day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{agency.exchange_code}-{day:%y%m%d}-{counter.last:04d}"


def dossier_clock_start(received_at: datetime) -> datetime:
    """When the time limit starts: the receipt itself, or the next working day's opening when the
    dossier came after 15:00 or on a day off."""
    local = timezone.localtime(received_at)
    if local.time() < CUTOFF and is_working_day(local.date()):
        return local
    start_day = next_working_day(local.date())
    return timezone.make_aware(datetime.combine(start_day, time(7, 30)))


def dossier_due_at(*, processing_days, clock_start: datetime) -> datetime:
    """N working days after the day the clock starts, at the close of office hours (same day for 0)."""
    days = math.ceil(processing_days or 0)
    start_day = timezone.localtime(clock_start).date()
    due_day = add_working_days(start_day, days) if days else start_day
    return timezone.make_aware(datetime.combine(due_day, OFFICE_CLOSES))


def dossier_time_limit(dossier: Dossier):
    """The time limit in working days that applies to `dossier`: its procedure version's, or, where the catalogue
    states none, the one the desk gave at receipt (None before that)."""
    return dossier.processing_days if dossier.processing_days is not None else dossier.procedure_version.processing_days


MAX_GIVEN_DAYS = 365


def _time_limit_given(dossier: Dossier, processing_days) -> None:
    """At receipt: where the procedure's version states no time limit, the desk must give one (working days), kept
    on the dossier; where it states one, that is the legal limit and nothing given replaces it."""
    if dossier.procedure_version.processing_days is not None:
        return
    if processing_days is None:
        text = " ".join(dossier.procedure_version.processing_text.split())
        if text:
            # The catalogue's words ("10 Ngày (Trực tuyến, …)", quoted on form 01 too) do not say working days, which
            # the one-stop deadlines count: the clerk confirms how many working days they mean.
            message = _("Danh mục ghi thời hạn giải quyết “%(text)s”, không nêu là ngày làm việc: xác nhận số ngày làm "
                        "việc hẹn trả kết quả.") % {"text": text if len(text) <= 160 else text[:159] + "…"}
            field = _("Ghi số ngày làm việc theo thời hạn danh mục ghi.")
        else:
            message = _("Danh mục chưa nêu thời hạn giải quyết của thủ tục này: ghi số ngày làm việc hẹn trả kết quả.")
            field = _("Bắt buộc với thủ tục chưa có thời hạn trong danh mục.")
        raise ApplicationError("time_limit_required", message, fields={"processing_days": [field]})
    try:
        days = Decimal(str(processing_days))
        valid = days.is_finite() and 0 <= days <= MAX_GIVEN_DAYS and (days * 2) == (days * 2).to_integral_value()
    except InvalidOperation:  # not a number at all ("mười")
        valid = False
    if not valid:
        raise ApplicationError(
            "time_limit_invalid", _("Thời hạn giải quyết phải từ 0 đến %(max)s ngày làm việc, theo nửa ngày.") % {
                "max": MAX_GIVEN_DAYS}, fields={"processing_days": [_("Không hợp lệ.")]})
    dossier.processing_days = days


def _event(dossier: Dossier, *, action: str, from_state: str, actor, agency=None, note: str = "") -> None:
    dossier_event_add(dossier, action=action, from_state=from_state, actor=actor,
                      agency=agency or getattr(actor, "agency", None), note=note)


def version_fee_for(version, channel: str) -> int | None:
    """The fee the catalogue states for submitting by `channel` (online is often cheaper: "Trực tuyến: 10.000 đồng;
    Trực tiếp: 20.000 đồng"), the smallest if the channel has several rows; else the version's own fee (the
    counter's)."""
    fees = [terms.get("fee_vnd") for terms in (version.channels or [])
            if terms.get("channel") == channel and terms.get("fee_vnd") is not None]
    return min(fees) if fees else version.fee_vnd


def _fee(version, channel: str, exempt_reason: str) -> tuple[int | None, str]:
    """The fee fixed at receipt: the catalogue's for the channel (a dossier sent by post pays the post's), or nothing
    when the desk records an exemption."""
    if exempt_reason.strip():
        return 0, exempt_reason.strip()[:255]
    return version_fee_for(version, channel), ""


def _handling_agency_check(handling_agency, clerk) -> None:
    """Province-wide receipt routes a dossier to any agency of the province that is in service; an agency closed (a
    commune merged away) handles nothing."""
    if handling_agency is not None and handling_agency.pk != clerk.agency_id and not handling_agency.is_active:
        raise ApplicationError("invalid_agency", _("Cơ quan giải quyết đã ngừng hoạt động: chọn cơ quan khác."),
                               fields={"handling_agency": [_("Chọn cơ quan khác.")]})


# A passport number: letters and digits, at least one letter (all digits are read as an ID number), 6 to 20 of them.
PASSPORT_NUMBER = re.compile(r"(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{6,20}")


def applicant_id_number_clean(*, kind: str, id_number: str) -> str:
    """The applicant's identifier as kept: an organisation's is its tax code (format and check digit verified,
    normalised); a person's is the ID number as typed — 12 digits (căn cước), 9 (an old identity card), or a
    passport's letters and digits, which have no single format (a foreigner's): only the plainly impossible ("123")
    is refused."""
    from django.core.exceptions import ValidationError

    from egov.accounts.validators import normalize_tax_code, validate_tax_code

    if kind not in ApplicantKind.values:
        raise ApplicationError("invalid_applicant_kind", _("Loại người nộp phải là cá nhân hoặc tổ chức."),
                               fields={"kind": [_("Chọn cá nhân hoặc tổ chức.")]})
    if kind != ApplicantKind.ORGANISATION:
        number = id_number.strip()
        plausible = (len(number) in (9, 12) if number.isascii() and number.isdigit()
                     else PASSPORT_NUMBER.fullmatch(number) is not None)
        if not plausible:
            message = _("Số định danh cá nhân gồm 12 chữ số (chứng minh nhân dân cũ: 9 chữ số); số hộ chiếu gồm 6–20 chữ "
                        "cái và chữ số.")
            raise ApplicationError("invalid_id_number", message, fields={"id_number": [message]})
        return number
    try:
        validate_tax_code(id_number)
    except ValidationError as exc:
        raise ApplicationError("invalid_tax_code", exc.messages[0], fields={"id_number": exc.messages}) from None
    return normalize_tax_code(id_number)


def _applicant_fields(applicant: ApplicantData) -> dict:
    if not applicant.full_name.strip() or not applicant.id_number.strip():
        raise ApplicationError("applicant_incomplete", _("Cần họ tên và số định danh (hoặc mã số thuế) của người nộp."),
                               fields={k: [_("Bắt buộc.")] for k, v in
                                       (("full_name", applicant.full_name), ("id_number", applicant.id_number))
                                       if not v.strip()})
    return {"applicant_kind": applicant.kind, "applicant_name": applicant.full_name.strip(),
            "applicant_name_folded": fold_vietnamese(applicant.full_name),
            "applicant_id_number": applicant_id_number_clean(kind=applicant.kind, id_number=applicant.id_number),
            "applicant_phone": normalize_phone(applicant.phone) if applicant.phone else "",
            "applicant_email": applicant.email.strip(), "applicant_address": applicant.address.strip()}


# A submission key is unique per receiving agency (dossier_submission_key_unique), and a repeat is recognised only for
# the one who sent it: the desk's receipts and each citizen's drafts keep their keys apart (found in review: two
# citizens' same key was a 500, and a clerk sending a key a citizen's draft held got that draft, their personal data).
SUBMISSION_KEY_MAX = 64


def submission_key_for_desk(key: str) -> str:
    """The stored form of a key the desk's counter or API sent (empty: none)."""
    return f"desk:{key}" if key else ""


def submission_key_for_citizen(citizen_id: int, key: str) -> str:
    """The stored form of a key a citizen's portal form or API client sent (empty: none)."""
    return f"citizen:{citizen_id}:{key}" if key else ""


def submission_key_sent(stored: str) -> str:
    """The key as its sender wrote it, from its stored form (a page sends its form's key back as it was)."""
    if stored.startswith("citizen:"):
        return stored.split(":", 2)[2]
    return stored.removeprefix("desk:")


def dossier_save_keyed(dossier: Dossier, **save_kwargs) -> None:
    """Save a dossier that carries a submission key: the key already taken (a race the lookups' locks did not
    serialise) is a 409 with a message, never a server error."""
    from django.db import IntegrityError

    try:
        with transaction.atomic():
            dossier.save(**save_kwargs)
    except IntegrityError as exc:
        if "dossier_submission_key_unique" not in str(exc):
            raise
        raise ApplicationError("submission_key_taken", _("Khóa gửi một lần (Idempotency-Key) này đã được dùng cho một "
                                                         "hồ sơ khác; hãy gửi lại với khóa mới."), status=409) from None


def _submission_repeated(*, agency_id: int, key: str) -> Dossier | None:
    """The dossier a receipt with this key already made at this desk, or None. Receipts of one key take turns until
    their transaction ends (a double click sends both before the first is stored), so the second finds the first.
    Only the desk's own receipts count: a citizen's draft holding the same key is theirs (its stored key differs)."""
    from egov.core.locks import lock_until_commit

    lock_until_commit(f"one_stop.receipt|{agency_id}|{key}")
    dossier = Dossier.objects.filter(receiving_agency_id=agency_id, submission_key=submission_key_for_desk(key)).first()
    if dossier is not None:
        dossier.repeated_submission = True
    return dossier


@transaction.atomic
def dossier_receive_at_counter(*, clerk, procedure: Procedure, applicant: ApplicantData,
                               channel: str = DossierChannel.COUNTER, handling_agency=None,
                               checklist: list[dict] | None = None, fee_exempt_reason: str = "",
                               scans=(), processing_days=None, submission_key: str = "") -> Dossier:
    """A clerk receives a dossier at the desk: code, procedure version, due date, steps, control sheet.

    Any desk of the province may receive for any procedure (2025 one-stop decree); the dossier is
    handled by `handling_agency` (default the clerk's own) and keeps the receiving desk's code.
    `checklist` records which required documents were handed in (default: all of them); `scans` are
    (requirement, file) pairs stored with the dossier in the same transaction. `processing_days` is the time limit
    the desk gives when the procedure's version states none (required then, ignored otherwise).
    `submission_key`: the form's one-time key (the API's Idempotency-Key): sent again, it returns the dossier the first
    sending received (with `repeated_submission` set), however close together the two arrive.
    """
    from one_stop.services.documents import dossier_checklist_from_version, dossier_document_add
    from one_stop.services.process import dossier_steps_create

    if not clerk.has_role(Role.ONE_STOP_CLERK) or clerk.agency_id is None:
        raise ApplicationError("not_a_clerk", _("Chỉ cán bộ Bộ phận Một cửa được tiếp nhận hồ sơ."), status=403)
    submission_key = (submission_key or "").strip()[:SUBMISSION_KEY_MAX]
    if submission_key:
        repeated = _submission_repeated(agency_id=clerk.agency_id, key=submission_key)
        if repeated is not None:
            return repeated
    version = procedure_version_current(procedure=procedure)
    if version is None or not procedure.is_active:
        raise ApplicationError("procedure_unavailable", _("Thủ tục này hiện không được áp dụng."), status=409)
    if channel not in DESK_CHANNELS:
        raise ApplicationError("invalid_channel", _("Bộ phận Một cửa tiếp nhận hồ sơ nộp trực tiếp hoặc qua bưu chính."),
                               fields={"channel": [_("Chọn trực tiếp hoặc qua bưu chính.")]})
    _handling_agency_check(handling_agency, clerk)
    now = timezone.now().replace(second=0, microsecond=0)  # receipt times are kept to the minute
    dossier = Dossier(
        code=dossier_code_allocate(agency=clerk.agency, at=now), procedure=procedure, procedure_version=version,
        receiving_agency=clerk.agency, handling_agency=handling_agency or clerk.agency, channel=channel,
        submitted_at=now, submission_key=submission_key_for_desk(submission_key), **_applicant_fields(applicant),
    )
    _time_limit_given(dossier, processing_days)
    dossier.fee_vnd, dossier.fee_note = _fee(version, channel, fee_exempt_reason)
    # Without a checklist (the API's counter receipt) the clerk holds every required paper in hand.
    dossier.checklist = checklist if checklist is not None else dossier_checklist_from_version(
        dossier, received=set(range(len(version.required_documents))))
    clock_start = dossier_clock_start(now)
    dossier.receive(at=now, by=clerk, clock_start=clock_start,
                    due_at=dossier_due_at(processing_days=dossier_time_limit(dossier), clock_start=clock_start))
    dossier_save_keyed(dossier)
    dossier_steps_create(dossier=dossier, by=clerk)
    for requirement, upload in scans:
        dossier_document_add(dossier=dossier, user=clerk, file=upload, requirement=requirement, record=False)
    _event(dossier, action="receive", from_state=DossierState.SUBMITTED, actor=clerk)
    legal_event_record(action="dossier.received", obj=dossier, actor=clerk,
                       data={"code": dossier.code, "procedure": procedure.code, "due_at": dossier.due_at,
                             "channel": dossier.channel, "handling_agency": dossier.handling_agency.exchange_code})
    return dossier


@transaction.atomic
def dossier_submit_online(*, citizen, procedure: Procedure, handling_agency, applicant: ApplicantData | None = None,
                          channel: str = DossierChannel.ONLINE) -> Dossier:
    """A citizen submits online: the dossier waits at the handling agency's desk (`submitted`).

    The code is allocated now, by the desk that will receive it, so the citizen can follow it at once;
    the time limit starts only when the desk receives it.
    """
    if not citizen.has_role(Role.CITIZEN):
        raise ApplicationError("not_a_citizen", _("Chỉ tài khoản công dân, tổ chức được nộp hồ sơ trực tuyến."),
                               status=403)
    version = procedure_version_current(procedure=procedure)
    if version is None or not procedure.is_active:
        raise ApplicationError("procedure_unavailable", _("Thủ tục này hiện không được áp dụng."), status=409)
    applicant = applicant or ApplicantData(full_name=citizen.full_name, id_number=citizen.national_id or "",
                                           phone=citizen.phone or "", email=citizen.email or "")
    now = timezone.now().replace(second=0, microsecond=0)
    dossier = Dossier(
        code=dossier_code_allocate(agency=handling_agency, at=now), procedure=procedure, procedure_version=version,
        receiving_agency=handling_agency, handling_agency=handling_agency, channel=channel, citizen=citizen,
        submitted_at=now, **_applicant_fields(applicant),
    )
    dossier.save()
    _event(dossier, action="submit", from_state="", actor=citizen, agency=handling_agency)
    return dossier


def _draft_code() -> str:
    # Drafts have no place in the desk's daily sequence (an abandoned draft would leave a gap): they
    # get a temporary code, and the real one when submitted.
    import secrets

    return f"{DRAFT_CODE_PREFIX}{secrets.token_hex(8).upper()}"


def _require_citizen(citizen) -> None:
    if not citizen.has_role(Role.CITIZEN):
        raise ApplicationError("not_a_citizen", _("Chỉ tài khoản công dân, tổ chức được nộp hồ sơ trực tuyến."),
                               status=403)


@transaction.atomic
def dossier_draft_create(*, citizen, procedure: Procedure, handling_agency, form_data: dict | None = None,
                         applicant: ApplicantData | None = None, submission_key: str = "") -> Dossier:
    """A citizen starts an online dossier: saved as a draft they can come back to.

    `submission_key`: the portal form's one-time key (public_services.services), kept so that the same form sent
    again finds this dossier instead of starting another."""
    _require_citizen(citizen)
    version = procedure_version_current(procedure=procedure)
    if version is None or not procedure.is_active:
        raise ApplicationError("procedure_unavailable", _("Thủ tục này hiện không được áp dụng."), status=409)
    applicant = applicant or ApplicantData(full_name=citizen.full_name, id_number=citizen.national_id or "",
                                           phone=citizen.phone or "", email=citizen.email or "")
    dossier = Dossier(code=_draft_code(), procedure=procedure, procedure_version=version, state=DossierState.DRAFT,
                      receiving_agency=handling_agency, handling_agency=handling_agency, channel=DossierChannel.ONLINE,
                      citizen=citizen, form_data=form_data or {},
                      submission_key=submission_key_for_citizen(citizen.pk, (submission_key or "")[:SUBMISSION_KEY_MAX]),
                      **_applicant_fields(applicant))
    dossier_save_keyed(dossier)
    _event(dossier, action="draft", from_state="", actor=citizen, agency=handling_agency)
    return dossier


def _own_draft(dossier: Dossier, citizen) -> Dossier:
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if dossier.citizen_id != citizen.pk:
        raise ApplicationError("not_found", _("Không tìm thấy hồ sơ."), status=404)
    if dossier.state != DossierState.DRAFT:
        raise ApplicationError("not_a_draft", _("Hồ sơ đã nộp, không sửa được nữa."), status=409)
    return dossier


@transaction.atomic
def dossier_draft_update(*, dossier: Dossier, citizen, form_data: dict, applicant: ApplicantData | None = None) -> Dossier:
    dossier = _own_draft(dossier, citizen)
    dossier.form_data = form_data
    fields = ["form_data"]
    if applicant is not None:
        values = _applicant_fields(applicant)
        for key, value in values.items():
            setattr(dossier, key, value)
        fields += list(values)
    dossier.save(update_fields=fields)
    return dossier


@transaction.atomic
def dossier_submit(*, dossier: Dossier, citizen) -> Dossier:
    """The citizen submits the draft: the desk's code is allocated now and the dossier waits in the
    desk's online inbox (the time limit starts when the desk receives it)."""
    dossier = _own_draft(dossier, citizen)
    now = timezone.now().replace(second=0, microsecond=0)
    dossier.submit(at=now, code=dossier_code_allocate(agency=dossier.receiving_agency, at=now))
    dossier.save()
    _event(dossier, action="submit", from_state=DossierState.DRAFT, actor=citizen, agency=dossier.receiving_agency)
    from one_stop.services.notify import dossier_applicant_notify

    dossier_applicant_notify(dossier=dossier, action="submit")
    return dossier


@transaction.atomic
def dossier_supplement_submit(*, dossier: Dossier, citizen, note: str = "") -> Dossier:
    """The applicant sends the requested supplement back online; it waits for the desk, whose
    `resume` (or `receive`, if never received) restarts the clock in full."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if dossier.citizen_id != citizen.pk:
        raise ApplicationError("not_found", _("Không tìm thấy hồ sơ."), status=404)
    if dossier.state != DossierState.SUPPLEMENT_REQUESTED or dossier.supplement_submitted_at is not None:
        raise ApplicationError("invalid_transition", _("Hồ sơ không ở trạng thái chờ bổ sung."), status=409)
    # What this round asked for: a file the applicant uploaded since the latest request (a file of an earlier round
    # answered that one; found in review, a second round could be "sent" with nothing new).
    asked_at = dossier_supplement_asked_at(dossier=dossier)
    supplements = dossier.documents.filter(kind="supplement", uploaded_by_id=citizen.pk)
    if asked_at is not None:
        supplements = supplements.filter(uploaded_at__gte=asked_at)
    if not supplements.exists():
        raise ApplicationError("supplement_empty", _("Cần tải lên giấy tờ bổ sung trước khi gửi."),
                               fields={"file": [_("Bắt buộc.")]})
    dossier.supplement_submitted_at = timezone.now().replace(second=0, microsecond=0)
    dossier.save(update_fields=["supplement_submitted_at"])
    _event(dossier, action="supplement_submit", from_state=dossier.state, actor=citizen,
           agency=dossier.receiving_agency, note=note.strip())
    return dossier


def _may_act(user, dossier: Dossier, action: str) -> bool:
    """The permission its transition carries (one_stop.models.dossier.TRANSITION_PERMISSIONS), asked apart from
    the state so that a stranger gets 403 and a wrong moment 409."""
    return TRANSITION_PERMISSIONS[action](dossier, user)


def dossier_actions_for(*, dossier: Dossier, user) -> list[tuple[str, str]]:
    """The (action, label) pairs this user may take on the dossier now: what the page offers."""
    from one_stop.services.results import dossier_resolve_refusal

    return [(action, str(ACTION_LABELS[action])) for action in TRANSITION_PERMISSIONS
            if can_proceed(getattr(dossier, action)) and _may_act(user, dossier, action)
            and not (action == "resolve" and dossier_resolve_refusal(dossier))]


@transaction.atomic
def dossier_act(*, dossier: Dossier, user, action: str, note: str = "", processing_days=None,
                received: set[int] | None = None) -> Dossier:
    """Take one transition. Refusals: 403 for who, 409 for the state, 400 for a missing reason.

    `received` (receive only): the indexes of the required documents the desk found complete; None: those the
    applicant supplied a file for."""
    if action not in TRANSITION_PERMISSIONS:
        raise ApplicationError("unknown_action", _("Thao tác không hợp lệ."), status=404)
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if not _may_act(user, dossier, action):
        raise ApplicationError("forbidden", _("Bạn không có quyền %(a)s hồ sơ này.") % {"a": ACTION_LABELS[action]},
                               status=403)
    method = getattr(dossier, action)
    if not can_proceed(method):
        raise ApplicationError(
            "invalid_transition",
            _("Không thể %(a)s hồ sơ đang ở trạng thái “%(s)s”.") % {"a": ACTION_LABELS[action],
                                                                     "s": dossier.get_state_display()},
            status=409)
    if action in NEEDS_REASON and not note.strip():
        raise ApplicationError("reason_required", _("Cần ghi rõ lý do."), fields={"note": [_("Bắt buộc.")]})
    if action == "resolve":
        from one_stop.services.results import dossier_resolve_refusal

        refusal = dossier_resolve_refusal(dossier)
        if refusal:
            raise ApplicationError("signed_result_required", refusal, status=409)
    from one_stop.services import process

    from_state = dossier.state
    now = timezone.now().replace(second=0, microsecond=0)
    if action == "receive":
        _time_limit_given(dossier, processing_days)
        clock_start = dossier_clock_start(now)
        method(at=now, by=user, clock_start=clock_start,
               due_at=dossier_due_at(processing_days=dossier_time_limit(dossier), clock_start=clock_start))
        dossier.fee_vnd = version_fee_for(dossier.procedure_version, dossier.channel)
        if received is not None or not dossier.checklist:
            from one_stop.services.documents import dossier_checklist_from_version, dossier_requirements_supplied

            # An online dossier holds only what was uploaded: form 01 must not list a paper nobody supplied.
            dossier.checklist = dossier_checklist_from_version(
                dossier, received=received if received is not None else dossier_requirements_supplied(dossier))
    elif action == "request_supplement":
        method(at=now, reason=note)
    elif action == "resume":
        clock_start = dossier_clock_start(now)
        method(clock_start=clock_start,
               due_at=dossier_due_at(processing_days=dossier_time_limit(dossier), clock_start=clock_start))
    elif action in ("resolve", "return_result"):
        method(at=now)
    elif action in ("refuse", "withdraw"):
        method(reason=note)
    else:
        method()
    dossier.save()
    if action == "receive":
        process.dossier_steps_create(dossier=dossier, by=user)
    elif action == "resume":
        process.dossier_steps_reschedule(dossier=dossier)
    elif action == "resolve":
        process.dossier_steps_complete_through(dossier=dossier, user=user, at=now,
                                               roles={Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER})
    elif action == "return_result":
        # The desk completes its own steps; one another agency left open is not the desk's to sign off.
        process.dossier_steps_complete_through(dossier=dossier, user=user, at=now, roles={Role.ONE_STOP_CLERK})
    _event(dossier, action=action, from_state=from_state, actor=user, note=note)
    if action in CLOSING_ACTIONS:
        for hook in DOSSIER_CLOSED_HOOKS:
            hook(dossier=dossier, actor=user, action=action)
    if action in LEGAL_ACTIONS:
        legal_event_record(action=f"dossier.{action}", obj=dossier, actor=user,
                           data={"code": dossier.code, "from": from_state, "to": dossier.state, "note": note})
    from one_stop.services.notify import dossier_applicant_notify

    dossier_applicant_notify(dossier=dossier, action=action)
    return dossier


FORWARD_ROLES = {Role.ONE_STOP_CLERK, Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER}


@transaction.atomic
def dossier_forward(*, dossier: Dossier, user, to_agency, note: str = "") -> Dossier:
    """Hand the dossier to another agency (một cửa liên thông): it keeps its code and receiving desk,
    which returns the result when it comes back resolved; both sides see it in their queues."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if not (user.role_names() & {str(r) for r in FORWARD_ROLES}) or user.agency_id not in (
            dossier.receiving_agency_id, dossier.handling_agency_id):
        raise ApplicationError("forbidden", _("Bạn không có quyền chuyển hồ sơ này."), status=403)
    if dossier.state not in (DossierState.RECEIVED, DossierState.IN_PROGRESS):
        raise ApplicationError("invalid_transition", _("Chỉ chuyển được hồ sơ đã tiếp nhận hoặc đang giải quyết."),
                               status=409)
    if to_agency.pk == dossier.handling_agency_id or not to_agency.is_active:
        raise ApplicationError("invalid_agency", _("Cơ quan nhận không hợp lệ."), fields={"agency": [_("Chọn cơ quan khác.")]})
    from one_stop.services.process import dossier_steps_hand_over

    previous = dossier.handling_agency
    dossier.handling_agency = to_agency
    dossier.save(update_fields=["handling_agency"])
    moved = dossier_steps_hand_over(dossier=dossier, from_agency=previous, to_agency=to_agency)
    # Translated outside the f-string: makemessages does not read calls inside one.
    steps = _("các bước chuyển theo: %(steps)s") % {"steps": "; ".join(step.name for step in moved)} if moved else ""
    _event(dossier, action="forward", from_state=dossier.state, actor=user,
           note=f"{previous.name} → {to_agency.name}" + (f" ({steps})" if steps else "") + (f": {note}" if note else ""))
    legal_event_record(action="dossier.forwarded", obj=dossier, actor=user,
                       data={"code": dossier.code, "from": previous.exchange_code, "to": to_agency.exchange_code,
                             "steps": [step.order for step in moved]})
    return dossier


POSTPONE_ROLES = {Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER}
# How far an apology may move the return date (calendar days after the current one). The rules set no figure; a year
# covers any real delay, and a date typed centuries ahead (9999) cannot be given once and for all (a dossier is
# postponed once only) nor make the steps' deadlines be counted over millions of days.
POSTPONE_MAX_DAYS = 365


@transaction.atomic
def dossier_postpone(*, dossier: Dossier, user, new_due_at: datetime, reason: str) -> Dossier:
    """The apology and new return date (form 04): at least one working day before the due date, once.

    The applicant is told (in the portal, by e-mail, by SMS) after the commit; the first due date stays on record.
    """
    from egov.notifications.services import recipient_language
    from egov.workdays.services import count_working_days
    from one_stop.services.notify import dossier_applicant_message_send

    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if not (user.role_names() & {str(r) for r in POSTPONE_ROLES}) or user.agency_id != dossier.handling_agency_id:
        raise ApplicationError("forbidden", _("Chỉ cơ quan giải quyết được xin lỗi và hẹn lại ngày trả kết quả."),
                               status=403)
    if dossier.state not in (DossierState.RECEIVED, DossierState.IN_PROGRESS) or dossier.due_at is None:
        raise ApplicationError("invalid_transition", _("Chỉ hẹn lại với hồ sơ đang giải quyết."), status=409)
    if dossier.postponed_at is not None:
        raise ApplicationError("already_postponed", _("Hồ sơ này đã được hẹn lại một lần; không được hẹn lại lần nữa."),
                               status=409)
    now = timezone.now()
    if count_working_days(now, dossier.due_at) < 1:
        raise ApplicationError("too_late", _("Phải xin lỗi và hẹn lại chậm nhất một ngày làm việc trước ngày hẹn trả."),
                               status=409)
    if new_due_at <= dossier.due_at:
        raise ApplicationError("invalid_date", _("Ngày hẹn mới phải sau ngày hẹn trả hiện tại."),
                               fields={"new_due_at": [_("Chọn ngày muộn hơn.")]})
    if new_due_at > dossier.due_at + timedelta(days=POSTPONE_MAX_DAYS):  # first: the calendar below is read by year
        raise ApplicationError("invalid_date", _("Ngày hẹn mới không được quá %(n)s ngày sau ngày hẹn trả hiện tại.")
                               % {"n": POSTPONE_MAX_DAYS}, fields={"new_due_at": [_("Chọn ngày sớm hơn.")]})
    if not is_working_day(timezone.localtime(new_due_at).date()):
        # The applicant is told to come that day: the office must be open.
        raise ApplicationError("invalid_date", _("Ngày hẹn mới phải là ngày làm việc (không phải thứ Bảy, Chủ nhật, ngày lễ)."),
                               fields={"new_due_at": [_("Chọn một ngày làm việc.")]})
    if not reason.strip():
        raise ApplicationError("reason_required", _("Cần ghi rõ lý do."), fields={"reason": [_("Bắt buộc.")]})
    dossier.original_due_at, dossier.due_at = dossier.due_at, new_due_at
    dossier.postponed_at, dossier.postpone_reason = now, reason.strip()
    dossier.save(update_fields=["original_due_at", "due_at", "postponed_at", "postpone_reason"])
    from one_stop.services.process import dossier_steps_stretch

    dossier_steps_stretch(dossier=dossier)
    _event(dossier, action="postpone", from_state=dossier.state, actor=user, note=reason)
    legal_event_record(action="dossier.postponed", obj=dossier, actor=user,
                       data={"code": dossier.code, "from": dossier.original_due_at, "to": new_due_at, "reason": reason})
    # The applicant's message, whatever the clerk's interface language: in the language of their account, if any.
    with recipient_language(dossier.citizen if dossier.citizen_id is not None else None):
        payload = {"subject": _("Xin lỗi và hẹn lại ngày trả kết quả hồ sơ %(code)s") % {"code": dossier.code},
                   "text": _("%(agency)s xin lỗi vì chậm trả kết quả hồ sơ %(code)s (%(reason)s). Ngày hẹn trả mới: "
                             "%(due)s.") % {"agency": dossier.handling_agency.name, "code": dossier.code, "reason": reason,
                                            "due": timezone.localtime(new_due_at).strftime("%H:%M %d/%m/%Y")},
                   "dossier": dossier.code}
        # Every channel the other changes use, the citizen's portal account too (found in review: e-mail/SMS only).
        dossier_applicant_message_send(dossier=dossier, payload=payload)
    return dossier


@transaction.atomic
def dossier_rate(*, dossier: Dossier, id_number: str, level: str, comment: str = ""):
    """The applicant rates the service once the result is returned, proving who they are by the ID
    number (or tax code) given at submission; once per dossier."""
    from one_stop.constants import RatingLevel
    from one_stop.models import DossierRating

    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    # The ID number is checked last: every refusal before it depends only on what anyone may know (the
    # state is on the public lookup), so the answer for a code never tells whether an ID number is the
    # applicant's — the endpoint is anonymous, and 403-versus-409 would be an oracle for ID numbers.
    if level not in RatingLevel.values:
        raise ApplicationError("invalid_level", _("Mức đánh giá không hợp lệ."), fields={"level": [_("Chọn một mức.")]})
    if dossier.state != DossierState.RETURNED:
        raise ApplicationError("not_returned", _("Chỉ đánh giá sau khi đã nhận kết quả."), status=409)
    if DossierRating.objects.filter(dossier=dossier).exists():
        raise ApplicationError("already_rated", _("Hồ sơ này đã được đánh giá."), status=409)
    if id_number.strip() != dossier.applicant_id_number:
        raise ApplicationError("not_applicant", _("Số định danh không khớp với người nộp hồ sơ."), status=403,
                               fields={"id_number": [_("Không khớp.")]})
    return DossierRating.objects.create(dossier=dossier, level=level, comment=comment.strip()[:2000])
