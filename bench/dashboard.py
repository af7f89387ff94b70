"""Statistics benchmark: the leaders' dashboard and the public statistics against the /healthz floor.

    make bench-dashboard                          # or: .venv/bin/python bench/dashboard.py
    BENCH_DASHBOARD_SECONDS=5 .venv/bin/python bench/dashboard.py        # quicker

The desk benchmark's method (bench/desk.py: its database, gunicorn, wrk and CPU accounting are reused):

- the database BENCH_DATABASE_NAME (default `egov_bench`) on the PostgreSQL server of DATABASE_URL, migrated;
  when it holds fewer than BENCH_DOSSIERS dossiers (default 1,000,000) `seed_demo` (on an empty one) and
  `seed_bench_dossiers` add the missing ones; when it holds fewer than BENCH_DOCUMENTS incoming documents
  (default 1,000,000) `seed_bench_documents` adds them; then `reports_backfill` rolls up every day not
  rolled up yet, or again when documents were added (the nightly beat task's work, done once here);
- gunicorn as the desk bench starts it (2 sync workers, production settings, Redis cache from REDIS_URL),
  requests with `X-Forwarded-Proto: https` as behind the proxy;
- `wrk` (else a threaded Python client) for BENCH_DASHBOARD_SECONDS (default 10) per path with
  BENCH_DASHBOARD_CONNECTIONS (default 4) connections: /healthz (the floor), the public statistics of this
  month and of this year, and the dashboard of a province leader (who sees every agency: the largest
  scope) for this month and this year, signed in past the second factor; the CPU time of the workers per
  request (/proc), steadier than latency on a shared machine;
- in-process, once per path: the number of SQL queries of a warm request (the rendered figures come from
  the one-minute cache) and of a cold one (cache off: the first leader of the morning, or the minute after
  the cache expires), with the cold request's wall and CPU time. The query counts do not depend on the
  number of dossiers or documents (tests/reports pins them at two sizes).

PASS: the warm p95 of every statistics path is under 2 × the floor's p95, and no error response. Cold
timings and query counts are reported, not judged. Results go to bench/results/dashboard.json; exit
status 1 on FAIL.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

from bench.desk import (  # noqa: E402  (the project's root on the path first)
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

RESULTS_PATH = BASE_DIR / "bench" / "results" / "dashboard.json"
FLOOR_RATIO = 2.0
FLOOR = "floor /healthz"
REFERENCE = "ref. staff page"


def _count(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608  (our own table names)
        return cursor.fetchone()[0]


def prepare(*, env: dict[str, str], dossiers: int, documents: int) -> dict:
    """Migrate, seed what is missing, roll up; return the sizes and the leader's session."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    if not _count("one_stop_procedure"):
        print("seed_demo…", flush=True)
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115  (its passwords are not needed)
    have = _count("one_stop_dossier")
    if have < dossiers:
        print(f"Seeding {dossiers - have:,} dossiers (seed_bench_dossiers)…", flush=True)
        call_command("seed_bench_dossiers", count=dossiers - have)
    if _count("docs_office_incomingdocument") < documents:
        print(f"Seeding incoming documents up to {documents:,} (seed_bench_documents)…", flush=True)
        call_command("seed_bench_documents", count=documents)  # --count is the total wanted
    rollup()
    return {"dossiers": _count("one_stop_dossier"), "documents": _count("docs_office_incomingdocument"),
            "outgoing": _count("docs_office_outgoingdocument"),
            "rows": {table: _count(table) for table in ("reports_dossierdailystat", "reports_agencydailystat",
                                                        "reports_proceduremonthlystat", "reports_officedailystat")},
            "session": leader_session()}


def rollup() -> None:
    """The nightly task's work, done once: every day from the first dossier or document to yesterday,
    unless the roll-up covers them all already (a rerun on the same database skips it); only the eOffice
    part again when documents were added to days already rolled up."""
    from django.db.models import Min, Sum
    from django.utils import timezone

    from docs_office.models import IncomingDocument
    from one_stop.models import Dossier
    from reports.metrics import day_bounds
    from reports.models import OfficeDailyStat, RollupDay
    from reports.services import office_rollup_days, rollup_backfill

    firsts = [v for v in (Dossier.objects.aggregate(m=Min("received_at"))["m"],
                          IncomingDocument.objects.aggregate(m=Min("received_at"))["m"]) if v]
    yesterday = timezone.localdate() - timedelta(days=1)
    if not firsts:
        return
    first = min(timezone.localtime(v).date() for v in firsts)
    if first > yesterday:
        return
    started = time.perf_counter()
    covered = RollupDay.objects.filter(day__gte=first, day__lte=yesterday).count()
    if covered < (yesterday - first).days + 1:
        print(f"Rolling up {first}..{yesterday} (reports_backfill)…", flush=True)
        rows = rollup_backfill(start=first, end=yesterday)
        print(f"  {rows:,} detailed rows in {time.perf_counter() - started:.0f} s", flush=True)
        return
    lo, hi = day_bounds(first, yesterday)
    documents = IncomingDocument.objects.filter(received_at__gte=lo, received_at__lt=hi).count()
    rolled = OfficeDailyStat.objects.aggregate(n=Sum("received"))["n"] or 0
    if documents != rolled:
        print(f"Rolling up the eOffice part of {first}..{yesterday} ({documents:,} documents, {rolled:,} rolled up)…",
              flush=True)
        cursor = first
        while cursor <= yesterday:
            chunk_end = min(yesterday, cursor + timedelta(days=30))
            office_rollup_days(start=cursor, end=chunk_end)
            cursor = chunk_end + timedelta(days=1)
        print(f"  {time.perf_counter() - started:.0f} s", flush=True)


def leader_session() -> str:
    """A province leader (every agency in scope) signed in past the second factor."""
    from django.contrib.auth.models import Group
    from django.test import Client
    from django_otp.plugins.otp_static.models import StaticDevice

    from egov.accounts.models import User
    from egov.agencies.models import Agency, AgencyKind

    root = Agency.objects.filter(parent=None, kind=AgencyKind.PROVINCIAL_COMMITTEE).order_by("pk").first()
    user, _created = User.objects.get_or_create(username="bench-dashboard-leader", defaults={"agency": root})
    if user.agency_id != root.pk:
        user.agency = root
        user.save(update_fields=["agency"])
    user.groups.add(Group.objects.get(name="leader"))
    device, _created = StaticDevice.objects.get_or_create(user=user, name="bench")
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return session.session_key


def in_process(paths: list[tuple[str, str, str]], cookie_session: str) -> dict[str, dict]:
    """Per path: the queries of a warm request and of a cold one (figures cache off), and the cold one's
    wall and CPU time (Python's; PostgreSQL's CPU is in the wall time)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    # Not the process's first request of each page either (imports, template compilation): a gunicorn
    # worker has served others before. Another period's page first, with the cache off too.
    with override_settings(EGOV_REPORTS_CACHE_SECONDS=0):
        for _label, path, cookie in paths:
            client.cookies.clear()
            if cookie:
                client.cookies["sessionid"] = cookie_session
            client.get(path.replace(f"nam={date.today().year}", f"nam={date.today().year - 1}"))
    measured = {}
    for label, path, cookie in paths:
        client.cookies.clear()
        if cookie:
            client.cookies["sessionid"] = cookie_session
        with override_settings(EGOV_REPORTS_CACHE_SECONDS=0), CaptureQueriesContext(connection) as cold_queries:
            wall, cpu = time.perf_counter(), time.process_time()
            status = client.get(path).status_code
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        # Counted at once: the next request's start clears the connection's query log.
        cold = len(cold_queries)
        client.get(path)  # fills the cache
        with CaptureQueriesContext(connection) as warm_queries:
            client.get(path)
        warm = len(warm_queries)
        if status != 200:
            raise SystemExit(f"{label}: {path} answered {status} in-process")
        measured[label] = {"queries_warm": warm, "queries_cold": cold, "cold_ms": wall * 1000, "cold_cpu_ms": cpu * 1000}
    return measured


def main() -> int:
    seconds = _env_int("BENCH_DASHBOARD_SECONDS", 10)
    connections = _env_int("BENCH_DASHBOARD_CONNECTIONS", 4)
    port = _env_int("BENCH_DASHBOARD_PORT", 8766)
    url = bench_database_url(os.environ.get("BENCH_DATABASE_NAME", "egov_bench"))
    ensure_database(url, drop=False)
    env = server_env(url)
    sizes = prepare(env=env, dossiers=_env_int("BENCH_DOSSIERS", 1_000_000),
                    documents=_env_int("BENCH_DOCUMENTS", 1_000_000))
    cookie = f"sessionid={sizes['session']}"
    today = date.today()
    month, year = f"?ky=thang&nam={today.year}&thang={today.month}", f"?ky=nam&nam={today.year}"
    paths = [(FLOOR, "/healthz", ""), ("public, month", "/thong-ke/" + month, ""),
             ("public, year", "/thong-ke/" + year, ""), ("dashboard, month", "/bang-dieu-khien/" + month, cookie),
             ("dashboard, year", "/bang-dieu-khien/" + year, cookie),
             # Not judged: any signed-in staff page pays the session, second-factor and role lookups.
             (REFERENCE, "/lam-viec/", cookie)]
    measured = in_process(paths, sizes["session"])
    use_wrk = shutil.which("wrk") is not None
    runner = run_wrk if use_wrk else run_python
    print(f"{sizes['dossiers']:,} dossiers, {sizes['documents']:,} incoming and {sizes['outgoing']:,} outgoing "
          f"documents; {seconds} s per path, {connections} connections, "
          f"{'wrk' if use_wrk else 'the Python client (install wrk for exact numbers)'}", flush=True)
    load_at_start = os.getloadavg()[0]
    server = start_gunicorn(env, port)
    results = []
    try:
        with tempfile.TemporaryDirectory(prefix="egov-dashboard-") as tmp:
            for label, path, jar in paths:
                headers = {"X-Forwarded-Proto": "https", **({"Cookie": jar} if jar else {})}
                status, body = fetch(port, path, headers)  # fills the cache as the first visitor of the minute does
                if status != 200:
                    raise SystemExit(f"{label}: {path} answered {status}: {body[:300]!r}")
                cpu_before = workers_cpu_seconds(server.pid)
                data = runner(port=port, paths=[path], cookie=jar, seconds=seconds, connections=connections,
                              tmp=Path(tmp))
                cpu = workers_cpu_seconds(server.pid) - cpu_before
                results.append({"label": label, "path": path, **data, **measured[label],
                                "cpu_ms": cpu * 1000 / max(1, data["requests"]),
                                "rps": data["requests"] / data["seconds"] if data["seconds"] else 0.0})
                print(f"  {label}: {results[-1]['rps']:,.0f} req/s, p95 {data['p95_ms']:.1f} ms", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return report(results, sizes=sizes, seconds=seconds, connections=connections, tool="wrk" if use_wrk else "python",
                  load=(load_at_start, os.getloadavg()[0]))


def report(results: list[dict], *, sizes: dict, seconds: int, connections: int, tool: str, load: tuple) -> int:
    floor, floor_cpu = results[0]["p95_ms"], results[0]["cpu_ms"]
    failed = False
    header = (f"{'path':<18}{'req/s':>7}{'p50 ms':>8}{'p95 ms':>8}{'× floor':>8}{'CPU ms':>8}{'× floor':>8}"
              f"{'queries':>9}{'cold ms':>9}{'cold CPU':>9}  verdict")
    print("\n" + header + "\n" + "-" * len(header))
    for r in results:
        ratio = r["p95_ms"] / floor if floor else 0.0
        cpu_ratio = r["cpu_ms"] / floor_cpu if floor_cpu else 0.0
        if r["label"] in (FLOOR, REFERENCE):
            verdict = "floor" if r["label"] == FLOOR else "reference"
        else:
            verdict = ("PASS" if ratio < FLOOR_RATIO else "FAIL") + f" (< {FLOOR_RATIO:g}× floor)"
        if r["errors"]:
            verdict = f"FAIL ({r['errors']} errors)"
        failed |= verdict.startswith("FAIL")
        r.update({"ratio_to_floor": round(ratio, 3), "cpu_ratio_to_floor": round(cpu_ratio, 3), "verdict": verdict})
        queries = f"{r['queries_warm']}/{r['queries_cold']}"
        print(f"{r['label']:<18}{r['rps']:>7.0f}{r['p50_ms']:>8.1f}{r['p95_ms']:>8.1f}{ratio:>7.2f}×{r['cpu_ms']:>8.1f}"
              f"{cpu_ratio:>7.2f}×{queries:>9}{r['cold_ms']:>9.0f}{r['cold_cpu_ms']:>9.0f}  {verdict}")
    print("\nqueries: warm/cold (cold: figures cache off, in-process; cold ms is wall time, cold CPU the Python "
          "process's). Roll-up rows: " + ", ".join(f"{k.removeprefix('reports_')} {v:,}" for k, v in sizes["rows"].items()))
    print(f"{sizes['dossiers']:,} dossiers, {sizes['documents']:,} incoming documents, {os.cpu_count()} CPUs, "
          f"load average {load[0]:.1f} → {load[1]:.1f} (other processes share the CPUs)")
    RESULTS_PATH.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_PATH.write_text(json.dumps({**{k: v for k, v in sizes.items() if k != "session"}, "seconds": seconds,
                                        "connections": connections, "tool": tool, "load": load, "cpus": os.cpu_count(),
                                        "results": results}, ensure_ascii=False, indent=2) + "\n")
    print(f"{'FAIL' if failed else 'PASS'} — written {RESULTS_PATH.relative_to(BASE_DIR)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
