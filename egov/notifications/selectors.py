from django.db.models import QuerySet

from egov.notifications.models import Channel, Notification


def notifications_in_app_for(*, user, limit: int = 10) -> QuerySet[Notification]:
    """A user's latest notifications on the portal, newest first (one query, any count)."""
    return Notification.objects.filter(recipient=user, channel=Channel.IN_APP).order_by("-created_at")[:limit]
