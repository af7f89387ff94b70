"""Seed a database with many realistic dossiers for the desk benchmark (bench/desk.py), with COPY.

    manage.py seed_demo                                  # agencies and the procedure catalogue first
    manage.py seed_bench_dossiers --count 1000000        # about three minutes on a 2-core machine

Dossiers spread over the last `--years` years up to now, over the province's agencies (a third at the
provincial service centre, handled by the departments; the rest at the commune desks, handled there),
over every active procedure, in every state (old ones mostly closed, recent ones mostly open). Codes
follow the real format and continue each (agency, day) counter, which is raised to match, so a real
receipt afterwards takes the next number. A share of the dossiers gets control-sheet events.

The column list is built from Dossier's concrete fields: a field added later gets its default.
"""

import io
import json
import random
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from egov.core.text import fold_vietnamese
from one_stop.constants import ApplicantKind, DossierChannel, DossierState

S = DossierState
CHUNK = 50_000

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Nông", "Lương", "Vi", "Lăng", "Chu", "Triệu", "Mã", "Hà", "Đinh"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thanh", "Ngọc", "Hữu", "Quang", "Thu", "Kim", "Xuân", "Thế"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Duyên", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương", "Huyền", "Khánh",
         "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Ngọc", "Nhung", "Phong", "Phương", "Quân", "Quyết",
         "Sơn", "Tâm", "Thảo", "Thắng", "Thủy", "Trang", "Trung", "Tuấn", "Tùng", "Việt", "Xuân", "Yến", "Đạt", "Ánh"]
COMPANY_KINDS = ["Công ty TNHH", "Công ty cổ phần", "Hợp tác xã", "Doanh nghiệp tư nhân"]
COMPANY_WORDS = ["Hoàng Long", "Đồng Đăng", "Kỳ Lừa", "Mẫu Sơn", "Tân Thanh", "Hữu Nghị", "Bắc Sơn", "Xứ Lạng",
                 "Phú Lộc", "Thành Công", "Việt Trung", "Nông sản Lạng Sơn", "Vận tải Đông Bắc", "Xây dựng Chi Lăng"]
HAMLETS = ["Thôn Nà Chuông", "Thôn Khòn Lạn", "Khối 1", "Khối 5", "Thôn Pò Mò", "Thôn Bản Cắm", "Thôn Nà Lầu",
           "Tổ 3", "Tổ 7", "Thôn Tân Lập", "Thôn Đồng Tiến"]
CLOSING = {S.REFUSED: "Không thuộc thẩm quyền giải quyết", S.WITHDRAWN: "Công dân đề nghị rút hồ sơ",
           S.SUPPLEMENT_REQUESTED: "Bổ sung bản sao giấy tờ tùy thân có chứng thực"}
# The columns the generator fills itself (attnames); every other concrete field gets its default.
GENERATED = ("code", "procedure_id", "procedure_version_id", "receiving_agency_id", "handling_agency_id", "state",
             "channel", "applicant_kind", "applicant_name", "applicant_name_folded", "applicant_id_number",
             "applicant_phone", "applicant_email", "applicant_address", "citizen_id", "received_by_id", "submitted_at",
             "received_at", "clock_started_at", "due_at", "paused_at", "resolved_at", "returned_at", "closing_reason",
             "original_due_at", "postponed_at", "postpone_reason", "created_at")
# Dossiers older than this are nearly all closed; a few stay open (and overdue), as in real desks.
SETTLED_AFTER = timedelta(days=45)
OLD_STATES = ([S.RETURNED, S.REFUSED, S.WITHDRAWN, S.IN_PROGRESS, S.RESOLVED, S.SUPPLEMENT_REQUESTED],
              [93, 3, 2, 1, 0.5, 0.5])
RECENT_STATES = ([S.SUBMITTED, S.RECEIVED, S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED, S.RESOLVED, S.RETURNED, S.REFUSED,
                  S.WITHDRAWN], [6, 14, 30, 5, 8, 33, 2, 2])


def copy_text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal, date, uuid.UUID)):
        return str(value)
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    elif not isinstance(value, str):
        # psycopg2 adapters returned by get_db_prep_save (Json for a JSONField).
        adapted = getattr(value, "adapted", value)
        value = json.dumps(adapted, ensure_ascii=False) if isinstance(adapted, (dict, list)) else str(adapted)
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def default_columns(model, given: set[str]) -> tuple[list[str], list]:
    """Columns the generator does not set itself: each with its default (a callable is called per row)."""
    names, makers = [], []
    for field in model._meta.concrete_fields:
        if field.attname in given or field.primary_key:
            continue
        automatic = getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False)
        # get_default() is "" for a text field without a default, None where nothing fits.
        if not automatic and not field.null and not field.has_default() and field.get_default() is None:
            raise CommandError(f"{model.__name__}.{field.name} has no default: teach seed_bench_dossiers its value.")
        names.append(field.column)
        if automatic:
            makers.append(lambda: copy_text(timezone.now()))
        elif field.has_default() and callable(field.default):
            makers.append(lambda f=field: copy_text(f.get_db_prep_save(f.get_default(), connection)))
        else:
            constant = copy_text(field.get_db_prep_save(field.get_default(), connection))
            makers.append(lambda c=constant: c)
    return names, makers


class Command(BaseCommand):
    help = "Generate many realistic dossiers with COPY (for `make bench`); run seed_demo first."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1_000_000)
        parser.add_argument("--years", type=float, default=3.0, help="how far back the dossiers go")
        parser.add_argument("--events-share", type=float, default=0.2, help="share of dossiers with events")
        parser.add_argument("--agencies", nargs="*", default=None,
                            help="exchange codes of the receiving agencies (default: every service centre and commune)")
        parser.add_argument("--seed", type=int, default=20251123)

    def handle(self, *args, count, years, events_share, agencies, seed, **options):
        from one_stop.services.queue_changes import queue_changes_record_all

        if count <= 0:
            raise CommandError("--count must be positive.")
        started = timezone.now()
        generator = DossierGenerator(rng=random.Random(seed), years=years, agency_codes=agencies,
                                     events_share=events_share)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if not cursor.fetchone()[0]:
                raise CommandError("seed_bench_dossiers needs a PostgreSQL superuser (it bypasses triggers).")
            # The pghistory triggers would write a history row per dossier (1M rows, slowly) for data
            # that never changed hands: bypass every trigger for this transaction only. This also skips
            # the foreign-key checks, so the generator only uses ids it has just read.
            cursor.execute("SET LOCAL session_replication_role = replica")
            generator.load(cursor=cursor, count=count, stdout=self.stdout)
            # Back to normal for the rest of an enclosing transaction (a test's, or a caller's).
            cursor.execute("SET LOCAL session_replication_role = origin")
            # The load bypassed the queues' triggers too: no queue page kept before it may be served after it.
            queue_changes_record_all()
        # Fresh statistics for the planner; VACUUM also marks the pages all-visible, so counts can be
        # answered from the indexes alone (not possible inside a caller's transaction, e.g. a test's).
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for table in ("one_stop_dossier", "one_stop_dossierevent", "one_stop_dossiercodecounter"):
                cursor.execute(f"{command} {table}")
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(self.style.SUCCESS(f"{count:,} hồ sơ, {generator.events:,} bước xử lý trong {seconds:.0f} s."))


class DossierGenerator:
    def __init__(self, *, rng: random.Random, years: float, agency_codes, events_share: float):
        from egov.agencies.models import Agency, AgencyKind
        from one_stop.models import ProcedureVersion

        self.rng = rng
        self.events_share = events_share
        self.events = 0
        self.now = timezone.now().replace(second=0, microsecond=0)
        self.start = self.now - timedelta(days=365 * years)
        agencies = Agency.objects.filter(is_active=True).order_by("id")
        if agency_codes:
            receiving = list(agencies.filter(exchange_code__in=agency_codes))
            if len(receiving) != len(set(agency_codes)):
                raise CommandError("Không tìm thấy một số mã cơ quan trong --agencies.")
            self.receiving = [(a, [a]) for a in receiving]
            self.receiving_weights = [1] * len(receiving)
        else:
            centres = list(agencies.filter(kind=AgencyKind.SERVICE_CENTRE))
            communes = list(agencies.filter(kind=AgencyKind.COMMUNE_COMMITTEE))
            departments = list(agencies.filter(kind=AgencyKind.DEPARTMENT)) or centres
            if not centres and not communes:
                raise CommandError("Chưa có cơ quan: chạy `manage.py seed_demo` trước.")
            # A service centre receives for the departments; a commune desk handles its own dossiers.
            self.receiving = [(c, departments) for c in centres] + [(c, [c]) for c in communes]
            self.receiving_weights = [len(communes) / 2 or 1] * len(centres) + [1] * len(communes)
        # The version in force for each active procedure (the latest effective one).
        versions = {}
        for version in (ProcedureVersion.objects.filter(procedure__is_active=True, effective_from__lte=timezone.now())
                        .order_by("procedure_id", "effective_from", "number")
                        .values("id", "procedure_id", "processing_days")):
            versions[version["procedure_id"]] = version
        if not versions:
            raise CommandError("Chưa có thủ tục: chạy `manage.py seed_demo` trước.")
        self.versions = list(versions.values())
        # A few hundred procedures make most of a desk's work; the rest are rare.
        self.common = self.versions[: min(300, len(self.versions))]
        from one_stop.models import DossierCodeCounter

        self.counters = {(c.agency_id, c.day): c.last for c in DossierCodeCounter.objects.filter(
            agency_id__in={a.id for a, _ in self.receiving})}
        self.touched: set[tuple[int, date]] = set()
        self.names: dict[str, str] = {}

    # --- one dossier ------------------------------------------------------------------------------

    def _name(self) -> tuple[str, str, str]:
        rng = self.rng
        if rng.random() < 0.1:
            name = f"{rng.choice(COMPANY_KINDS)} {rng.choice(COMPANY_WORDS)}"
            kind = ApplicantKind.ORGANISATION
        else:
            name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            kind = ApplicantKind.PERSON
        folded = self.names.get(name)
        if folded is None:
            folded = self.names[name] = fold_vietnamese(name)
        return name, folded, kind

    def _code(self, agency, at: datetime) -> str:
        day = timezone.localtime(at).date()
        key = (agency.id, day)
        number = self.counters.get(key, 0) + 1
        if number > 9999:
            raise CommandError(f"Quá 9999 hồ sơ một ngày tại {agency.exchange_code}: giảm --count hoặc tăng --years.")
        self.counters[key] = number
        self.touched.add(key)
        return f"{agency.exchange_code}-{day:%y%m%d}-{number:04d}"

    def row(self, index: int, count: int) -> tuple[dict, list[tuple]]:
        """The column values (GENERATED) of the index-th of `count` dossiers, and its events."""
        rng = self.rng
        # Evenly over the period with some jitter, so ids grow with time and the newest is today.
        span = (self.now - self.start).total_seconds()
        jitter = rng.random() * min(3600, span / count)
        # The newest is received now, so today's counter always moves (a receipt after seeding continues it).
        at = self.start + timedelta(seconds=span * (index + 1) / count - (0 if index == count - 1 else jitter))
        local, office_hour = timezone.localtime(at), rng.randint(7, 16)  # drawn always: same data at any hour
        if not 7 <= local.hour < 17:  # desks work office hours
            at = local.replace(hour=office_hour)
        at = min(at, self.now).replace(second=0, microsecond=0)
        receiving, handlers = rng.choices(self.receiving, weights=self.receiving_weights)[0]
        handling = rng.choice(handlers)
        version = rng.choice(self.common) if rng.random() < 0.9 else rng.choice(self.versions)
        states, weights = OLD_STATES if self.now - at > SETTLED_AFTER else RECENT_STATES
        state = rng.choices(states, weights=weights)[0]
        name, folded, kind = self._name()
        online = rng.random() < 0.35 or state == S.SUBMITTED
        days = float(version["processing_days"] or 5)
        values = {
            "code": self._code(receiving, at), "procedure_id": version["procedure_id"],
            "procedure_version_id": version["id"], "receiving_agency_id": receiving.id,
            "handling_agency_id": handling.id, "state": state,
            "channel": DossierChannel.ONLINE if online else DossierChannel.COUNTER, "applicant_kind": kind,
            "applicant_name": name, "applicant_name_folded": folded,
            "applicant_id_number": (f"0{rng.randint(10, 99)}{rng.randint(0, 3)}{rng.randint(40, 99)}{rng.randint(0, 999999):06d}"
                                    if kind == ApplicantKind.PERSON else f"49{rng.randint(0, 99999999):08d}"),
            "applicant_phone": f"+849{rng.randint(10000000, 99999999)}" if rng.random() < 0.8 else "",
            "applicant_email": "", "applicant_address": f"{rng.choice(HAMLETS)}, {handling.name}"[:500],
            "citizen_id": None, "received_by_id": None, "submitted_at": at, "received_at": None,
            "clock_started_at": None, "due_at": None, "paused_at": None, "resolved_at": None, "returned_at": None,
            "closing_reason": CLOSING.get(state, ""), "original_due_at": None, "postponed_at": None,
            "postpone_reason": "", "created_at": at,
        }
        events = []
        if state != S.SUBMITTED:
            received = at + timedelta(minutes=rng.randint(5, 600)) if online else at
            # Working days as calendar days × 7/5: close enough for load, and no calendar per row.
            due = timezone.localtime(received + timedelta(days=max(days, 0.5) * 1.4)).replace(hour=17, minute=0)
            values.update(received_at=received, clock_started_at=received, due_at=due)
            events.append(("receive", S.SUBMITTED, S.RECEIVED, receiving.id, received, due))
            if state == S.SUPPLEMENT_REQUESTED:
                values["paused_at"] = received + timedelta(days=1)
            if state in (S.RESOLVED, S.RETURNED):
                late = rng.random() < 0.05
                resolved = min(self.now, due + timedelta(days=rng.randint(1, 10)) if late
                               else received + (due - received) * rng.uniform(0.3, 0.95))
                values["resolved_at"] = resolved
                events.append(("resolve", S.IN_PROGRESS, S.RESOLVED, handling.id, resolved, due))
                if state == S.RETURNED:
                    values["returned_at"] = min(self.now, resolved + timedelta(hours=rng.randint(1, 48)))
                    events.append(("return_result", S.RESOLVED, S.RETURNED, receiving.id, values["returned_at"], due))
        return values, events

    # --- loading ------------------------------------------------------------------------------------

    def load(self, *, cursor, count: int, stdout) -> None:
        from one_stop.models import Dossier, DossierEvent

        columns = list(GENERATED)
        other_columns, other_makers = default_columns(Dossier, set(columns))
        field_columns = {f.attname: f.column for f in Dossier._meta.concrete_fields}
        missing = [c for c in columns if c not in field_columns]
        if missing:
            raise CommandError(f"Dossier has no field {', '.join(missing)}: update seed_bench_dossiers.")
        dossier_columns = ["id"] + [field_columns[c] for c in columns] + other_columns
        event_fields = ["dossier_id", "action", "from_state", "to_state", "agency_id", "at", "due_at"]
        event_other, event_makers = default_columns(DossierEvent, set(event_fields))
        event_columns = event_fields + event_other

        # Take a block of ids from the sequence, so events can point at their dossiers without a read-back.
        cursor.execute("LOCK TABLE one_stop_dossier IN EXCLUSIVE MODE")
        cursor.execute("SELECT pg_get_serial_sequence('one_stop_dossier', 'id')")
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s)", [sequence])
        first_id = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, %s)", [sequence, first_id + count - 1])

        dossier_sql = f"COPY one_stop_dossier ({', '.join(dossier_columns)}) FROM STDIN"
        event_sql = f"COPY one_stop_dossierevent ({', '.join(event_columns)}) FROM STDIN"
        raw = cursor.cursor if hasattr(cursor, "cursor") else cursor
        done = 0
        while done < count:
            size = min(CHUNK, count - done)
            dossiers, events = io.StringIO(), io.StringIO()
            for index in range(done, done + size):
                values, steps = self.row(index, count)
                pk = first_id + index
                line = [str(pk)] + [copy_text(values[c]) for c in columns] + [make() for make in other_makers]
                dossiers.write("\t".join(line) + "\n")
                if steps and self.rng.random() < self.events_share:
                    for action, from_state, to_state, agency_id, at, due in steps:
                        event = [str(pk), action, from_state, to_state, str(agency_id), copy_text(at), copy_text(due)]
                        events.write("\t".join(event + [make() for make in event_makers]) + "\n")
                        self.events += 1
            dossiers.seek(0)
            events.seek(0)
            raw.copy_expert(dossier_sql, dossiers)
            raw.copy_expert(event_sql, events)
            done += size
            stdout.write(f"  {done:,}/{count:,}")
        self._save_counters(cursor)

    def _save_counters(self, cursor) -> None:
        """Raise each touched (agency, day) counter to the last number given, so later receipts continue."""
        rows = [(agency_id, day, self.counters[(agency_id, day)]) for agency_id, day in sorted(self.touched)]
        # Dropped at once, not at commit: a caller's transaction (a test) may seed twice.
        cursor.execute("CREATE TEMPORARY TABLE bench_counters (agency_id bigint, day date, last integer)")
        buffer = io.StringIO("".join(f"{a}\t{d.isoformat()}\t{n}\n" for a, d, n in rows))
        raw = cursor.cursor if hasattr(cursor, "cursor") else cursor
        raw.copy_expert("COPY bench_counters (agency_id, day, last) FROM STDIN", buffer)
        cursor.execute(
            "INSERT INTO one_stop_dossiercodecounter (agency_id, day, last) SELECT agency_id, day, last FROM bench_counters "
            "ON CONFLICT (agency_id, day) DO UPDATE SET last = GREATEST(one_stop_dossiercodecounter.last, EXCLUDED.last)")
        cursor.execute("DROP TABLE bench_counters")

