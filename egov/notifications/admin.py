from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from egov.agencies.admin import sees_every_agency
from egov.notifications.models import Notification
from egov.notifications.sealing import is_sealed
from egov.notifications.services import notifications_retry_failed

# Notifications that carry a one-time code (sign-up, password reset, a new phone or e-mail): their text and data are
# never shown, even masked and even to a system administrator (egov.notifications.sealing keeps the code itself out of
# the row; a row written before that kept it in clear until migration 0003 masked it).
SECRET_TEMPLATES = frozenset({"otp_code"})
HIDDEN_WITH_SECRETS = ("payload", "body")


def holds_secret(notification: Notification) -> bool:
    return notification.template in SECRET_TEMPLATES or is_sealed(notification.payload)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only. A system administrator sees the province's notifications; an agency administrator only those to
    their own agency's staff — not citizens' codes, not other agencies' messages to applicants (found in review: a
    commune's administrator read every one-time code of the province, and took over any citizen's account)."""

    list_display = ["created_at", "channel", "address", "recipient", "template", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "template"]
    search_fields = ["address", "subject", "recipient__full_name", "recipient__username"]
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["retry"]

    def get_queryset(self, request):
        notifications = super().get_queryset(request)
        if sees_every_agency(request.user):
            return notifications
        if request.user.agency_id is None:
            return notifications.none()
        # The staff the agency administrator manages (egov.accounts.admin.UserAdmin): a system administrator placed in
        # their agency gets the province's messages (citizens' personal-data requests), which are not theirs to read.
        from django.contrib.auth.models import Group

        from egov.accounts.roles import Role

        above = Group.objects.filter(name=Role.SYSTEM_ADMIN)
        return notifications.filter(recipient__agency_id=request.user.agency_id, recipient__is_superuser=False).exclude(
            recipient__groups__in=above)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and holds_secret(obj):
            return [name for name in fields if name not in HIDDEN_WITH_SECRETS]
        return fields

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Gửi lại các thông báo đã chọn"), permissions=["change"])
    def retry(self, request, queryset):
        count = notifications_retry_failed(notifications=queryset)
        messages.success(request, _("Đã đưa %(n)s thông báo vào hàng đợi gửi lại.") % {"n": count})
