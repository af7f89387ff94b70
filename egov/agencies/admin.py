from django.contrib import admin

from egov.agencies.models import Agency


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "exchange_code", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "exchange_code", "administrative_code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
