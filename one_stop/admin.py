from django.contrib import admin

from one_stop.models import Procedure, ProcedureVersion


class ProcedureVersionInline(admin.TabularInline):
    model = ProcedureVersion
    extra = 0
    can_delete = False
    fields = ["number", "effective_from", "processing_days", "fee_vnd", "processing_text", "fee_text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "field", "online_level", "source", "is_active"]
    list_filter = ["online_level", "source", "is_active", "field"]
    search_fields = ["code", "name_folded", "name"]
    readonly_fields = ["code", "source", "source_url", "raw", "import_issues", "created_at", "updated_at"]
    exclude = ["name_folded", "body_folded"]
    inlines = [ProcedureVersionInline]
