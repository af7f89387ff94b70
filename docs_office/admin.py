from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from docs_office.models import Division, DocumentType, Register
from egov.agencies.admin import AgencyScopedAdmin, SameAgencyForm, sees_every_agency


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "code", "is_active"]
    search_fields = ["name", "abbreviation"]


@admin.register(Register)
class RegisterAdmin(AgencyScopedAdmin):
    """An agency administrator keeps their own agency's registers only (found by review: every agency's were theirs
    to read and change)."""

    list_display = ["name", "agency", "kind", "for_secret", "is_active"]
    list_filter = ["kind", "for_secret", "is_active"]
    search_fields = ["name", "agency__name"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]
    filter_horizontal = ["document_types"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not sees_every_agency(request.user) and "document_types" in form.base_fields:
            # The types are one catalogue for every agency (Decree 30, appendix III): those in use, and any the
            # register already numbers, so that saving it never drops one silently.
            chosen = obj.document_types.all() if obj is not None else DocumentType.objects.none()
            form.base_fields["document_types"].queryset = (DocumentType.objects.filter(is_active=True) | chosen).distinct()
        return form


class DivisionForm(SameAgencyForm):
    same_agency_field = "members"
    same_agency_message = _("Phòng, ban chỉ gồm cán bộ của cùng cơ quan.")

    class Meta:
        model = Division
        fields = ["agency", "name", "short_name", "members"]


@admin.register(Division)
class DivisionAdmin(AgencyScopedAdmin):
    """An agency administrator keeps their own agency's divisions, and puts in them its own staff only (found by
    review: every agency's divisions, and every user of the system, were offered)."""

    form = DivisionForm
    list_display = ["name", "short_name", "agency"]
    search_fields = ["name", "short_name", "agency__name"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]
    filter_horizontal = ["members"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        from egov.accounts.models import User

        form = super().get_form(request, obj, change=change, **kwargs)
        if not sees_every_agency(request.user) and "members" in form.base_fields:
            # The agency's active staff, and whoever is a member already (a deactivated one stays until removed).
            current = obj.members.all() if obj is not None else User.objects.none()
            active = User.objects.filter(agency_id=request.user.agency_id, is_active=True)
            form.base_fields["members"].queryset = (active | current).distinct().order_by("full_name")
        return form
