"""eOffice benchmark: the records clerk's incoming list and its search over 1,000,000 documents, against /healthz.

    make bench-office                     # or: .venv/bin/python bench/office_search.py (also part of `make bench`)
    BENCH_DOCS=200000 BENCH_OFFICE_SECONDS=5 .venv/bin/python bench/office_search.py   # smaller and quicker
    .venv/bin/python bench/office_search.py --reseed                                  # documents seeded again

The method is the desk benchmark's (bench/desk.py, whose functions it uses):

- a database `egov_office_bench` (BENCH_OFFICE_DATABASE_NAME) on the server of DATABASE_URL, else in the
  embedded PostgreSQL, migrated, with `seed_demo` and `seed_bench_documents --count BENCH_DOCS` (default
  1,000,000, about a minute): kept between runs, topped up when it holds fewer documents;
- gunicorn on 127.0.0.1:BENCH_OFFICE_PORT (default 8767), 2 sync workers, production settings, requests
  with `X-Forwarded-Proto: https`;
- `wrk` (else the desk's Python client), BENCH_OFFICE_CONNECTIONS (4) connections for BENCH_OFFICE_SECONDS
  (default 8) per path: /healthz (the floor; measured again at the end, the lower p95 counts), then as a
  records clerk of the measured agency (a tenth of the documents; signed in past the second factor) the
  incoming list page /van-ban/den/ and the list API /api/v1/incoming-documents/, and each search of QUERIES
  on the page and on the API;
- the workers' CPU time per request (/proc), steadier than latency on a shared machine;
- the database queries of each path, counted in this process on the same database (one request after a
  warm-up), for the measured agency and for a records clerk of an agency with no documents at all.

PASS: every path's p95 within 2 × the floor's p95, no error response, and the same query count on every
page path and on every API path, at both sizes. Exit status 1 on FAIL; results in bench/results/office.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import urllib.parse
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from bench.desk import (  # noqa: E402  (after the path)
    Result,
    _env_int,
    bench_database_url,
    ensure_database,
    fetch,
    run_python,
    run_wrk,
    server_env,
    start_gunicorn,
    workers_cpu_seconds,
)

RESULTS_PATH = BASE_DIR / "bench" / "results" / "office.json"
FLOOR_RATIO = 2.0
PAGE, API = "/van-ban/den/", "/api/v1/incoming-documents/"
QUERIES = {
    "rare words": "thi hanh an bo xay dung mau son",
    "many words": "tim kiem cuu nan tinh lang son",
    "phrase": "giay phep xay dung",
    "common words": "ve viec",
    "prefix": "chuyen doi s",
    "issuer and words": "bo noi vu hoi nghi",
    "number/symbol": "15/QĐ-UBND",
}


def prepare(*, target: int, reseed: bool, env: dict[str, str]) -> dict:
    """Migrate and seed when needed; return the clerks' sessions and the document counts."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from egov.agencies.models import Agency, AgencyKind

    call_command("migrate", verbosity=0, interactive=False)
    if not (Path(env["STATIC_ROOT"]) / "staticfiles.json").exists():  # production serves the hashed names
        call_command("collectstatic", verbosity=0, interactive=False)
    if not Agency.objects.filter(kind=AgencyKind.PROVINCIAL_COMMITTEE).exists():
        print("Seeding the demo province…", flush=True)
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115  (its passwords are not needed)
    call_command("seed_bench_documents", count=target, reseed=reseed)
    return _fixtures()


def _clerk_session(username: str, agency) -> tuple[str, object]:
    """A records clerk of `agency`, signed in past the second factor (records clerks need one: a static
    device and its id in the session, as after the code was typed)."""
    from django.test import Client
    from django_otp.plugins.otp_static.models import StaticDevice

    from egov.accounts.models import User
    from egov.accounts.roles import Role
    from egov.accounts.services import user_create, user_set_roles

    clerk = User.objects.filter(username=username).first()
    if clerk is None:
        clerk = user_create(username=username, full_name="Văn thư (đo tải)", password=None, roles=[Role.RECORDS_CLERK],
                            agency=agency)
    elif clerk.agency_id != agency.pk:
        clerk.agency = agency
        clerk.save(update_fields=["agency"])
    user_set_roles(user=clerk, roles=[Role.RECORDS_CLERK])
    device, _created = StaticDevice.objects.get_or_create(user=clerk, name="bench")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(clerk)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client.cookies["sessionid"].value, client


def _fixtures() -> dict:
    from docs_office.management.commands.seed_bench_documents import measured_agency
    from docs_office.models import IncomingDocument
    from egov.agencies.models import Agency

    agency = measured_agency()
    # An agency without a single incoming document: the same pages at the smallest size.
    empty = Agency.objects.exclude(pk__in=IncomingDocument.objects.values("agency_id")).order_by("id").first()
    session, client = _clerk_session("bench_office_clerk", agency)
    _small_session, small_client = _clerk_session("bench_office_clerk_empty", empty)
    return {"session": session, "client": client, "small_client": small_client, "agency": agency.name,
            "empty_agency": empty.name, "documents": IncomingDocument.objects.count(),
            "agency_documents": IncomingDocument.objects.filter(agency=agency).count()}


def count_queries(client, path: str) -> int:
    """The database queries of one request, in this process on the bench database, after a warm-up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(path, secure=True).status_code == 200, path  # noqa: S101  (a bench, not a check of input)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, secure=True)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code} in process")
    return len(queries.captured_queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reseed", action="store_true", help="delete the incoming documents and seed them again")
    args = parser.parse_args()
    seconds = _env_int("BENCH_OFFICE_SECONDS", 8)
    target = _env_int("BENCH_DOCS", 1_000_000)
    connections = _env_int("BENCH_OFFICE_CONNECTIONS", 4)
    port = _env_int("BENCH_OFFICE_PORT", 8767)
    url = bench_database_url(os.environ.get("BENCH_OFFICE_DATABASE_NAME", "egov_office_bench"))
    ensure_database(url, drop=False)
    env = server_env(url)
    fixtures = prepare(target=target, reseed=args.reseed, env=env)
    cookie = f"sessionid={fixtures['session']}"
    targets = [("floor /healthz", "/healthz", ""), ("list page", PAGE, cookie), ("list API", API, cookie)]
    for name, query in QUERIES.items():
        targets.append((f"search page: {name}", f"{PAGE}?q={urllib.parse.quote(query)}", cookie))
    for name, query in QUERIES.items():
        targets.append((f"search API: {name}", f"{API}?q={urllib.parse.quote(query)}", cookie))
    # The floor again at the end: the verdict takes the lower of its two p95s, so that one stall of the
    # machine during the floor's run cannot make every page pass.
    targets.append(("floor /healthz, again", "/healthz", ""))
    queries = {path: (count_queries(fixtures["client"], path), count_queries(fixtures["small_client"], path))
               for _label, path, jar in targets if jar}

    use_wrk = shutil.which("wrk") is not None
    runner = run_wrk if use_wrk else run_python
    print(f"{fixtures['documents']:,} incoming documents, {fixtures['agency_documents']:,} at {fixtures['agency']}; "
          f"{seconds} s per path with {'wrk' if use_wrk else 'the Python client (install wrk for exact numbers)'}",
          flush=True)
    load_at_start = os.getloadavg()[0]
    server = start_gunicorn(env, port)
    results: list[Result] = []
    try:
        with tempfile.TemporaryDirectory(prefix="egov-office-") as tmp:
            for label, path, jar in targets:
                status, body = fetch(port, path, {"X-Forwarded-Proto": "https", **({"Cookie": jar} if jar else {})})
                if status != 200:
                    raise SystemExit(f"{label}: {path} answered {status}: {body[:300]!r}")
                cpu_before = workers_cpu_seconds(server.pid)
                data = runner(port=port, paths=[path], cookie=jar, seconds=seconds, connections=connections,
                              tmp=Path(tmp))
                cpu = workers_cpu_seconds(server.pid) - cpu_before
                results.append(Result(label=label, path=path, connections=connections,
                                      cpu_ms=cpu * 1000 / max(1, data["requests"]), **data))
                print(f"  {label}: {results[-1].rps:,.0f} req/s, p95 {results[-1].p95_ms:.1f} ms", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 1 if report(results, queries=queries, fixtures=fixtures, seconds=seconds, tool="wrk" if use_wrk else "python",
                       load=(load_at_start, os.getloadavg()[0])) else 0


def report(results: list[Result], *, queries: dict, fixtures: dict, seconds: int, tool: str,
           load: tuple[float, float]) -> bool:
    floors = [r for r in results if r.label.startswith("floor")]
    floor = min(r.p95_ms for r in floors)
    header = (f"{'path':<32} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p95/floor':>10} {'CPU ms/req':>11} "
              f"{'queries':>8}  verdict")
    print("\n" + header + "\n" + "-" * len(header))
    rows, failed = [], False
    for result in results:
        ratio = result.p95_ms / floor if floor else 0.0
        large, small = queries.get(result.path, ("", ""))
        if result.label.startswith("floor"):
            verdict = "floor"
        else:
            verdict = ("PASS" if ratio <= FLOOR_RATIO else "FAIL") + f" (≤ {FLOOR_RATIO:g}× floor)"
        if result.errors:
            verdict = f"FAIL ({result.errors} errors)"
        failed |= verdict.startswith("FAIL")
        counted = f"{large}/{small}" if large != "" else ""
        print(f"{result.label:<32} {result.rps:>7,.0f} {result.p50_ms:>7.1f} {result.p95_ms:>7.1f} {ratio:>9.2f}× "
              f"{result.cpu_ms:>11.1f} {counted:>8}  {verdict}")
        rows.append({**result.__dict__, "rps": round(result.rps, 1), "ratio_to_floor": round(ratio, 3),
                     "queries": large, "queries_empty_agency": small, "verdict": verdict})
    # The same number of queries on every page (list or search) and on every API call, at both sizes.
    by_kind = {kind: {n for path, pair in queries.items() if path.startswith(prefix) for n in pair}
               for kind, prefix in (("page", PAGE), ("API", API))}
    constant = all(len(counts) == 1 for counts in by_kind.values())
    failed |= not constant
    print(f"\nfloor p95: {' and '.join(f'{r.p95_ms:.1f} ms' for r in floors)} (first and last path); the lower is the floor")
    print(f"queries: measured agency / agency without documents; pages {sorted(by_kind['page'])}, "
          f"API {sorted(by_kind['API'])}: {'constant' if constant else 'NOT constant (FAIL)'}")
    RESULTS_PATH.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_PATH.write_text(json.dumps({
        "documents": fixtures["documents"], "agency_documents": fixtures["agency_documents"], "seconds": seconds,
        "tool": tool, "load": load, "cpus": os.cpu_count(), "floor_p95_ms": floor, "constant_queries": constant,
        "results": rows,
    }, ensure_ascii=False, indent=2) + "\n")
    print(f"{fixtures['documents']:,} documents ({fixtures['agency_documents']:,} of {fixtures['agency']}), "
          f"{os.cpu_count()} CPUs, load average {load[0]:.1f} → {load[1]:.1f} (other processes share the CPUs)")
    print(f"{'FAIL' if failed else 'PASS'} — written {RESULTS_PATH.relative_to(BASE_DIR)}")
    return failed


if __name__ == "__main__":
    sys.exit(main())
