"""Writing the procedure catalogue: one procedure at a time, by national code, idempotent."""

import functools
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from egov.core.text import fold_vietnamese
from one_stop.catalogue.data import ProcedureData
from one_stop.constants import ProcedureSource
from one_stop.models import Procedure, ProcedureVersion


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    new_versions: int = 0
    issues: Counter = field(default_factory=Counter)
    codes_by_issue: dict[str, list[str]] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)  # rows that could not be imported at all, with why
    # Codes a lower-priority source (the raw national pages) did not overwrite.
    kept: list[str] = field(default_factory=list)

    def count(self, outcome: str, versioned: bool, data: ProcedureData) -> None:
        if outcome == "kept":
            self.kept.append(data.code)
            return
        setattr(self, outcome, getattr(self, outcome) + 1)
        self.new_versions += versioned
        for issue in data.issues:
            self.issues[issue] += 1
            self.codes_by_issue.setdefault(issue, []).append(data.code)


def _terms_out_of_range(data: ProcedureData) -> str:
    """Why a source's time limits or fees cannot be stored (not a finite number, negative, beyond MAX_PROCESSING_DAYS or
    MAX_FEE_VND — the columns' own limits are further still), or "": the project's format refuses such a row by its
    field before, this guards every source (the national portal's pages too) so one row is refused, not the import."""
    from django.utils.translation import gettext as _

    days = [data.processing_days, *(c.processing_days for c in data.channels), *(s.days for s in data.process)]
    fees = [data.fee_vnd, *(c.fee_vnd for c in data.channels)]
    for value in days:
        number = None if value is None else Decimal(str(value))
        if number is not None and not (number.is_finite() and 0 <= number <= MAX_PROCESSING_DAYS):
            return str(_("Thời hạn giải quyết phải từ 0 đến %(max)s ngày làm việc.") % {"max": MAX_PROCESSING_DAYS})
    for value in fees:
        if value is not None and not 0 <= value <= MAX_FEE_VND:
            return str(_("Phí, lệ phí từ 0 đến %(max)s đồng.") % {"max": f"{MAX_FEE_VND:,}".replace(",", ".")})
    return ""


def _terms(data: ProcedureData) -> dict:
    """What a dossier is judged by; a change in any of it makes a new version."""
    return {
        "processing_days": None if data.processing_days is None else Decimal(str(data.processing_days)).quantize(Decimal("0.1")),
        "processing_text": data.processing_text,
        "fee_vnd": data.fee_vnd,
        "fee_text": data.fee_text,
        "channels": [asdict(c) for c in data.channels],
        "required_documents": [asdict(d) for d in data.required_documents],
        "steps": list(data.steps),
        "process": [asdict(step) for step in data.process],
        "form": data.form,
    }


def _version_terms(version: ProcedureVersion) -> dict:
    return {
        "processing_days": version.processing_days, "processing_text": version.processing_text,
        "fee_vnd": version.fee_vnd, "fee_text": version.fee_text, "channels": version.channels,
        "required_documents": version.required_documents, "steps": version.steps,
        "process": version.process, "form": version.form,
    }


# A source only overwrites a procedure from a source of the same or lower rank: the raw national
# pages fill gaps but never replace what the province curated or an admin entered.
SOURCE_RANK = {ProcedureSource.DICHVUCONG: 0, ProcedureSource.CSV: 1, ProcedureSource.CURATED: 1, ProcedureSource.ADMIN: 2}


@transaction.atomic
def procedure_upsert(*, data: ProcedureData, effective_from=None) -> tuple[Procedure, str, bool]:
    """Create or update the procedure `data.code`; returns (procedure, outcome, new version made).

    outcome is "created", "updated" or "unchanged". Terms that differ from the latest version become a
    new version effective from `effective_from` (default now); dossiers keep the version they had.
    """
    procedure = Procedure.objects.select_for_update().filter(code=data.code).first()
    if procedure is not None and SOURCE_RANK.get(data.source, 1) < SOURCE_RANK.get(procedure.source, 1):
        return procedure, "kept", False
    outcome = "created" if procedure is None else "unchanged"
    procedure = procedure or Procedure(code=data.code)
    # Composed Unicode (NFC) throughout: some pages of the national portal write "Cấp" with combining marks, which
    # looks the same and is another value to compare, sort and filter ("Cấp, quản lý căn cước" listed twice).
    nfc = functools.partial(unicodedata.normalize, "NFC")
    identity = {
        "name": nfc(data.name), "field": nfc(data.field), "levels": list(data.levels), "agency_text": nfc(data.agency),
        # A source that does not state the online level leaves the known one alone.
        "online_level": data.online_level if data.online_level is not None else (procedure.online_level or "none"),
        "result": nfc(data.result), "legal_basis": nfc(data.legal_basis),
        "conditions": nfc(data.conditions), "source": data.source or procedure.source, "source_url": data.source_url[:500],
        "raw": data.raw, "import_issues": list(data.issues),
        "name_folded": fold_vietnamese(f"{data.code} {data.name}"),
        "body_folded": fold_vietnamese(" ".join([data.field, data.agency, data.result, data.legal_basis])),
    }
    changed = [key for key, value in identity.items() if getattr(procedure, key) != value]
    if changed and outcome != "created":
        outcome = "updated"
    for key in changed:
        setattr(procedure, key, identity[key])
    if outcome == "created":
        procedure.save()
    elif changed:
        procedure.save(update_fields=[*changed, "updated_at"])
    out_of_range = _terms_out_of_range(data)
    if out_of_range:
        from egov.core.errors import ApplicationError

        # Raised inside this atomic block: the row's other changes are undone with it.
        raise ApplicationError("terms_out_of_range", out_of_range)
    terms = _terms(data)
    latest = procedure.versions.order_by("-number").first() if outcome != "created" else None
    # The online form and the internal process are often given by another source than the catalogue
    # (the portal's forms, the province's process): a source that does not state them keeps them.
    for key in ("form", "process"):
        if not terms[key] and latest is not None:
            terms[key] = getattr(latest, key)
    versioned = latest is None or _version_terms(latest) != terms
    if versioned:
        at = effective_from or timezone.now()
        out_of_order = procedure_version_order_error(latest=latest, at=at)
        if out_of_order:
            from egov.core.errors import ApplicationError

            # Raised inside this atomic block: the row's other changes are undone with it.
            raise ApplicationError("version_out_of_order", out_of_order, fields={"effective_from": [out_of_order]})
        ProcedureVersion.objects.create(procedure=procedure, number=(latest.number + 1) if latest else 1,
                                        effective_from=at, **terms)
        if outcome == "unchanged":
            outcome = "updated"
    return procedure, outcome, versioned


def procedures_import(*, items, report: ImportReport | None = None, effective_from=None) -> ImportReport:
    """Upsert every item; changed terms become new versions in force from `effective_from` (a moment; default now).
    A row the catalogue's rules refuse (a new version before one already pending) is reported by its code and left
    out; the other rows still import."""
    from egov.core.errors import ApplicationError

    report = report or ImportReport()
    for data in items:
        try:
            _procedure, outcome, versioned = procedure_upsert(data=data, effective_from=effective_from)
        except ApplicationError as refused:
            report.rejected.append(f"{data.code}: {refused.message}")
            continue
        report.count(outcome, versioned, data)
    return report


# --- Editing a procedure's terms: a new version from an effective date -------------------------------------------

MAX_PROCESSING_DAYS = 365
MAX_FEE_VND = 10**12


@dataclass
class VersionTerms:
    """What an administrator edits of a procedure: what a dossier is judged by. The public description of the steps
    and the online form are carried over from the version the edit starts from."""

    processing_days: Decimal | None = None
    processing_text: str = ""
    fee_vnd: int | None = None
    fee_text: str = ""
    channels: list = field(default_factory=list)  # ChannelTerms
    required_documents: list = field(default_factory=list)  # RequiredDocument
    process: list = field(default_factory=list)  # ProcessStep


def procedure_effective_at(*, day, allow_past: bool = False, now=None):
    """The moment a version takes effect on `day`: the start of that day (Vietnam time), or now for today, so a
    version made at 10:00 does not pretend to have applied to the dossiers received at 9:00. A day before today is
    refused unless `allow_past` (recording a decision already in force)."""
    from datetime import datetime, time

    from django.utils.translation import gettext as _

    from egov.core.errors import ApplicationError

    now = now or timezone.now()
    today = timezone.localdate(now)
    if day < today and not allow_past:
        raise ApplicationError(
            "effective_date_past",
            _("Ngày áp dụng %(day)s đã qua: chọn từ hôm nay trở đi, hoặc đánh dấu cho phép ngày trong quá khứ.")
            % {"day": day.strftime("%d/%m/%Y")}, fields={"effective_from": [
                _("Ngày áp dụng %(day)s đã qua: chọn từ hôm nay trở đi, hoặc đánh dấu cho phép ngày trong quá khứ.")
                % {"day": day.strftime("%d/%m/%Y")}]})
    start = timezone.make_aware(datetime.combine(day, time.min))
    return max(start, now) if day == today else start


def procedure_version_order_error(*, latest: ProcedureVersion | None, at) -> str | None:
    """Why a new version may not take effect at `at` after `latest` (the procedure's latest version), or None.

    Versions take effect in the order of their numbers: a new version starting before the latest one — typically
    one already made for a future day, still pending — would be overtaken by it on that day, and the later decision
    would give way to the earlier one. The admin's "new version" form and the catalogue import both ask this."""
    from django.utils.translation import gettext as _

    if latest is None or at is None or at >= latest.effective_from:
        return None
    return str(_("Phiên bản %(number)s áp dụng từ %(day)s: phiên bản mới phải áp dụng từ ngày đó trở đi.")
               % {"number": latest.number, "day": timezone.localtime(latest.effective_from).strftime("%d/%m/%Y")})


def _half_days(value) -> bool:
    return value.is_finite() and 0 <= value <= MAX_PROCESSING_DAYS and (value * 2) == (value * 2).to_integral_value()


def version_terms_errors(terms: VersionTerms) -> dict[str, list[str]]:
    """Every mistake in `terms` at once, by field ("process", "process[2].days", …), in Vietnamese.

    The rules of the project's import format (one_stop.catalogue.project_format), and one more: the steps' shares
    of the working days add up to the time limit exactly, so the last step falls on the dossier's due date
    (one_stop.services.process) instead of showing late before the dossier is."""
    from django.utils.translation import gettext as _

    from egov.accounts.roles import Role
    from egov.agencies.models import Agency
    from one_stop.catalogue.data import Channel

    errors: dict[str, list[str]] = {}

    def add(key, message):
        errors.setdefault(key, []).append(str(message))

    days = terms.processing_days
    if days is not None and not _half_days(Decimal(days)):
        add("processing_days", _("Thời hạn giải quyết phải từ 0 đến %(max)s ngày làm việc, theo nửa ngày.")
            % {"max": MAX_PROCESSING_DAYS})
    # The highest fee a version may name: far above any administrative fee (the dearest are a few hundred million
    # đồng), far below what the dossier's bigint column holds — a typo of extra zeros is refused, not a 500.
    too_much = _("Phí, lệ phí tối đa %(max)s đồng.") % {"max": f"{MAX_FEE_VND:,}".replace(",", ".")}
    if terms.fee_vnd is not None and terms.fee_vnd < 0:
        add("fee_vnd", _("Phí, lệ phí không được âm."))
    elif terms.fee_vnd is not None and terms.fee_vnd > MAX_FEE_VND:
        add("fee_vnd", too_much)
    for position, channel in enumerate(terms.channels, start=1):
        if channel.channel not in Channel.ALL:
            add(f"channels[{position}].channel", _("Hình thức nộp không hợp lệ."))
        if channel.processing_days is not None and not _half_days(Decimal(str(channel.processing_days))):
            add(f"channels[{position}].processing_days",
                _("Thời hạn giải quyết phải từ 0 đến %(max)s ngày làm việc, theo nửa ngày.") % {"max": MAX_PROCESSING_DAYS})
        if channel.fee_vnd is not None and channel.fee_vnd < 0:
            add(f"channels[{position}].fee_vnd", _("Phí, lệ phí không được âm."))
        elif channel.fee_vnd is not None and channel.fee_vnd > MAX_FEE_VND:
            add(f"channels[{position}].fee_vnd", too_much)
    names = set()
    for position, document in enumerate(terms.required_documents, start=1):
        name = document.name.strip()
        if not name:
            add(f"required_documents[{position}].name", _("Cần tên giấy tờ."))
        elif fold_vietnamese(name) in names:
            # The desk's checklist ticks papers by their place in the list; two of one name cannot be told apart.
            add(f"required_documents[{position}].name", _("Giấy tờ “%(name)s” đã có trong danh sách.") % {"name": name})
        names.add(fold_vietnamese(name))
    codes = {step.agency for step in terms.process if step.agency not in ("receiving", "competent")}
    known = set(Agency.objects.filter(exchange_code__in=codes, is_active=True).values_list("exchange_code", flat=True))
    total = Decimal(0)
    for position, step in enumerate(terms.process, start=1):
        where = f"process[{position}]"
        if not step.name.strip():
            add(f"{where}.name", _("Cần tên bước."))
        if step.role not in Role.values or step.role == Role.CITIZEN:
            add(f"{where}.role", _("Vai trò xử lý không hợp lệ."))
        if step.agency not in ("receiving", "competent") and step.agency not in known:
            add(f"{where}.agency", _("Không có cơ quan đang hoạt động với mã định danh “%(code)s”.") % {"code": step.agency})
        step_days = Decimal(str(step.days or 0))
        if not _half_days(step_days):
            add(f"{where}.days", _("Số ngày của bước phải từ 0 đến %(max)s, theo nửa ngày.") % {"max": MAX_PROCESSING_DAYS})
        total += step_days
    if terms.process and days is None:
        add("process", _("Cần thời hạn giải quyết để chia số ngày làm việc cho các bước."))
    elif terms.process and total != Decimal(days):
        add("process", _("Tổng số ngày của các bước (%(sum)s) phải bằng thời hạn giải quyết (%(days)s ngày làm việc).")
            % {"sum": f"{total.normalize():f}", "days": f"{Decimal(days).normalize():f}"})
    return errors


@transaction.atomic
def procedure_version_create(*, procedure: Procedure, by, terms: VersionTerms, effective_from, allow_past: bool = False,
                             note: str = "") -> ProcedureVersion:
    """An administrator changes a procedure's time limit, fees, documents or steps: a new version, in force from the
    start of `effective_from` (a date). Dossiers already received keep the version they were received under; those
    received from that day on get this one (one_stop.selectors.procedure_version_current).

    Refused, with every field's error at once: terms that break the catalogue's rules, terms equal to the latest
    version's, a day already past (unless `allow_past`), or a day before the latest version takes effect — versions
    take effect in the order of their numbers, so a later edit never gives way to an earlier one.
    """
    from django.utils.translation import gettext as _

    from egov.audit.services import legal_event_record
    from egov.core.errors import ApplicationError

    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    latest = procedure.versions.order_by("-number").first()
    errors = version_terms_errors(terms)
    try:
        at = procedure_effective_at(day=effective_from, allow_past=allow_past)
    except ApplicationError as refused:
        errors.update(refused.fields)
        at = None
    out_of_order = procedure_version_order_error(latest=latest, at=at)
    if out_of_order:
        errors.setdefault("effective_from", []).append(out_of_order)
    if errors:
        first = next(iter(errors.values()))[0]
        raise ApplicationError("version_invalid", first if len(errors) == 1 else
                               _("Phiên bản mới chưa hợp lệ: xem lỗi ở từng mục."), fields=errors)
    values = {
        "processing_days": None if terms.processing_days is None else Decimal(terms.processing_days).quantize(Decimal("0.1")),
        "processing_text": terms.processing_text.strip(), "fee_vnd": terms.fee_vnd, "fee_text": terms.fee_text.strip(),
        "channels": [asdict(c) for c in terms.channels],
        "required_documents": [{**asdict(d), "name": d.name.strip()} for d in terms.required_documents],
        "process": [{**asdict(s), "name": s.name.strip(), "days": float(s.days or 0)} for s in terms.process],
        "steps": latest.steps if latest else [], "form": latest.form if latest else {},
    }
    if latest is not None and _version_terms(latest) == values:
        raise ApplicationError("version_unchanged", _("Không có thay đổi nào so với phiên bản %(number)s.")
                               % {"number": latest.number})
    version = ProcedureVersion.objects.create(procedure=procedure, number=(latest.number + 1) if latest else 1,
                                              effective_from=at, created_by=by, note=note.strip(), **values)
    legal_event_record(action="procedure.version_created", obj=procedure, actor=by,
                       data={"code": procedure.code, "version": version.number, "effective_from": at,
                             "processing_days": values["processing_days"], "fee_vnd": terms.fee_vnd})
    return version
