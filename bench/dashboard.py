"""Statistics benchmark: the leaders' dashboard and the public statistics against the /healthz floor.

    make bench-dashboard                          # or: .venv/bin/python bench/dashboard.py
    BENCH_DOSSIERS=100000 BENCH_DASHBOARD_SECONDS=5 .venv/bin/python bench/dashboard.py   # quicker

What it does:

- a database BENCH_DATABASE_NAME (default `egov_bench`, the desk benchmark's) on the PostgreSQL server of
  DATABASE_URL, migrated, with `seed_demo` and `seed_bench_dossiers --count BENCH_DOSSIERS` (default
  1,000,000) when it holds fewer dossiers, then `reports_backfill` for the days not rolled up yet (the
  nightly beat task's work, done once here);
- gunicorn on 127.0.0.1:BENCH_DASHBOARD_PORT (default 8766), 2 sync workers, production settings
  (DEBUG off, Redis cache from REDIS_URL), requests with `X-Forwarded-Proto: https` as behind the proxy;
- a closed-loop Python client, BENCH_DASHBOARD_CONNECTIONS (default 4) threads for
  BENCH_DASHBOARD_SECONDS (default 10) per path: /healthz (the floor), the public statistics of this
  month and of this year, and the dashboard of a province leader (who sees every agency: the largest
  scope) for this month and this year, signed in past the second factor by a session made here;
- and, apart, "cold" requests: each path with a query parameter never seen, so nothing comes from the
  one-minute cache (the first leader of the morning, or the minute after the cache expires).

PASS: the warm p95 of every statistics path is under 2 × the floor's p95, and no error response; the
cold timings are reported, not judged (they are the roll-up read plus today's live counts).
Results go to bench/results/dashboard.json. Exit status 1 on FAIL.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import date, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_PATH = BASE_DIR / "bench" / "results" / "dashboard.json"
FLOOR_RATIO = 2.0


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def database_url(name: str) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        raise SystemExit("DATABASE_URL is needed (a PostgreSQL server where the bench may create a database)")
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/" + name))


def sql_one(url: str, query: str, params: list | None = None, *, autocommit: bool = False):
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = autocommit
    try:
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchone() if cursor.description else None
    finally:
        connection.close()


def ensure_database(url: str) -> None:
    from psycopg2 import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    if sql_one(admin, "SELECT 1 FROM pg_database WHERE datname = %s", [name]) is None:
        import psycopg2

        connection = psycopg2.connect(admin)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        connection.close()


def server_env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE")}
    env.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "egov.settings.base", "DEBUG": "0",
                "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING",
                "STATIC_ROOT": str(BASE_DIR / ".data" / "bench-static")})
    if not env.get("EGOV_KEY_ENCRYPTION_KEYS"):
        from cryptography.fernet import Fernet

        env["EGOV_KEY_ENCRYPTION_KEYS"] = Fernet.generate_key().decode()
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True,  # noqa: S603 (our own commands)
                            capture_output=True, text=True)
    return result.stdout


SESSION_SNIPPET = """
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django_otp.plugins.otp_static.models import StaticDevice
from egov.accounts.models import User
from egov.agencies.models import Agency, AgencyKind
root = Agency.objects.filter(parent=None, kind=AgencyKind.PROVINCIAL_COMMITTEE).order_by("pk").first()
user, _ = User.objects.get_or_create(username="bench-dashboard-leader", defaults={"agency": root})
user.agency = root
user.save()
user.groups.add(Group.objects.get(name="leader"))
device, _ = StaticDevice.objects.get_or_create(user=user, name="bench")
session = import_module(settings.SESSION_ENGINE).SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session["otp_device_id"] = device.persistent_id
session.save()
print(session.session_key)
"""


def prepare(env: dict[str, str], url: str, target: int) -> str:
    print("Migrating…", flush=True)
    manage(env, "migrate", "--noinput")
    if not (Path(env["STATIC_ROOT"]) / "staticfiles.json").exists():  # production serves the hashed names
        manage(env, "collectstatic", "--noinput")
    if not sql_one(url, "SELECT count(*) FROM one_stop_procedure")[0]:
        print("seed_demo…", flush=True)
        manage(env, "seed_demo")
    have = sql_one(url, "SELECT count(*) FROM one_stop_dossier")[0]
    if have < target:
        print(f"Seeding {target - have:,} dossiers (seed_bench_dossiers)…", flush=True)
        started = time.perf_counter()
        manage(env, "seed_bench_dossiers", "--count", str(target - have))
        print(f"  {time.perf_counter() - started:.0f} s", flush=True)
    # The nightly task's work, done once: every day from the first dossier to yesterday, unless the
    # roll-up already covers them all (a rerun on the same database skips it).
    first = sql_one(url, "SELECT (min(received_at) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date FROM one_stop_dossier")[0]
    yesterday = date.today() - timedelta(days=1)
    if first and first <= yesterday:
        covered = sql_one(url, "SELECT count(*) FROM reports_rollupday WHERE day >= %s", [first])[0]
        if covered < (yesterday - first).days + 1:
            print(f"Rolling up {first}..{yesterday} (reports_backfill)…", flush=True)
            started = time.perf_counter()
            print(" ", manage(env, "reports_backfill", "--from", first.isoformat()).strip(),
                  f"({time.perf_counter() - started:.0f} s)", flush=True)
    return manage(env, "shell", "-c", SESSION_SNIPPET).strip().splitlines()[-1]


def start_gunicorn(env: dict[str, str], port: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "egov.wsgi:application", "-w", "2", "-b", f"127.0.0.1:{port}",
               "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=BASE_DIR, env=env)  # noqa: S603 (our own command)
    for _ in range(120):
        time.sleep(0.5)
        try:
            if fetch(port, "/healthz", "")[0] == 200:
                return server
        except OSError:
            continue
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def fetch(port: int, path: str, cookie: str) -> tuple[int, float]:
    headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
    if cookie:
        headers["Cookie"] = cookie
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, (time.perf_counter() - started) * 1000
    finally:
        connection.close()


def load(port: int, path: str, cookie: str, seconds: int, connections: int) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def loop():
        while time.monotonic() < deadline:
            status, ms = fetch(port, path, cookie)
            with lock:
                latencies.append(ms)
                if status != 200:
                    errors[0] += 1

    threads = [threading.Thread(target=loop) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {"path": path, "requests": len(latencies), "errors": errors[0], "rps": len(latencies) / seconds,
            "p50_ms": statistics.median(latencies), "p95_ms": latencies[int(0.95 * (len(latencies) - 1))]}


def main() -> int:
    sys.path.insert(0, str(BASE_DIR))
    url = database_url(os.environ.get("BENCH_DATABASE_NAME", "egov_bench"))
    target = _env_int("BENCH_DOSSIERS", 1_000_000)
    seconds = _env_int("BENCH_DASHBOARD_SECONDS", 10)
    connections = _env_int("BENCH_DASHBOARD_CONNECTIONS", 4)
    port = _env_int("BENCH_DASHBOARD_PORT", 8766)
    ensure_database(url)
    env = server_env(url)
    session = prepare(env, url, target)
    dossiers = sql_one(url, "SELECT count(*) FROM one_stop_dossier")[0]
    rollup_rows = sql_one(url, "SELECT count(*) FROM reports_dossierdailystat")[0]
    cookie = f"sessionid={session}"
    today = date.today()
    month, year = f"?ky=thang&nam={today.year}&thang={today.month}", f"?ky=nam&nam={today.year}"
    paths = [("floor /healthz", "/healthz", ""), ("public, month", "/thong-ke/" + month, ""),
             ("public, year", "/thong-ke/" + year, ""), ("dashboard, month", "/bang-dieu-khien/" + month, cookie),
             ("dashboard, year", "/bang-dieu-khien/" + year, cookie),
             # Not judged: any signed-in staff page pays the session, second-factor and role lookups.
             ("ref. staff page", "/lam-viec/", cookie)]
    server = start_gunicorn(env, port)
    try:
        cold = {}
        for label, path, path_cookie in paths[1:-1]:
            timings = [fetch(port, f"{path}&cold={secrets.token_hex(4)}", path_cookie) for _ in range(3)]
            if any(status != 200 for status, _ms in timings):
                raise SystemExit(f"{label}: HTTP {[s for s, _ms in timings]}")
            cold[label] = statistics.median(ms for _s, ms in timings)
        results = []
        for label, path, path_cookie in paths:
            fetch(port, path, path_cookie)  # fill the cache as the first visitor of the minute does
            result = load(port, path, path_cookie, seconds, connections)
            results.append({"label": label, **result})
    finally:
        server.terminate()
        server.wait(timeout=30)
    floor = results[0]["p95_ms"]
    failed = False
    print(f"\n{dossiers:,} dossiers, {rollup_rows:,} roll-up rows; {connections} connections × {seconds} s per path")
    print(f"{'path':<20}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'× floor':>9}{'cold ms':>10}  verdict")
    for r in results:
        ratio = r["p95_ms"] / floor if floor else 0
        ok = r["errors"] == 0 and (r is results[0] or r is results[-1] or ratio < FLOOR_RATIO)
        failed |= not ok
        r.update({"ratio_to_floor": ratio, "cold_ms": cold.get(r["label"]), "pass": ok})
        cold_text = f"{cold[r['label']]:>10.0f}" if r["label"] in cold else f"{'':>10}"
        errors = f" ({r['errors']} errors)" if r["errors"] else ""
        print(f"{r['label']:<20}{r['rps']:>9.0f}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}{ratio:>9.2f}{cold_text}  "
              f"{'PASS' if ok else 'FAIL'}{errors}")
    RESULTS_PATH.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_PATH.write_text(json.dumps({"dossiers": dossiers, "rollup_rows": rollup_rows, "seconds": seconds,
                                        "connections": connections, "results": results}, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
