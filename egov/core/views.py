from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from egov.core.redis import redis_client

# Domain apps add to the home page's context from AppConfig.ready() (the kernel imports none of them):
# each entry is a callable(request) -> dict, kept to a constant number of queries.
HOME_CONTEXT: list = []


def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever the page links: send them to the static icon (its
    hashed name is looked up per request, so start-up does not depend on the static manifest)."""
    from django.templatetags.static import static

    return redirect(static("favicon.svg"), permanent=True)


@requires_csrf_token
def bad_request(request, exception):
    """handler400: Django's own renders 400.html without the request, so the page could show neither the
    layout nor why; a citizen who sent too many scans at once is told the limit (no other detail leaks)."""
    from django.core.exceptions import RequestDataTooBig, TooManyFilesSent

    context = {"too_many_files": settings.DATA_UPLOAD_MAX_NUMBER_FILES if isinstance(exception, TooManyFilesSent) else 0,
               "too_large": isinstance(exception, RequestDataTooBig)}
    return render(request, "400.html", context, status=400)


@requires_csrf_token
def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent without a valid token — open too long, signed in or out in another tab,
    cookies blocked. Django's page says so in English to developers; the visitor is told in the site's language
    what happened and what to do (the reason stays in the server's log, never on the page)."""
    return render(request, "errors/csrf.html", status=403)


def home(request):
    context = {}
    for provide in HOME_CONTEXT:
        context.update(provide(request))
    return render(request, "home.html", context)


@login_required
def workspace(request):
    """The staff workspace's landing page; each domain app adds its own inboxes."""
    from egov.notifications.selectors import notifications_in_app_for

    notifications = notifications_in_app_for(user=request.user)
    return render(request, "staff/workspace.html", {"notifications": notifications})


@never_cache
def healthz(request):
    """200 when the database (and Redis, when configured) answer; 503 otherwise, naming what failed."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # report, do not raise: this page exists to say what is wrong
        checks["database"] = f"error: {type(exc).__name__}"
    if settings.REDIS_URL:
        try:
            redis_client(settings.REDIS_URL).ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {type(exc).__name__}"
    else:
        checks["redis"] = "not configured (tasks run in-process)"
    healthy = all(v == "ok" or v.startswith("not configured") for v in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)


def language_choose(request):
    """The footer's language switch, by GET: `?language=en&next=/path/`.

    Django's own `set_language` takes a POST, which puts a CSRF token (and a cookie) on every page of
    the portal, public ones included, only for this form; choosing a language is harmless to replay, so
    a link-like GET does here. Sets the same cookie as `set_language`, then returns to `next` when it
    is a path of this site, else to the home page.
    """
    from django.utils.http import url_has_allowed_host_and_scheme
    from django.utils.translation import check_for_language

    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = redirect(target)
    language = request.GET.get("language", "")
    if language in dict(settings.LANGUAGES) and check_for_language(language):
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                            path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                            secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                            samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    return response
