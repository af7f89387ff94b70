from pghistory.middleware import HistoryMiddleware


def client_ip(request) -> str | None:
    # Behind the reverse proxy the client is the first X-Forwarded-For hop (the proxy sets it).
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware(HistoryMiddleware):
    """Attaches who, from where and through which URL to every row change the database records."""

    def get_context(self, request):
        return {**super().get_context(request), "ip": client_ip(request), "method": request.method}
