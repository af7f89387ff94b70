"""A per-address request limit that costs one Redis round trip per request.

DRF's rate throttles keep, per client, the list of its request times in the cache and read and write the
whole list on every request: a few hundred bytes at a limit of 60 a minute, but the page that most
strangers call (the public lookup, from every receipt's QR code) should not pay a read-modify-write for
being counted. This one counts requests in a window that opens with the client's first request (SET NX
with the window's expiry, then INCR, in one pipeline); at most the limit passes per window, and a client
at the limit can send at most twice the limit across a window's edge, which is fine for a guard against
guessing codes. The counter lives under the Django cache's key for DRF's throttle key, so
`cache.delete("throttle_<scope>_<address>")` resets it as it would DRF's.
"""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle


class FixedWindowAnonThrottle(AnonRateThrottle):
    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        count, self.remaining_seconds = _count(self.key, self.duration)
        return count <= self.num_requests

    def wait(self):
        return self.remaining_seconds


def _count(key: str, seconds: int) -> tuple[int, float]:
    """Add one to the window's counter of `key`: (the count so far, seconds until the window closes)."""
    if settings.REDIS_URL:
        from egov.core.redis import redis_client

        full_key = cache.make_key(key)
        pipe = redis_client(settings.REDIS_URL).pipeline(transaction=False)
        pipe.set(full_key, 0, ex=seconds, nx=True)
        pipe.incr(full_key)
        pipe.pttl(full_key)
        _created, count, ttl_ms = pipe.execute()
        return count, max(ttl_ms, 0) / 1000
    # Without Redis (a laptop's `make run`): the process's own cache, with the same meaning.
    if cache.add(key, 0, timeout=seconds):
        cache.set(key + ":opened", time.monotonic(), timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=seconds)
        count = 1
    opened = cache.get(key + ":opened") or time.monotonic()
    return count, max(0.0, seconds - (time.monotonic() - opened))
