"""Whole signed-in pages kept in the worker's memory, per user and per what they show.

The desk's queue and the leaders' dashboard are opened again and again by the same people, showing the
same thing; their content is already cached, and rendering the layouts around it (menus, footer,
context processors) became most of what such a page cost. A page kept here is keyed by everything the
layouts show of the request — language, address, and every fact of the signed-in user the staff menu
shows (templates/layouts/staff.html) — and by the view's own content key, so a kept page is never another
user's and never stale while its key holds. The CSRF token, different on every response, is written into
the kept page as a per-process placeholder and filled in for each request.

A page whose content is new at nearly every visit (a search) keeps only its layout (`staff_page_around`):
rendered once with placeholders for the content and for the address the layout shows, both filled per request.

Pages with a message waiting (after a POST) are rendered for the request alone, and with DEBUG on nothing
is kept (template edits show at once).
"""

import html
import secrets
import time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

# Random per process, so no content can contain it by chance or design.
CSRF_PLACEHOLDER = "csrf-placeholder-" + secrets.token_hex(16)
_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()
CONTENT_PLACEHOLDER = "content-placeholder-" + secrets.token_hex(16)
PATH_PLACEHOLDER = "path-placeholder-" + secrets.token_hex(16)
# A worker keeps at most this much (a queue page is ≈ 12 kB, a dashboard ≈ 100 kB); past it, it starts afresh:
# simpler than an LRU, and each page comes back in one visit.
_LIMIT_BYTES = 24 * 1024 * 1024
_pages: dict[tuple, tuple[bytes, float]] = {}  # kept as the bytes sent: a hit encodes nothing
_kept_bytes = 0


def _layout_key(request, *, path: str | None = None) -> tuple | None:
    """What the layouts show of this request, or None when it must be rendered for this request alone."""
    if settings.DEBUG or request.method != "GET":
        return None
    if CookieStorage.cookie_name in request.COOKIES or "_messages" in request.session:
        return None
    from egov.accounts.backends import CONTENT_FACTS

    user = request.user
    facts = getattr(user, "signed_in_facts", None)
    if facts is not None:
        facts = tuple(sorted((name, value) for name, value in facts.items() if name not in CONTENT_FACTS))
    return (get_language(), request.get_full_path() if path is None else path, user.pk, user.full_name, user.username,
            user.agency_id, user.agency.name if user.agency_id else None, frozenset(user.role_names()), user.is_staff,
            user.is_superuser, facts)


def staff_page(request, content_key, render_page, *, seconds=None) -> HttpResponse:
    """The page `render_page(csrf_token)` renders (an HttpResponse), kept per layout key and `content_key`
    for at most `seconds` (None: while the key holds; a callable: asked after rendering, for a page whose
    content says how long it stays fresh)."""
    layout = _layout_key(request)
    if layout is None:
        return render_page(None)
    key = (layout, content_key)
    kept = _pages.get(key)
    now = time.monotonic()
    if kept is not None and kept[1] > now:
        return HttpResponse(kept[0].replace(_PLACEHOLDER_BYTES, get_token(request).encode()))
    response = render_page(CSRF_PLACEHOLDER)
    content = response.content
    if callable(seconds):
        seconds = seconds()
    if response.status_code == 200 and (seconds is None or seconds >= 1):
        _keep(key, content, now + seconds if seconds is not None else float("inf"))
    response.content = content.replace(_PLACEHOLDER_BYTES, get_token(request).encode())
    return response


def staff_page_around(request, content_html: str, render_page) -> HttpResponse:
    """The page `render_page(content_html, path, csrf_token)` renders (an HttpResponse; the layout shows `path` as
    the request's address, `{{ page_path }}`), its layout kept per layout key — the address's path, not its query
    string, which only the content and `page_path` show — and filled with this request's content, address and
    CSRF token. For pages whose content is new at nearly every visit: a search per name at the desk."""
    layout = _layout_key(request, path=request.path)
    if layout is None:
        return render_page(content_html, request.get_full_path(), None)
    key = (layout, "around")
    kept = _pages.get(key)
    if kept is None:
        response = render_page(CONTENT_PLACEHOLDER, PATH_PLACEHOLDER, CSRF_PLACEHOLDER)
        shell = response.content
        if response.status_code != 200 or shell.count(CONTENT_PLACEHOLDER.encode()) != 1:
            return render_page(content_html, request.get_full_path(), None)
        _keep(key, shell, float("inf"))
    else:
        shell = kept[0]
    # The layout's parts first, the content last: nothing in the content (which shows what was typed) is
    # ever taken for a placeholder.
    shell = (shell.replace(_PLACEHOLDER_BYTES, get_token(request).encode())
             .replace(PATH_PLACEHOLDER.encode(), html.escape(request.get_full_path()).encode()))
    before, after = shell.split(CONTENT_PLACEHOLDER.encode())
    return HttpResponse(b"".join((before, content_html.encode(), after)))


def _keep(key: tuple, content: bytes, until: float) -> None:
    global _kept_bytes
    if _kept_bytes + len(content) > _LIMIT_BYTES:
        clear()
    _pages[key] = (content, until)
    _kept_bytes += len(content)


def clear() -> None:
    global _kept_bytes
    _pages.clear()
    _kept_bytes = 0
