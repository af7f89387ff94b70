from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from egov.core.models import OutboxMessage
from egov.core.third_party_admin import admin_replace_third_party

admin.site.site_header = _("Quản trị Cổng Chính quyền điện tử")
admin.site.site_title = _("Quản trị")
admin.site.index_title = _("Quản trị hệ thống")

admin_replace_third_party(admin.site)  # the libraries' admin pages in the administrator's language


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "task_name", "sent_at", "attempts", "last_error"]
    list_filter = ["task_name", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["uuid", "task_name"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
