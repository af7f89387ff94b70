"""Whole pages kept for anonymous visitors: a public page everyone sees alike, answered from the cache.

A visitor with no session and no pending message sees exactly what every other such visitor sees in
their language (no name in the header, no CSRF token: the public forms are GETs), so the rendered page
can be shared between them. Signed-in users, and anyone with a session or a message waiting, get the
page rendered for them as usual.
"""

import hashlib

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language

_PREFIX = "visitor-page:"


def visitor_page_key(request, scope: str) -> str | None:
    """The cache key of this request's page when it may be shared, else None.

    `scope` names the page (and what its content depends on beyond the address and the language).
    """
    if request.method != "GET" or settings.SESSION_COOKIE_NAME in request.COOKIES or CookieStorage.cookie_name in request.COOKIES:
        return None
    parts = (settings.DATABASES["default"]["NAME"], scope, get_language(), request.get_full_path())
    return _PREFIX + hashlib.sha256(repr(parts).encode()).hexdigest()


def visitor_page_get(key: str | None) -> HttpResponse | None:
    if key is None:
        return None
    content = cache.get(key)
    return None if content is None else HttpResponse(content)


def visitor_page_set(key: str | None, response: HttpResponse, seconds: float) -> HttpResponse:
    """Keep a successful page for `seconds` (nothing when it is under one second); returns the response."""
    if key is not None and response.status_code == 200 and not response.streaming and seconds >= 1:
        cache.set(key, response.content, int(seconds))
    return response
