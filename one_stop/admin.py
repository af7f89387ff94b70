from django.contrib import admin

from one_stop.models import Dossier, DossierEvent, DossierRating, Procedure, ProcedureVersion


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


class DossierEventInline(admin.TabularInline):
    model = DossierEvent
    extra = 0
    can_delete = False
    fields = ["at", "action", "from_state", "to_state", "actor", "agency", "due_at", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    """Read-only: a dossier changes only through the desk's actions (services), which keep the control sheet."""

    list_display = ["code", "procedure", "applicant_name", "state", "receiving_agency", "handling_agency",
                    "received_at", "due_at"]
    list_filter = ["state", "channel", "receiving_agency__kind"]
    search_fields = ["code", "applicant_name", "applicant_id_number", "procedure__code"]
    list_select_related = ["procedure", "receiving_agency", "handling_agency"]
    date_hierarchy = "received_at"
    inlines = [DossierEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DossierRating)
class DossierRatingAdmin(admin.ModelAdmin):
    list_display = ["dossier", "level", "created_at"]
    list_filter = ["level"]
    search_fields = ["dossier__code", "comment"]
    list_select_related = ["dossier"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
