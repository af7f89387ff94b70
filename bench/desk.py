"""One-stop desk benchmark: the public lookup, the staff queue and the receipt against the framework floor.

    make bench                                   # or: .venv/bin/python bench/desk.py
    BENCH_DESK_SECONDS=5 BENCH_DOSSIERS=100000 .venv/bin/python bench/desk.py     # a quicker run
    .venv/bin/python bench/desk.py --reseed      # drop the bench database and seed it again

What it does:

- a database `egov_bench` (BENCH_DATABASE_NAME) on the PostgreSQL server of DATABASE_URL, else in the
  embedded one, migrated and seeded with `seed_demo` and `seed_bench_dossiers --count BENCH_DOSSIERS`
  (default 1,000,000; about three minutes). It is kept between runs and seeded again only when it holds
  fewer dossiers than asked (or with --reseed); the seeding needs a PostgreSQL superuser.
- gunicorn on 127.0.0.1 (BENCH_DESK_PORT, default 8765) with 2 sync workers, DEBUG off, a SECRET_KEY,
  ALLOWED_HOSTS=127.0.0.1, REDIS_URL as in the environment, and egov/gunicorn_conf.py, whose
  post_worker_init warms WeasyPrint. Requests carry `X-Forwarded-Proto: https`, as behind the TLS proxy
  of production; the lookup API's per-address throttle is raised with EGOV_LOOKUP_THROTTLE (all the
  load comes from one address, and the throttle counts only the address the server saw).
- `wrk` (Debian package wrk) for BENCH_DESK_SECONDS (default 10) per path with BENCH_DESK_CONNECTIONS
  (default 4) connections, else a small threaded Python client: /healthz (the floor), the public lookup
  page and API for random existing codes, the staff queue as a one-stop clerk of the provincial service
  centre (a third of all dossiers), the queue searched by applicants' full names; then, with one
  connection (the budget is "300 ms from the clerk's click", not under a crowd), the receipt: a clerk's
  "receive" (the counter form's POST, which stores form 01) followed by the print click (GET of the
  PDF), timed together, and the reprint of those receipts (GET of a stored PDF). Each run adds the
  dossiers it receives to the bench database.
- the CPU time of gunicorn's workers per request (/proc), steadier than latency on a shared machine.

PASS: p95 within 2 × the floor's p95 for the lookup and the queue pages, within 300 ms for the receipt,
and no error response. Exit status 1 on any FAIL. Results go to bench/results/desk.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

RESULTS_PATH = BASE_DIR / "bench" / "results" / "desk.json"
FLOOR_RATIO = 2.0
RECEIPT_BUDGET_MS = 300.0
RECEIVE_AND_PRINT = "receive → receipt PDF"
BENCH_PASSWORD = "bench-desk-" + "clerk-password"  # noqa: S105  (a throw-away account of the bench database)


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# --- the bench database ---------------------------------------------------------------------------------


def bench_database_url(name: str) -> str:
    """DATABASE_URL with its database replaced by `name`; without DATABASE_URL, the embedded server."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        parts = urllib.parse.urlsplit(url)
        return urllib.parse.urlunsplit(parts._replace(path="/" + name))
    from egov.core.embedded_pg import embedded_database

    config = embedded_database(BASE_DIR / ".data" / "pg")
    # The socket directory as a query parameter: libpq and django-environ both read it there.
    return f"postgres://{config['USER']}@/{name}?host={urllib.parse.quote(config['HOST'], safe='/')}"


def ensure_database(url: str, *, drop: bool) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    connection = psycopg2.connect(admin_url)  # libpq reads URLs, a socket directory too
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            exists = cursor.fetchone() is not None
            if exists and drop:
                print(f"Dropping {name}…", flush=True)
                cursor.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
                exists = False
            if not exists:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def server_env(database_url: str) -> dict[str, str]:
    """The environment of the bench's Django: production settings on the bench database."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE")}
    env.update({
        "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "egov.settings.base", "DEBUG": "0",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING", "EGOV_DEMO_RAW_CATALOGUE": "1",
        # seed_demo imports the demo signers' keys, which production settings store encrypted; the
        # bench signs nothing, so a key of this run is enough.
        "EGOV_KEY_ENCRYPTION_KEYS": os.environ.get("EGOV_KEY_ENCRYPTION_KEYS") or _fernet_key(),
        # Production serves hashed static files (whitenoise's manifest): collected once for the bench.
        "STATIC_ROOT": str(BASE_DIR / ".data" / "bench-static"),
        # All the load comes from 127.0.0.1: the lookup's per-address throttle would refuse it.
        "EGOV_LOOKUP_THROTTLE": "1000000/min",
    })
    return env


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def prepare(*, target: int, reseed: bool, env: dict[str, str]) -> dict:
    """Migrate and seed when needed; return the clerk's session and the codes and names to ask for."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM one_stop_dossier")
        have = cursor.fetchone()[0]
    if have < target:
        if have:
            raise SystemExit(f"The bench database holds {have:,} dossiers, fewer than {target:,}: run with --reseed.")
        print("Seeding the demo province and catalogue…", flush=True)
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115  (its passwords are not needed)
        print(f"Seeding {target:,} dossiers (COPY)…", flush=True)
        call_command("seed_bench_dossiers", count=target)
    else:
        print(f"Reusing the bench database: {have:,} dossiers (--reseed to start again).", flush=True)
    return _fixtures()


def _fixtures() -> dict:
    from django.db import connection
    from django.test import Client

    from egov.accounts.models import User
    from egov.accounts.roles import Role
    from egov.accounts.services import user_create
    from egov.agencies.models import Agency, AgencyKind

    centre = Agency.objects.filter(kind=AgencyKind.SERVICE_CENTRE).order_by("id").first()
    clerk = User.objects.filter(username="bench_clerk").first()
    if clerk is None:
        clerk = user_create(username="bench_clerk", full_name="Cán bộ Một cửa (đo tải)", password=BENCH_PASSWORD,
                            roles=[Role.ONE_STOP_CLERK], agency=centre)
    client = Client()
    client.force_login(clerk)
    session = client.cookies["sessionid"].value
    # The CSRF cookie a browser would hold after its first page (the staff layout's log-out form uses it):
    # without it every measured request would mint a new secret and send a new cookie, which no browser does.
    client.get("/mot-cua/ho-so/", HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    csrf = client.cookies["csrftoken"].value
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM one_stop_dossier")
        total = cursor.fetchone()[0]
        # A random spread of codes: on a big table TABLESAMPLE reads a few pages, not the table.
        sample = "TABLESAMPLE SYSTEM (1)" if total > 200_000 else ""
        cursor.execute(f"SELECT code FROM one_stop_dossier {sample} ORDER BY random() LIMIT 3000")  # noqa: S608
        codes = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT code, applicant_name FROM one_stop_dossier {sample} "  # noqa: S608
                       "WHERE receiving_agency_id = %s AND received_at IS NOT NULL ORDER BY random() LIMIT 1000",
                       [centre.id])
        centre_rows = cursor.fetchall()
        # Procedures a clerk may receive now (active, with a version in force), for the receive-and-print path.
        cursor.execute("SELECT p.code FROM one_stop_procedure p WHERE p.is_active AND EXISTS (SELECT 1 FROM "
                       "one_stop_procedureversion v WHERE v.procedure_id = p.id AND v.effective_from <= now()) "
                       "ORDER BY random() LIMIT 200")
        procedures = [row[0] for row in cursor.fetchall()]
    if not codes or not centre_rows or not procedures:
        raise SystemExit("The bench database has no dossiers to ask for.")
    return {"session": session, "csrf": csrf, "codes": codes, "receipt_codes": [c for c, _ in centre_rows],
            "names": sorted({n for _, n in centre_rows}), "dossiers": total, "agency": centre.name,
            "procedures": procedures}


# --- gunicorn -------------------------------------------------------------------------------------------


def start_gunicorn(env: dict[str, str], port: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "egov.wsgi:application", "-c", str(BASE_DIR / "egov" / "gunicorn_conf.py")]
    server_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"}
    process = subprocess.Popen(command, cwd=BASE_DIR, env=server_env)  # noqa: S603  (our own fixed command)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped while starting")
        try:
            status, _ = fetch(port, "/healthz", {"X-Forwarded-Proto": "https"})
            if status == 200:
                # Both workers finish their WeasyPrint warm-up before the measurement starts.
                time.sleep(3)
                return process
        except OSError:
            pass
        time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def fetch(port: int, path: str, headers: dict | None = None, *, method: str = "GET", body: bytes | None = None,
          response_headers: dict | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        # The Host wrk sends too: form 01 prints the lookup address of the host it was asked on, so a
        # receipt stored for one host name is laid out again when printed through another.
        connection.request(method, path, body=body, headers={"Host": f"127.0.0.1:{port}", **(headers or {})})
        response = connection.getresponse()
        if response_headers is not None:
            response_headers.update((k.lower(), v) for k, v in response.getheaders() if k.lower() != "set-cookie")
            response_headers["set-cookie"] = response.msg.get_all("Set-Cookie") or []
        return response.status, response.read()
    finally:
        connection.close()


def workers_cpu_seconds(master_pid: int) -> float:
    """User + system CPU time of gunicorn's workers (Linux /proc), to report CPU per request: on a shared
    machine latency moves with the neighbours' load, CPU time much less."""
    total, ticks = 0.0, os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master_pid:  # the parent pid
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


# --- load -----------------------------------------------------------------------------------------------

WRK_SCRIPT = r"""
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local cookie = os.getenv("BENCH_COOKIE") or ""
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))

request = function()
  local headers = {["X-Forwarded-Proto"] = "https"}
  if cookie ~= "" then headers["Cookie"] = cookie end
  return wrk.format("GET", paths[math.random(#paths)], headers)
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format('BENCH_RESULT {"requests": %d, "seconds": %.3f, "p50": %.1f, "p95": %.1f, ' ..
    '"p99": %.1f, "status_errors": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.errors.status, errors))
end
"""


@dataclass
class Result:
    label: str
    path: str
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    connections: int
    cpu_ms: float = 0.0  # the workers' CPU time per request

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def run_wrk(*, port: int, paths: list[str], cookie: str, seconds: int, connections: int, tmp: Path) -> dict:
    script = tmp / "desk.lua"
    script.write_text(WRK_SCRIPT)
    path_file = tmp / "paths.txt"
    path_file.write_text("\n".join(paths) + "\n")
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
               "-s", str(script), f"http://127.0.0.1:{port}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True,  # noqa: S603  (fixed command)
                            env={**os.environ, "BENCH_PATHS": str(path_file), "BENCH_COOKIE": cookie}).stdout
    line = next(x for x in output.splitlines() if x.startswith("BENCH_RESULT "))
    data = json.loads(line.removeprefix("BENCH_RESULT "))
    return {"requests": data["requests"], "seconds": data["seconds"], "p50_ms": data["p50"] / 1000,
            "p95_ms": data["p95"] / 1000, "p99_ms": data["p99"] / 1000,
            "errors": data["status_errors"] + data["socket_errors"]}


def run_python(*, port: int, paths: list[str], cookie: str, seconds: int, connections: int, tmp: Path) -> dict:
    """Without wrk: one thread per connection, each a closed loop of requests (sync workers close the socket)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def loop() -> None:
        rng = random.Random()
        own: list[float] = []
        while time.perf_counter() < stop_at:
            headers = {"X-Forwarded-Proto": "https"}
            if cookie:
                headers["Cookie"] = cookie
            started = time.perf_counter()
            try:
                status, _ = fetch(port, rng.choice(paths), headers)
            except OSError:
                status = 0
            own.append((time.perf_counter() - started) * 1000)
            if not 200 <= status < 300:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(own)

    started = time.perf_counter()
    threads = [threading.Thread(target=loop) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99
    return {"requests": len(latencies), "seconds": elapsed, "p50_ms": cuts[49], "p95_ms": cuts[94], "p99_ms": cuts[98],
            "errors": errors[0]}


def counter_form(rng: random.Random, *, procedure: str, name: str) -> list[tuple[str, str]]:
    """The counter form a clerk sends for `procedure`: applicant, every listed document ticked, and the time limit
    the clerk writes where the catalogue states none (43 % of its versions; where it states one, that one applies
    and what is written is ignored)."""
    return [("procedure", procedure), ("full_name", name), ("id_number", f"0{rng.randint(10**10, 10**11 - 1)}"),
            ("processing_days", "15"), ("checklist_shown", "1"), *[("received", str(i)) for i in range(12)]]


def run_receive_and_print(*, port: int, cookie: str, procedures: list[str], names: list[str], seconds: int,
                          received: list[str]) -> dict:
    """A clerk's receipt, timed from the click on "receive" to the PDF in hand: the counter form's POST
    (which commits the dossier and stores its form 01) plus the GET of the PDF. One clerk, back to back;
    the codes received go to `received` (for the reprint path)."""
    base = {"X-Forwarded-Proto": "https", "Cookie": cookie}
    seen: dict = {}
    status, _ = fetch(port, "/mot-cua/tiep-nhan/", base, response_headers=seen)
    token = next((c.split(";", 1)[0].split("=", 1)[1] for c in seen["set-cookie"] if c.startswith("csrftoken=")), "")
    if status != 200 or not token:
        raise SystemExit(f"the counter form answered {status} without a CSRF cookie")
    post_headers = {**base, "Cookie": f"{cookie}; csrftoken={token}", "X-CSRFToken": token,
                    "Origin": f"https://127.0.0.1:{port}", "Referer": f"https://127.0.0.1:{port}/mot-cua/tiep-nhan/",
                    "Content-Type": "application/x-www-form-urlencoded"}
    rng = random.Random(2)
    latencies, posts, prints, errors = [], [], [], 0
    stop_at = time.perf_counter() + seconds
    started = time.perf_counter()
    while time.perf_counter() < stop_at:
        form = counter_form(rng, procedure=rng.choice(procedures), name=rng.choice(names))
        answer: dict = {}
        clicked = time.perf_counter()
        status, body = fetch(port, "/mot-cua/tiep-nhan/", post_headers, method="POST",
                             body=urllib.parse.urlencode(form).encode(), response_headers=answer)
        location = answer.get("location", "")
        if status != 302 or not location.startswith("/mot-cua/ho-so/"):
            errors += 1
            print(f"    receive answered {status}: {body[:200]!r}", flush=True)
            continue
        code = location.rstrip("/").rsplit("/", 1)[1]
        printed = time.perf_counter()
        status, pdf = fetch(port, f"/mot-cua/ho-so/{code}/giay-tiep-nhan.pdf", base)
        done = time.perf_counter()
        latencies.append((done - clicked) * 1000)
        posts.append((printed - clicked) * 1000)
        prints.append((done - printed) * 1000)
        if status != 200 or not pdf.startswith(b"%PDF"):
            errors += 1
        received.append(code)
    elapsed = time.perf_counter() - started
    if len(latencies) > 1:
        print(f"    of which the receiving POST: p50 {statistics.median(posts):.1f} ms, "
              f"p95 {statistics.quantiles(posts, n=100)[94]:.1f} ms; the print GET: p50 {statistics.median(prints):.1f} ms, "
              f"p95 {statistics.quantiles(prints, n=100)[94]:.1f} ms", flush=True)
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0] if latencies else 0.0] * 99
    return {"requests": len(latencies), "seconds": elapsed, "p50_ms": cuts[49], "p95_ms": cuts[94], "p99_ms": cuts[98],
            "errors": errors}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reseed", action="store_true", help="drop the bench database and seed it again")
    args = parser.parse_args()
    seconds = _env_int("BENCH_DESK_SECONDS", 10)
    target = _env_int("BENCH_DOSSIERS", 1_000_000)
    connections = _env_int("BENCH_DESK_CONNECTIONS", 4)
    port = _env_int("BENCH_DESK_PORT", 8765)
    name = os.environ.get("BENCH_DATABASE_NAME", "egov_bench")

    url = bench_database_url(name)
    ensure_database(url, drop=args.reseed)
    env = server_env(url)
    fixtures = prepare(target=target, reseed=args.reseed, env=env)
    cookie = f"sessionid={fixtures['session']}; csrftoken={fixtures['csrf']}"
    names = fixtures["names"]
    targets = [
        ("floor /healthz", ["/healthz"], "", connections),
        ("public lookup page", [f"/tra-cuu-ho-so/{c}/" for c in fixtures["codes"]], "", connections),
        ("lookup API", [f"/api/v1/lookup/{c}/" for c in fixtures["codes"]], "", connections),
        ("staff queue", ["/mot-cua/ho-so/"], cookie, connections),
        ("staff queue, search by name", [f"/mot-cua/ho-so/?q={urllib.parse.quote(n)}" for n in names], cookie, connections),
        # Filled in while the run goes: the codes received by the previous path.
        (RECEIVE_AND_PRINT, [], cookie, 1),
        ("reprint stored receipt", [], cookie, 1),
    ]
    use_wrk = shutil.which("wrk") is not None
    runner = run_wrk if use_wrk else run_python
    print(f"{fixtures['dossiers']:,} dossiers; clerk of {fixtures['agency']}; {seconds} s per path with "
          f"{'wrk' if use_wrk else 'the Python client (install wrk for exact numbers)'}; "
          f"Redis {'on' if os.environ.get('REDIS_URL') else 'off'}", flush=True)

    load_at_start = os.getloadavg()[0]
    server = start_gunicorn(env, port)
    results: list[Result] = []
    try:
        with tempfile.TemporaryDirectory(prefix="egov-desk-") as tmp:
            received: list[str] = []
            for label, paths, jar, conns in targets:
                if label == "reprint stored receipt":
                    paths = [f"/mot-cua/ho-so/{c}/giay-tiep-nhan.pdf" for c in received]
                if label != RECEIVE_AND_PRINT:
                    status, body = fetch(port, paths[0], {"X-Forwarded-Proto": "https", **({"Cookie": jar} if jar else {})})
                    if status != 200:
                        raise SystemExit(f"{label}: {paths[0]} answered {status}: {body[:300]!r}")
                cpu_before = workers_cpu_seconds(server.pid) if Path("/proc").exists() else 0.0
                if label == RECEIVE_AND_PRINT:
                    paths = ["/mot-cua/tiep-nhan/"]
                    data = run_receive_and_print(port=port, cookie=jar, procedures=fixtures["procedures"], names=names,
                                                 seconds=seconds, received=received)
                else:
                    data = runner(port=port, paths=paths, cookie=jar, seconds=seconds, connections=conns, tmp=Path(tmp))
                cpu = workers_cpu_seconds(server.pid) - cpu_before if cpu_before else 0.0
                results.append(Result(label=label, path=paths[0].split("?")[0], connections=conns,
                                      cpu_ms=cpu * 1000 / max(1, data["requests"]), **data))
                print(f"  {label}: {results[-1].rps:,.0f} req/s, p95 {results[-1].p95_ms:.1f} ms", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)

    failed = report(results, fixtures=fixtures, seconds=seconds, tool="wrk" if use_wrk else "python",
                    load=(load_at_start, os.getloadavg()[0]))
    return 1 if failed else 0


def report(results: list[Result], *, fixtures: dict, seconds: int, tool: str, load: tuple[float, float]) -> bool:
    floor = results[0].p95_ms
    rows, failed = [], False
    header = f"{'path':<30} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p95/floor':>10} {'CPU ms/req':>11}  verdict"
    print("\n" + header + "\n" + "-" * len(header))
    for result in results:
        ratio = result.p95_ms / floor if floor else 0.0
        if result.label.startswith("floor"):
            verdict = "floor"
        elif result.label in (RECEIVE_AND_PRINT, "reprint stored receipt"):
            verdict = "PASS" if result.p95_ms <= RECEIPT_BUDGET_MS else "FAIL"
            verdict += f" (≤ {RECEIPT_BUDGET_MS:.0f} ms)"
        else:
            verdict = ("PASS" if ratio <= FLOOR_RATIO else "FAIL") + f" (≤ {FLOOR_RATIO:g}× floor)"
        if result.errors:
            verdict = f"FAIL ({result.errors} errors)"
        failed |= verdict.startswith("FAIL")
        print(f"{result.label:<30} {result.rps:>8,.0f} {result.p50_ms:>8.1f} {result.p95_ms:>8.1f} {ratio:>9.2f}× "
              f"{result.cpu_ms:>11.1f}  {verdict}")
        rows.append({**result.__dict__, "rps": round(result.rps, 1), "ratio_to_floor": round(ratio, 3), "verdict": verdict})
    RESULTS_PATH.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_PATH.write_text(json.dumps({"dossiers": fixtures["dossiers"], "seconds": seconds, "tool": tool, "load": load,
                                        "cpus": os.cpu_count(), "results": rows}, ensure_ascii=False, indent=2) + "\n")
    print(f"\n{fixtures['dossiers']:,} dossiers, {os.cpu_count()} CPUs, load average {load[0]:.1f} → {load[1]:.1f} "
          "(other processes share the CPUs with gunicorn, PostgreSQL and the load generator)")
    print(f"{'FAIL' if failed else 'PASS'} — written {RESULTS_PATH.relative_to(BASE_DIR)}")
    return failed


if __name__ == "__main__":
    sys.exit(main())
