from django import forms
from django.contrib import admin

from egov.agencies.models import Agency


def sees_every_agency(user) -> bool:
    """A superuser or system administrator manages every agency; an agency administrator only their own."""
    from egov.accounts.roles import Role

    return user.is_superuser or user.has_role(Role.SYSTEM_ADMIN)


class AgencyScopedAdmin(admin.ModelAdmin):
    """Rows of one agency each (its `agency` field): a system administrator sees and edits every agency's, an agency
    administrator only their own, and is offered only their own agency in the form (a plain choice: the agencies'
    autocomplete would list every agency of the province)."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if sees_every_agency(request.user):
            return queryset
        return queryset.filter(agency_id=request.user.agency_id)

    def get_autocomplete_fields(self, request):
        fields = super().get_autocomplete_fields(request)
        if sees_every_agency(request.user):
            return fields
        return [name for name in fields if name != "agency"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency" and not sees_every_agency(request.user):
            kwargs["queryset"] = Agency.objects.filter(pk=request.user.agency_id)
            kwargs["empty_label"] = None  # their agency is the only one, chosen already
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SameAgencyForm(forms.ModelForm):
    """An agency's row whose many-to-many `same_agency_field` may hold only rows of that same agency (a counter's
    service areas, a division's members): `same_agency_message` names the field's error otherwise."""

    same_agency_field = ""
    same_agency_message = ""

    def clean(self):
        cleaned = super().clean()
        agency, related = cleaned.get("agency"), cleaned.get(self.same_agency_field)
        if agency and related and any(row.agency_id != agency.pk for row in related):
            self.add_error(self.same_agency_field, self.same_agency_message)
        return cleaned


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "exchange_code", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "exchange_code", "administrative_code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    # What places an agency in the province (its code, kind, place in the tree, whether it is in service) is the
    # system administrator's; an agency administrator keeps their own agency's names and contact details.
    PLACEMENT = ("parent", "kind", "exchange_code", "administrative_code", "is_active")

    def get_queryset(self, request):
        agencies = super().get_queryset(request)
        return agencies if sees_every_agency(request.user) else agencies.filter(pk=request.user.agency_id)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if sees_every_agency(request.user) else [*fields, *self.PLACEMENT]
