from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from egov.core.redis import redis_client

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
            redis_client(settings.REDIS_URL).ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {type(exc).__name__}"
    else:
        checks["redis"] = "not configured (tasks run in-process)"
    healthy = all(v == "ok" or v.startswith("not configured") for v in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)
