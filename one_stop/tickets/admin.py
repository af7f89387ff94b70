from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from egov.agencies.admin import AgencyScopedAdmin, SameAgencyForm
from one_stop.tickets.models import Counter, QueueTicket, QueueTicketEvent, ServiceArea


@admin.register(ServiceArea)
class ServiceAreaAdmin(AgencyScopedAdmin):
    list_display = ["prefix", "name", "agency", "position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "prefix", "agency__name", "agency__exchange_code"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]


class CounterForm(SameAgencyForm):
    same_agency_field = "areas"
    same_agency_message = _("Quầy chỉ phục vụ các khu vực của cùng cơ quan.")

    class Meta:
        model = Counter
        fields = ["agency", "number", "name", "areas", "is_active"]


@admin.register(Counter)
class CounterAdmin(AgencyScopedAdmin):
    form = CounterForm
    list_display = ["number", "name", "agency", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "agency__name", "agency__exchange_code"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]
    filter_horizontal = ["areas"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "areas" and not (request.user.is_superuser or request.user.has_role("system_admin")):
            kwargs["queryset"] = ServiceArea.objects.filter(agency_id=request.user.agency_id)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class QueueTicketEventInline(admin.TabularInline):
    model = QueueTicketEvent
    extra = 0
    can_delete = False
    fields = ["at", "action", "from_state", "to_state", "actor", "counter"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(QueueTicket)
class QueueTicketAdmin(admin.ModelAdmin):
    """Read-only: tickets change only at the kiosk and the counters (services), which keep the history."""

    list_display = ["label", "day", "area", "state", "issued_at", "called_at", "counter", "called_by", "recall_count"]
    list_filter = ["state", "day"]
    search_fields = ["label", "area__name"]
    list_select_related = ["area", "counter", "called_by"]
    date_hierarchy = "day"
    inlines = [QueueTicketEventInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser or request.user.has_role("system_admin"):
            return queryset
        return queryset.filter(area__agency_id=request.user.agency_id)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
