"""The public lookup's per-address limit counts the address our proxies saw, never a forged X-Forwarded-For."""

import uuid

import pytest
from django.core.cache import cache
from django.test import override_settings

from tests.one_stop.factories import at_local, receive_at_counter

pytestmark = pytest.mark.django_db


@pytest.fixture
def address():
    # A fresh documentation address per test: the throttle's counters live in the shared cache.
    address = f"198.51.100.{uuid.uuid4().int % 250 + 1}"
    yield address
    cache.delete_many([f"throttle_lookup_{address}"])


def _lookup(client, code, address, forwarded=None):
    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.get(f"/api/v1/lookup/{code}/", **extra)


@override_settings(EGOV_LOOKUP_THROTTLE="2/min")
def test_a_forged_forwarded_for_does_not_escape_the_lookup_throttle(client, staff, procedure, address):
    cache.delete(f"throttle_lookup_{address}")
    dossier = receive_at_counter(staff, procedure, at_local(2026, 2, 13, 10, 15))
    statuses = [_lookup(client, dossier.code, address, forwarded=f"10.9.{i}.1").status_code for i in range(3)]
    assert statuses == [200, 200, 429]


def test_behind_one_proxy_the_address_it_appended_counts(client, staff, procedure, settings, address):
    from rest_framework.settings import api_settings

    proxy = "192.0.2.10"
    cache.delete_many([f"throttle_lookup_{address}", f"throttle_lookup_{proxy}"])
    settings.EGOV_LOOKUP_THROTTLE = "2/min"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    assert api_settings.NUM_PROXIES == 1
    dossier = receive_at_counter(staff, procedure, at_local(2026, 2, 13, 10, 15))
    # The client forges a first hop each time; the proxy appends the address it really saw.
    statuses = [_lookup(client, dossier.code, proxy, forwarded=f"10.9.{i}.1, {address}").status_code for i in range(3)]
    assert statuses == [200, 200, 429]
    # Another citizen behind the same proxy has a budget of their own.
    other = "198.51.100.251" if address != "198.51.100.251" else "198.51.100.252"
    cache.delete(f"throttle_lookup_{other}")
    assert _lookup(client, dossier.code, proxy, forwarded=other).status_code == 200
    cache.delete(f"throttle_lookup_{other}")


def test_the_recorded_client_address_ignores_a_forged_forwarded_for(rf, settings):
    from egov.audit.middleware import client_ip

    request = rf.get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "203.0.113.5"
    settings.EGOV_NUM_PROXIES = 1
    request = rf.get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9")
    assert client_ip(request) == "198.51.100.9"
