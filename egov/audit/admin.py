from django.contrib import admin

from egov.audit.models import LegalEvent


@admin.register(LegalEvent)
class LegalEventAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only, in the database as well as here."""

    list_display = ["sequence", "occurred_at", "action", "object_type", "object_id", "actor_label", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "actor_label", "hash"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
