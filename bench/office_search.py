"""eOffice search benchmark: 1,000,000 incoming documents, the list API and its search.

    make bench-office                   # or: .venv/bin/python bench/office_search.py
    BENCH_DOCS=200000 make bench-office # fewer documents
    BENCH_N=200 make bench-office       # requests per scenario

The documents are seeded in SQL (INSERT … SELECT over generate_series, the search index built once
afterwards), spread over 50 agencies with the measured one holding a tenth, as a provincial committee
would among departments and communes. The summaries mix Vietnamese phrases, so words range from rare to
very common. Each scenario calls the API as that agency's records clerk through the full Django stack
(DRF, the selector, cursor pagination, serialisation) and reports p50/p95 latency and the query count.

The floor is the unfiltered list (newest first, an index walk). The target: search p95 within twice the
floor's, and the same number of queries on every request. Nothing is asserted; the results are printed
and written to bench/results/office_search.json. The database is a throw-away test database.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

RESULTS_PATH = BASE_DIR / "bench" / "results" / "office_search.json"
AGENCIES = 50
MEASURED_SHARE = 10  # the measured agency holds 1/MEASURED_SHARE of the documents

SUBJECTS = [
    "Về việc tổ chức Hội nghị tổng kết công tác", "Kế hoạch cải cách hành chính", "V/v báo cáo tình hình kinh tế - xã hội",
    "Về việc phê duyệt dự toán ngân sách", "Về việc giao chỉ tiêu tuyển sinh", "V/v phòng chống thiên tai, tìm kiếm cứu nạn",
    "Về việc kiểm tra công tác văn thư, lưu trữ", "Thông báo kết luận của Chủ tịch", "V/v triển khai chuyển đổi số",
    "Về việc bổ nhiệm cán bộ lãnh đạo", "Kế hoạch phòng, chống dịch bệnh", "V/v hướng dẫn quyết toán vốn đầu tư",
    "Về việc cấp giấy phép xây dựng", "V/v thanh tra việc quản lý đất đai", "Về việc khen thưởng tập thể, cá nhân",
    "Chương trình hành động thực hiện Nghị quyết", "V/v góp ý dự thảo Luật", "Về việc điều chỉnh quy hoạch sử dụng đất",
]
PLACES = ["thành phố Lạng Sơn", "xã Tân Thanh", "phường Đông Kinh", "huyện Cao Lộc", "các sở, ngành", "tỉnh Lạng Sơn",
          "Trung tâm Phục vụ hành chính công", "Ban Quản lý dự án", "Đoàn Thanh niên", "Hội Nông dân"]
ISSUERS = ["Bộ Nội vụ", "Văn phòng Chính phủ", "Bộ Tài chính", "Ủy ban nhân dân tỉnh Lạng Sơn", "Sở Tư pháp",
           "Sở Tài chính", "Bộ Xây dựng", "Thanh tra tỉnh"]
QUERIES = {
    "rare_words": "tim kiem cuu nan tinh lang son",
    "medium_words": "giay phep xay dung",
    "common_word": "ve viec",
    "prefix": "chuyen doi s",
    "issuer": "bo noi vu hoi nghi",
    "number_symbol": "15/QĐ-UBND",
}


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def seed(total: int) -> tuple[object, object]:
    from django.db import connection

    from docs_office.models import DocumentType
    from egov.accounts.roles import Role
    from egov.core.text import fold_vietnamese
    from tests.factories import AgencyFactory, UserFactory

    agencies = [AgencyFactory(province=(i == 0)) for i in range(AGENCIES)]
    measured = agencies[0]
    clerk = UserFactory(agency=measured, roles=[Role.RECORDS_CLERK])
    types = list(DocumentType.objects.values_list("pk", "abbreviation"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'incoming_vector_idx'")
        (index_sql,) = cursor.fetchone()
        cursor.execute("DROP INDEX incoming_vector_idx")
        started = time.perf_counter()
        # agency: every MEASURED_SHARE-th document belongs to the measured agency, the rest round-robin.
        cursor.execute("""
            INSERT INTO docs_office_incomingdocument
              (agency_id, arrival_number, arrival_year, received_at, state, number, symbol, issuer_name,
               issuer_name_folded, issued_on, document_type_id, summary, summary_folded, signer_name, page_count,
               urgency, confidentiality, file, registered_at, acknowledged_at, external_id, result, closing_reason,
               created_at)
            SELECT CASE WHEN g %% %(share)s = 0 THEN %(measured)s ELSE (%(others)s)[1 + g %% %(n_others)s] END,
                   g, 2020 + g %% 7, now() - (g || ' minutes')::interval, 'registered',
                   (g %% 997)::text, (%(abbr)s)[1 + g %% %(n_types)s] || '-UBND',
                   (%(issuers)s)[1 + g %% %(n_issuers)s], (%(issuers_f)s)[1 + g %% %(n_issuers)s],
                   current_date - (g %% 2000), (%(types)s)[1 + g %% %(n_types)s],
                   (%(subjects)s)[1 + (g * 7) %% %(n_subjects)s] || ' ' || (%(places)s)[1 + (g * 13) %% %(n_places)s]
                     || ' năm ' || (2020 + g %% 7),
                   (%(subjects_f)s)[1 + (g * 7) %% %(n_subjects)s] || ' ' || (%(places_f)s)[1 + (g * 13) %% %(n_places)s]
                     || ' nam ' || (2020 + g %% 7),
                   'Hoàng Văn Nam', 1 + g %% 9, 'normal', 'normal', '', now(), now(), '', '', '', now()
            FROM generate_series(1, %(total)s) AS g
        """, {
            "share": MEASURED_SHARE, "measured": measured.pk, "others": [a.pk for a in agencies[1:]],
            "n_others": AGENCIES - 1, "abbr": [a or "CV" for _pk, a in types], "types": [pk for pk, _a in types],
            "n_types": len(types), "issuers": ISSUERS, "issuers_f": [fold_vietnamese(i) for i in ISSUERS],
            "n_issuers": len(ISSUERS), "subjects": SUBJECTS, "subjects_f": [fold_vietnamese(s) for s in SUBJECTS],
            "n_subjects": len(SUBJECTS), "places": PLACES, "places_f": [fold_vietnamese(p) for p in PLACES],
            "n_places": len(PLACES), "total": total,
        })
        inserted = time.perf_counter() - started
        cursor.execute(index_sql)
        indexed = time.perf_counter() - started - inserted
        cursor.execute("UPDATE docs_office_incomingdocument SET number = '15', symbol = 'QĐ-UBND' "
                       "WHERE id IN (SELECT id FROM docs_office_incomingdocument WHERE agency_id = %s LIMIT 3)",
                       [measured.pk])
        cursor.execute("ANALYZE docs_office_incomingdocument")
    print(f"Seeded {total:,} documents in {inserted:.0f} s, search index built in {indexed:.0f} s", flush=True)
    return measured, clerk


def measure(client, path: str, params: dict, n: int, warmup: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        client.get(path, params)
    timings, counts, rows = [], set(), 0
    for _ in range(n):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path, params)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:300]
        counts.add(len(queries.captured_queries))
        rows = len(response.json()["results"])
    timings.sort()
    return {"p50_ms": round(statistics.median(timings), 2), "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
            "queries": sorted(counts), "rows": rows}


def explain(clerk) -> None:
    """BENCH_EXPLAIN=1: the plans of the searches (the first page of each), to see where time goes."""
    from django.db import connection

    from docs_office.selectors import incoming_search

    for name, query in QUERIES.items():
        documents = incoming_search(user=clerk, query=query, ranked=False).order_by("-received_at", "-id")[:51]
        sql, params = documents.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            print(f"--- {name}\n" + "\n".join(row[0] for row in cursor.fetchall()))


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings.test")
    import django

    django.setup()
    from django.test.utils import setup_databases, teardown_databases
    from rest_framework.test import APIClient

    total, n, warmup = _env_int("BENCH_DOCS", 1_000_000), _env_int("BENCH_N", 100), _env_int("BENCH_WARMUP", 5)
    print(f"eOffice search benchmark: {total:,} documents, {n} requests per scenario (BENCH_DOCS, BENCH_N)",
          flush=True)
    old_config = setup_databases(verbosity=0, interactive=False, serialized_aliases=set())
    try:
        _measured, clerk = seed(total)
        client = APIClient()
        client.force_authenticate(clerk)
        path = "/api/v1/incoming-documents/"
        results = {"floor_list": measure(client, path, {}, n, warmup)}
        for name, query in QUERIES.items():
            results[name] = measure(client, path, {"q": query}, n, warmup)
        if os.environ.get("BENCH_EXPLAIN") == "1":
            explain(clerk)
    finally:
        teardown_databases(old_config, verbosity=0)
    floor = results["floor_list"]["p95_ms"]
    print(f"\n{'scenario':<16}{'p50 ms':>10}{'p95 ms':>10}{'× floor':>10}{'queries':>10}{'rows':>7}")
    for name, r in results.items():
        print(f"{name:<16}{r['p50_ms']:>10}{r['p95_ms']:>10}{r['p95_ms'] / floor:>10.2f}{str(r['queries']):>10}"
              f"{r['rows']:>7}")
    within = all(r["p95_ms"] <= 2 * floor for r in results.values())
    same_queries = len({tuple(r["queries"]) for r in results.values()}) == 1
    print(f"\nSearch p95 within 2× the floor: {'yes' if within else 'NO'}; "
          f"same query count everywhere: {'yes' if same_queries else 'NO'}")
    RESULTS_PATH.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_PATH.write_text(json.dumps({"documents": total, "requests": n, "results": results,
                                        "p95_within_2x_floor": within, "constant_queries": same_queries},
                                       ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
