"""The leaders' dashboard is kept per leader and address while its figures stay fresh (egov.core.staff_pages)."""

import re
import time

import pytest

from tests.reports.conftest import verified_client

pytestmark = pytest.mark.django_db

OCT = {"ky": "thang", "nam": 2026, "thang": 10}


def test_each_leader_gets_their_own_scope_from_the_kept_page(cached_a_minute, client, province, commune, leader_of):
    from django.test import Client

    province_leader = verified_client(client, leader_of(province))
    commune_leader = verified_client(Client(), leader_of(commune))
    for _ in range(2):
        assert "Phạm vi: toàn tỉnh." in province_leader.get("/bang-dieu-khien/", OCT).content.decode()
        page = commune_leader.get("/bang-dieu-khien/", OCT).content.decode()
        assert f"Phạm vi: {commune.name} và các đơn vị trực thuộc." in page and "toàn tỉnh" not in page


def test_a_second_visit_costs_only_the_sign_in_query_until_the_figures_age(cached_a_minute, client, province, leader_of,
                                                                         django_assert_num_queries, monkeypatch):
    leader = leader_of(province)
    verified_client(client, leader)
    first = client.get("/bang-dieu-khien/", OCT)
    with django_assert_num_queries(1):  # the signed-in user (with their two-factor device); the session is cached
        second = client.get("/bang-dieu-khien/", OCT)
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub(b"", second.content) == token.sub(b"", first.content)
    assert token.search(second.content)[0] != token.search(first.content)[0]
    # A minute later the figures are stale: the page is built again, and the figures with it.
    real_monotonic, real_time = time.monotonic, time.time
    monkeypatch.setattr(time, "monotonic", lambda: real_monotonic() + 61)
    monkeypatch.setattr(time, "time", lambda: real_time() + 61)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get("/bang-dieu-khien/", OCT).status_code == 200
    assert len(captured) > 10
    assert leader.full_name in client.get("/bang-dieu-khien/", OCT).content.decode()
