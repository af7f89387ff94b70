"""The deployment: the Compose stack, Django's deploy checks under production settings, the security headers
and the request size limit."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management.utils import get_random_secret_key
from django.utils import translation

REPO = Path(settings.BASE_DIR)
COMPOSE_FILE = REPO / "docker-compose.yml"
STACK = ("postgres", "redis", "web", "worker", "beat")
DJANGO_PROCESSES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def _healthcheck_command(service: dict) -> str:
    test = service["healthcheck"]["test"]
    return test if isinstance(test, str) else " ".join(test)


def _required_dependencies(service: dict) -> dict:
    depends_on = service.get("depends_on") or {}
    if isinstance(depends_on, list):  # the short form waits for nothing but the start
        return {name: "service_started" for name in depends_on}
    return {name: spec.get("condition", "service_started") for name, spec in depends_on.items()}


# --- the Compose file ---------------------------------------------------------------------------


def test_compose_file_follows_the_compose_specification():
    check_jsonschema = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(check_jsonschema), "--builtin-schema", "vendor.compose-spec", str(COMPOSE_FILE)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_stack_runs_postgres_redis_web_worker_and_beat(compose):
    assert set(STACK) <= set(compose["services"])


@pytest.mark.parametrize("name", STACK)
def test_every_service_of_the_stack_restarts_and_reports_its_health(compose, name):
    service = compose["services"][name]
    assert service.get("restart") in {"always", "unless-stopped", "on-failure"}
    if name not in {"worker", "beat"}:  # a worker's health is optional, beat has no endpoint to ask
        assert service.get("healthcheck", {}).get("test")


def test_healthchecks_ask_postgres_redis_and_the_healthz_page(compose):
    services = compose["services"]
    assert "pg_isready" in _healthcheck_command(services["postgres"])
    assert "redis-cli ping" in _healthcheck_command(services["redis"])
    assert "/healthz" in _healthcheck_command(services["web"])


@pytest.mark.parametrize("name", DJANGO_PROCESSES)
def test_django_processes_wait_for_healthy_services_and_applied_migrations(compose, name):
    dependencies = _required_dependencies(compose["services"][name])
    assert dependencies.get("redis") == "service_healthy"
    if name != "beat":  # beat only publishes to the broker
        assert dependencies.get("postgres") == "service_healthy"
    migrate = compose["services"]["migrate"]
    assert "migrate" in migrate["command"]
    assert dependencies.get("migrate") == "service_completed_successfully"


def test_processes_run_gunicorn_and_celery_on_every_queue(compose):
    services = compose["services"]
    web = " ".join(services["web"]["command"])
    worker = " ".join(services["worker"]["command"])
    beat = " ".join(services["beat"]["command"])
    assert "gunicorn" in web and "egov.wsgi:application" in web
    assert "worker" in worker
    queues = next(part.split("=", 1)[1] for part in services["worker"]["command"] if part.startswith("--queues="))
    assert set(queues.split(",")) == {"default", "pdf", "signing", "notifications"}
    assert "beat" in beat


def test_secrets_come_from_the_host_environment_and_are_required(compose):
    raw = COMPOSE_FILE.read_text(encoding="utf-8")
    assert "env_file" not in raw
    for name in DJANGO_PROCESSES:
        environment = compose["services"][name]["environment"]
        assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")
        assert environment["ALLOWED_HOSTS"].startswith("${ALLOWED_HOSTS:?")
        assert "${POSTGRES_PASSWORD:?" in environment["DATABASE_URL"]
        assert environment["REDIS_URL"].startswith("redis://redis:")
    assert compose["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")


def test_every_setting_the_compose_file_passes_is_one_the_settings_read(compose):
    settings_source = (REPO / "egov" / "settings" / "base.py").read_text(encoding="utf-8")
    own = {"DJANGO_SETTINGS_MODULE", "WEB_CONCURRENCY"}  # read by Django and gunicorn themselves
    for name in DJANGO_PROCESSES:
        for variable in compose["services"][name]["environment"]:
            assert variable in own or f'"{variable}"' in settings_source, variable


def test_database_and_uploads_live_in_named_volumes(compose):
    volumes = compose["volumes"]
    assert "postgres-data:/var/lib/postgresql/data" in compose["services"]["postgres"]["volumes"]
    media = [mount for mount in compose["services"]["web"]["volumes"] if mount.endswith(":/data/media")]
    assert media and media[0].split(":")[0] in volumes
    assert media[0] in compose["services"]["worker"]["volumes"]  # the worker writes PDFs
    assert {"postgres-data", "media"} <= set(volumes)


# --- Django's deploy checks ---------------------------------------------------------------------


def test_the_settings_pass_the_deploy_checks_without_warnings_in_production():
    # A clean production environment: nothing of the test settings (EGOV_TESTING, the test key) leaks in.
    environment = {key: value for key in ("PATH", "HOME", "LANG", "TMPDIR") if (value := os.environ.get(key))}
    environment |= {key: value for key, value in os.environ.items() if key.startswith("EGOV_EMBEDDED_PG")}
    environment |= {
        "DEBUG": "0",
        "SECRET_KEY": get_random_secret_key() + get_random_secret_key(),
        "ALLOWED_HOSTS": "egov.example.vn",
        "DJANGO_SETTINGS_MODULE": "egov.settings.base",
        "EGOV_DATA_PROTECTION_CONTACT": "dulieucanhan@egov.example.vn",
    }
    if os.environ.get("DATABASE_URL"):
        environment["DATABASE_URL"] = os.environ["DATABASE_URL"]
    output = _deploy_check(environment)
    assert "System check identified no issues" in output, output


def _deploy_check(environment: dict) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


def test_a_deployment_names_its_personal_data_contact():
    """The default address (at localhost) reaches no one: the deploy check warns until the operator's is set."""
    from django.test import override_settings

    from egov.accounts.checks import data_protection_contact_set

    with override_settings(EGOV_DATA_PROTECTION_CONTACT="dulieucanhan@localhost"):
        assert [w.id for w in data_protection_contact_set(None)] == ["egov.W001"]
    with override_settings(EGOV_DATA_PROTECTION_CONTACT=""):
        assert [w.id for w in data_protection_contact_set(None)] == ["egov.W001"]
    with override_settings(EGOV_DATA_PROTECTION_CONTACT="dulieucanhan@langson.gov.vn"):
        assert data_protection_contact_set(None) == []


# --- response headers ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_page_carries_a_strict_content_security_policy(client):
    response = client.get("/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_a_page_carries_the_other_security_headers(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


# --- request size limit -------------------------------------------------------------------------
# RequestSizeLimitMiddleware reads EGOV_MAX_REQUEST_MB when the handler loads its middleware, which the
# test client does on its first request: overriding the setting before that request is enough.

MEGABYTE = 1024 * 1024


@pytest.mark.django_db
def test_a_request_over_the_size_limit_is_refused_with_413_in_vietnamese(settings, client):
    settings.EGOV_MAX_REQUEST_MB = 1
    # The limit answers before the language middleware picks the visitor's language: a fresh process speaks the
    # portal's default, Vietnamese.
    with translation.override(settings.LANGUAGE_CODE):
        response = client.post("/", data=b"x" * (MEGABYTE + 1), content_type="application/octet-stream")
    assert response.status_code == 413
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "Dữ liệu gửi lên quá lớn (tối đa 1 MB mỗi lần gửi)."


@pytest.mark.django_db
def test_a_request_exactly_at_the_size_limit_goes_through(settings, client):
    settings.EGOV_MAX_REQUEST_MB = 1
    response = client.post("/", data=b"x" * MEGABYTE, content_type="application/octet-stream")
    assert response.status_code != 413
