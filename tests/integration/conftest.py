"""Real Redis servers and real Celery workers for the integration tests."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import current_app
from django.conf import settings
from django.db import connection

from tests.conftest import service_missing

ROOT = Path(__file__).resolve().parents[2]


def wait_for(predicate, *, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server of our own, on its own port, that a test may stop and start again."""

    def __init__(self, work_dir: Path):
        self.port = _free_port()
        self.work_dir = work_dir
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.work_dir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self._answers, timeout=10, what="redis-server to answer")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def _answers(self) -> bool:
        import redis

        try:
            return redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
        except redis.ConnectionError:
            return False


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        service_missing("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def system_redis_url():
    """The Redis the environment provides (REDIS_URL; CI's real server), emptied for the test."""
    if not settings.REDIS_URL:
        service_missing("REDIS_URL is not set")
    import redis

    url = settings.REDIS_URL.rsplit("/", 1)[0] + "/15"  # a database of its own, so flushing harms nobody
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.flushdb()
    except redis.ConnectionError:
        service_missing(f"Redis at {settings.REDIS_URL} does not answer")
    return url


def _database_url() -> str:
    db = connection.settings_dict
    if not db.get("HOST") or db["HOST"].startswith("/"):
        service_missing("integration tests need DATABASE_URL with a TCP host (the worker is another process)")
    return f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST']}:{db.get('PORT') or 5432}/{db['NAME']}"


@pytest.fixture
def use_broker():
    """Point this process's Celery app at a broker and stop running tasks in-process."""
    app = current_app
    saved = (app.conf.broker_url, app.conf.task_always_eager)

    def configure(url: str):
        app.conf.broker_url = url
        app.conf.task_always_eager = False
        app._after_fork()  # drop pooled connections to the previous broker

    yield configure
    app.conf.broker_url, app.conf.task_always_eager = saved
    app._after_fork()


class Worker:
    def __init__(self, *, broker_url: str, work_dir: Path, extra_env: dict):
        self.log_path = work_dir / "worker.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "egov.settings.test",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": broker_url,
            "EGOV_TEST_CELERY_EAGER": "0",
            "EGOV_OUTBOX_RELAY_SECONDS": "1",
            "EGOV_TEST_WORK_DIR": str(work_dir),
            **extra_env,
        }
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "egov", "worker", "-B", "-s", str(work_dir / "beat-schedule"),
             "-Q", "default,pdf,signing,notifications", "--pool", "prefork", "--concurrency", "1",
             "--loglevel", "INFO", "-I", "tests.integration.worker_support", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(lambda: "ready." in self.read_log() or self.process.poll() is not None, timeout=60,
                 what="the worker to start")
        if self.process.poll() is not None:
            raise AssertionError(f"worker exited:\n{self.read_log()}")

    def read_log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


@pytest.fixture
def start_worker(tmp_path):
    workers = []

    def start(broker_url: str, **extra_env) -> Worker:
        worker = Worker(broker_url=broker_url, work_dir=tmp_path, extra_env=extra_env)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
