"""egov.core.throttling: a fixed window per key, with Redis (one pipeline) and without (the process's cache)."""

import uuid

import pytest

from egov.core.throttling import _count


@pytest.mark.parametrize("with_redis", [True, False])
def test_the_window_counts_each_request_and_says_when_it_closes(settings, with_redis):
    if not with_redis:
        settings.REDIS_URL = ""
    key = f"throttle_test_{uuid.uuid4().hex}"
    counts = [_count(key, 60) for _ in range(3)]
    assert [count for count, _ in counts] == [1, 2, 3]
    assert all(0 < left <= 60 for _, left in counts)
    assert _count(f"{key}-other", 60)[0] == 1  # another address has its own window


@pytest.mark.django_db
def test_the_lookup_api_refuses_past_the_limit_then_tells_when_to_come_back(client, settings):
    from django.core.cache import cache

    settings.EGOV_LOOKUP_THROTTLE = "2/min"
    address = "198.51.100.77"
    cache.delete(f"throttle_lookup_{address}")
    statuses = [client.get("/api/v1/lookup/KHONG-CO/", REMOTE_ADDR=address) for _ in range(3)]
    assert [r.status_code for r in statuses] == [404, 404, 429]
    assert 0 < int(statuses[-1]["Retry-After"]) <= 60
    cache.delete(f"throttle_lookup_{address}")
