from pghistory.middleware import HistoryMiddleware


def client_ip(request) -> str | None:
    """The client's address as our own reverse proxies saw it (EGOV_NUM_PROXIES of them, as DRF counts).

    Only the hops our proxies appended to X-Forwarded-For can be trusted: the first one is whatever the
    client wrote, and per-address limits (sign-up, password reset) keyed on it could be dodged at will.
    """
    from django.conf import settings

    proxies = settings.EGOV_NUM_PROXIES
    if proxies:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware(HistoryMiddleware):
    """Attaches who, from where and through which URL to every row change the database records."""

    def get_context(self, request):
        return {**super().get_context(request), "ip": client_ip(request), "method": request.method}
