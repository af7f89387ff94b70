"""Seed a database with many realistic incoming documents for the eOffice benchmark (bench/office_search.py).

    manage.py seed_demo                                   # the province's agencies and document types first
    manage.py seed_bench_documents --count 1000000        # about a minute or two on a 2-core machine

The documents are made in SQL (INSERT … SELECT over generate_series), spread over the province's
committees and departments, with one measured agency (--agency, default the demo records clerk's, Sở Tư
pháp) holding --share of them. Each arrived on its own minute going back from now; summaries combine
Vietnamese subjects, places and years, so words range from rare to very common; older documents are
mostly closed, recent ones open; a few are secret (metadata only, no readers: a records clerk does not
see them). The numbers of arrival follow each (agency, year) in order of arrival; the documents belong to
no register (a register's next number is its own counter, untouched).

It counts the documents already there and adds only the missing ones (--reseed deletes the incoming
documents first). For a large load it drops the search index and builds it once afterwards, then ANALYZE.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from egov.core.text import fold_vietnamese

SUBJECTS = [
    "Về việc tổ chức Hội nghị tổng kết công tác", "Kế hoạch cải cách hành chính", "V/v báo cáo tình hình kinh tế - xã hội",
    "Về việc phê duyệt dự toán ngân sách", "Về việc giao chỉ tiêu tuyển sinh", "V/v phòng chống thiên tai, tìm kiếm cứu nạn",
    "Về việc kiểm tra công tác văn thư, lưu trữ", "Thông báo kết luận của Chủ tịch", "V/v triển khai chuyển đổi số",
    "Về việc bổ nhiệm cán bộ lãnh đạo", "Kế hoạch phòng, chống dịch bệnh", "V/v hướng dẫn quyết toán vốn đầu tư",
    "Về việc cấp giấy phép xây dựng", "V/v thanh tra việc quản lý đất đai", "Về việc khen thưởng tập thể, cá nhân",
    "Chương trình hành động thực hiện Nghị quyết", "V/v góp ý dự thảo Luật", "Về việc điều chỉnh quy hoạch sử dụng đất",
    "V/v đăng ký hộ tịch, quốc tịch", "Về việc trợ giúp pháp lý cho người dân tộc thiểu số",
    "V/v tuyên truyền phổ biến giáo dục pháp luật", "Về việc xử lý vi phạm hành chính",
    "V/v rà soát văn bản quy phạm pháp luật", "Về việc tổ chức thi hành án dân sự",
]
PLACES = ["thành phố Lạng Sơn", "xã Tân Thanh", "phường Đông Kinh", "huyện Cao Lộc", "các sở, ngành", "trên địa bàn tỉnh",
          "Trung tâm Phục vụ hành chính công", "Ban Quản lý dự án", "Đoàn Thanh niên", "Hội Nông dân",
          "khu kinh tế cửa khẩu Đồng Đăng", "xã Mẫu Sơn", "các xã biên giới"]
# (issuer, the last group of its symbols); the province's committee (UBND) is added from the database.
ISSUERS = [("Bộ Nội vụ", "BNV"), ("Văn phòng Chính phủ", "VPCP"), ("Bộ Tài chính", "BTC"), ("Bộ Tư pháp", "BTP"),
           ("Sở Tài chính", "STC"), ("Bộ Xây dựng", "BXD"), ("Thanh tra tỉnh", "TTr"), ("Sở Nội vụ", "SNV")]
SIGNERS = ["Hoàng Văn Nam", "Nguyễn Thị Hằng", "Lương Văn Hùng", "Vi Thị Hoa", "Trần Quốc Toản", "Lộc Văn Sơn"]
# Documents older than this many minutes of arrival are mostly closed.
OPEN_WINDOW_MINUTES = 60 * 24 * 45
INDEX_REBUILD_FROM = 20_000


def receiving_agencies():
    from egov.agencies.models import Agency, AgencyKind

    return Agency.objects.filter(is_active=True, kind__in=[
        AgencyKind.PROVINCIAL_COMMITTEE, AgencyKind.DEPARTMENT, AgencyKind.COMMUNE_COMMITTEE]).order_by("id")


def measured_agency(code: str | None = None):
    """The agency given by exchange code, else the demo records clerk's (Sở Tư pháp), else the committee."""
    from egov.accounts.models import User
    from egov.agencies.models import AgencyKind

    receivers = receiving_agencies()
    if code:
        return receivers.filter(exchange_code=code).first()
    clerk = User.objects.filter(username="demo_records_clerk").select_related("agency").first()
    if clerk is not None and clerk.agency_id:
        return clerk.agency
    return receivers.filter(kind=AgencyKind.PROVINCIAL_COMMITTEE).first()


class Command(BaseCommand):
    help = "Generate many realistic incoming documents in SQL (for `make bench`); run seed_demo first."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1_000_000, help="how many incoming documents in all")
        parser.add_argument("--agency", default=None,
                            help="exchange code of the measured agency (default: the demo records clerk's)")
        parser.add_argument("--share", type=float, default=0.1, help="the measured agency's share of the documents")
        parser.add_argument("--reseed", action="store_true", help="delete every incoming document first")

    def handle(self, *args, count, agency, share, reseed, **options):
        from docs_office.models import DocumentType, IncomingDocument
        from docs_office.services.changes import incoming_changes_record_all

        if count <= 0 or not 0 < share <= 1:
            raise CommandError("--count must be positive and --share in (0, 1].")
        measured, others = self._agencies(agency)
        from egov.agencies.models import Agency, AgencyKind

        committee = Agency.objects.filter(kind=AgencyKind.PROVINCIAL_COMMITTEE, parent=None).order_by("id").first()
        issuers = [(committee.name, "UBND"), *ISSUERS] if committee else ISSUERS
        types = list(DocumentType.objects.filter(is_active=True).order_by("id").values_list("pk", "abbreviation"))
        if not types:
            raise CommandError("No document types: run migrate first.")
        table = IncomingDocument._meta.db_table
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Foreign keys checked at each statement, not queued to the commit (a million queued checks, and
                # CREATE INDEX refuses to run while any are pending).
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            if reseed:
                self._delete_all()
            have = IncomingDocument.objects.count()
            missing = count - have
            self.stdout.write(f"{have:,} văn bản đến có sẵn; cần {count:,}.")
            if missing <= 0:
                return
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                superuser = cursor.fetchone()[0]
                if superuser:
                    # No per-row foreign-key triggers for ids just read from the database (this transaction only).
                    cursor.execute("SET LOCAL session_replication_role = replica")
                index_sql = None
                if missing >= INDEX_REBUILD_FROM:
                    cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'incoming_vector_idx'")
                    row = cursor.fetchone()
                    if row:
                        index_sql = row[0]
                        cursor.execute("DROP INDEX incoming_vector_idx")
                cursor.execute(self._insert_sql(table), self._params(
                    first=have + 1, last=count, measured=measured, others=others, share=share, types=types,
                    issuers=issuers))
                inserted = time.perf_counter() - started
                if index_sql:
                    cursor.execute(index_sql)
                if superuser:
                    cursor.execute("SET LOCAL session_replication_role = origin")
            # The bulk load bypassed the triggers: lists kept before it are not its lists.
            incoming_changes_record_all()
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {table}")
        if not connection.in_atomic_block:
            # Outside a caller's transaction (a test's), VACUUM too: it marks the new pages all-visible, which
            # the list's index-only reads need (unvacuumed, the bench's first runs were measurably slower).
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM ANALYZE {table}")
        self.stdout.write(self.style.SUCCESS(
            f"Thêm {missing:,} văn bản đến ({measured.name}: khoảng {int(missing * share):,}) trong "
            f"{time.perf_counter() - started:.0f} s (chèn {inserted:.0f} s, còn lại là chỉ mục)."))

    def _agencies(self, code):
        receivers = receiving_agencies()
        measured = measured_agency(code)
        if measured is None:
            raise CommandError("No measured agency: run seed_demo first, or give --agency an existing exchange code.")
        others = [a.pk for a in receivers if a.pk != measured.pk]
        if not others:
            raise CommandError("The province has no other agency: run seed_demo first.")
        return measured, others

    def _delete_all(self):
        """Every incoming document and what hangs on it, in SQL (the ORM would load a million objects)."""
        from django.db import models

        from docs_office.models import IncomingDocument

        # Table and column names from the models' meta only.
        with connection.cursor() as cursor:
            for relation in IncomingDocument._meta.related_objects:
                table = relation.related_model._meta.db_table
                if relation.many_to_many:
                    continue
                column = relation.field.column
                if relation.on_delete is models.SET_NULL:
                    cursor.execute(f'UPDATE "{table}" SET "{column}" = NULL WHERE "{column}" IS NOT NULL')  # noqa: S608
                elif relation.on_delete is models.CASCADE:
                    cursor.execute(f'DELETE FROM "{table}" WHERE "{column}" IS NOT NULL')  # noqa: S608
                else:
                    cursor.execute(f'SELECT 1 FROM "{table}" WHERE "{column}" IS NOT NULL LIMIT 1')  # noqa: S608
                    if cursor.fetchone():
                        raise CommandError(f"{table} refers to incoming documents: --reseed cannot delete them.")
            cursor.execute(f'DELETE FROM "{IncomingDocument.readers.through._meta.db_table}"')  # noqa: S608
            cursor.execute(f'DELETE FROM "{IncomingDocument._meta.db_table}"')  # noqa: S608

    @staticmethod
    def _insert_sql(table: str) -> str:
        # g numbers the documents 1..count overall: the newest is g = count, one minute apart going back.
        # The measured agency takes the documents where g * share passes an integer (an even spread), the
        # others round-robin. h, a multiplicative hash of g, picks subject, place, issuer, type, state… so
        # that they do not follow each other (nor the agency).
        return f"""
            INSERT INTO "{table}"
              (agency_id, arrival_number, arrival_year, received_at, state, number, symbol, issuer_name,
               issuer_name_folded, issued_on, document_type_id, summary, summary_folded, signer_name, page_count,
               urgency, confidentiality, deadline, file, registered_at, acknowledged_at, closed_at, external_id,
               external_sender_code, result, closing_reason, created_at, signer_position, signer_competence, place,
               to_places, trace)
            SELECT d.agency_id,
                   row_number() OVER (PARTITION BY d.agency_id, extract(year FROM d.received_at) ORDER BY d.g),
                   extract(year FROM d.received_at),
                   d.received_at,
                   CASE WHEN d.age > {OPEN_WINDOW_MINUTES} AND d.h %% 50 <> 0 THEN 'closed'
                        ELSE (ARRAY['registered', 'assigned', 'in_progress', 'closed'])[1 + d.h %% 4] END,
                   (1 + (d.h / 3) %% 997)::text,
                   CASE WHEN (%(abbr)s)[d.t] = '' THEN (%(issuer_codes)s)[d.i] || '-VP'
                        ELSE (%(abbr)s)[d.t] || '-' || (%(issuer_codes)s)[d.i] END,
                   (%(issuers)s)[d.i], (%(issuers_folded)s)[d.i],
                   (d.received_at - interval '3 days')::date, (%(types)s)[d.t],
                   (%(subjects)s)[d.s] || ' ' || (%(places)s)[d.p] || ' năm ' || extract(year FROM d.received_at),
                   (%(subjects_folded)s)[d.s] || ' ' || (%(places_folded)s)[d.p] || ' nam '
                     || extract(year FROM d.received_at),
                   (%(signers)s)[1 + (d.h / 5) %% %(n_signers)s], 1 + (d.h / 11) %% 9,
                   (ARRAY['normal', 'normal', 'normal', 'normal', 'normal', 'normal', 'normal', 'urgent', 'urgent',
                          'very_urgent'])[1 + (d.h / 13) %% 10],
                   CASE WHEN (d.h / 17) %% 400 = 7 THEN 'confidential' ELSE 'normal' END,
                   CASE WHEN (d.h / 19) %% 3 = 0 THEN (d.received_at + interval '15 days')::date END,
                   '', d.received_at, d.received_at,
                   CASE WHEN d.age > {OPEN_WINDOW_MINUTES} AND d.h %% 50 <> 0
                        THEN d.received_at + interval '10 days' END,
                   '', '', '', '', d.received_at, '', '', '', '[]'::jsonb, '[]'::jsonb
            FROM (
                SELECT g, %(last)s - g AS age,
                       date_trunc('minute', now()) - ((%(last)s - g) || ' minutes')::interval AS received_at,
                       CASE WHEN floor(g * %(share)s) <> floor((g - 1) * %(share)s) THEN %(measured)s
                            ELSE (%(others)s)[1 + g %% %(n_others)s] END AS agency_id,
                       h, 1 + h %% %(n_subjects)s AS s, 1 + (h / 97) %% %(n_places)s AS p,
                       1 + (h / 9973) %% %(n_issuers)s AS i, 1 + (h / 99991) %% %(n_types)s AS t
                FROM generate_series(%(first)s, %(last)s) AS g,
                     LATERAL (SELECT (g::bigint * 2654435761) %% 4294967291 AS h) AS hashed
            ) AS d
        """  # noqa: S608  (the table's name from the model, every value a parameter)

    @staticmethod
    def _params(*, first, last, measured, others, share, types, issuers) -> dict:
        codes = [code for _name, code in issuers]
        issuers = [name for name, _code in issuers]
        return {
            "first": first, "last": last, "share": share, "measured": measured.pk, "others": others,
            "n_others": len(others), "types": [pk for pk, _a in types], "abbr": [a for _pk, a in types],
            "n_types": len(types), "issuers": issuers, "issuers_folded": [fold_vietnamese(n) for n in issuers],
            "issuer_codes": codes, "n_issuers": len(issuers),
            "subjects": SUBJECTS, "subjects_folded": [fold_vietnamese(s) for s in SUBJECTS], "n_subjects": len(SUBJECTS),
            "places": PLACES, "places_folded": [fold_vietnamese(p) for p in PLACES], "n_places": len(PLACES),
            "signers": SIGNERS, "n_signers": len(SIGNERS),
        }

