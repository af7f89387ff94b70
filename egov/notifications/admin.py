from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from egov.notifications.models import Notification
from egov.notifications.services import notifications_retry_failed


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "address", "recipient", "template", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "template"]
    search_fields = ["address", "subject", "recipient__full_name", "recipient__username"]
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Gửi lại các thông báo đã chọn"))
    def retry(self, request, queryset):
        count = notifications_retry_failed(notifications=queryset)
        messages.success(request, _("Đã đưa %(n)s thông báo vào hàng đợi gửi lại.") % {"n": count})
