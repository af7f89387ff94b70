import functools

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

# Domain apps add to the home page's context from AppConfig.ready() (the kernel imports none of them):
# each entry is a callable(request) -> dict, kept to a constant number of queries.
HOME_CONTEXT: list = []


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
            _redis_client(settings.REDIS_URL).ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {type(exc).__name__}"
    else:
        checks["redis"] = "not configured (tasks run in-process)"
    healthy = all(v == "ok" or v.startswith("not configured") for v in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)


@functools.cache
def _redis_client(url: str):
    """One client (and connection pool) per process: a load balancer calls this page every few seconds,
    and a new client per call opened a connection and read the package metadata each time, which made
    the page cost more than most real pages (and the benchmarks' floor look higher than it is)."""
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
