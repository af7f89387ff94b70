from django.contrib import admin

from docs_office.models import Division, DocumentType, Register


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "code", "is_active"]
    search_fields = ["name", "abbreviation"]


@admin.register(Register)
class RegisterAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "kind", "for_secret", "is_active"]
    list_filter = ["kind", "for_secret", "is_active"]
    search_fields = ["name", "agency__name"]
    autocomplete_fields = ["agency"]
    filter_horizontal = ["document_types"]


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "agency"]
    search_fields = ["name", "short_name", "agency__name"]
    autocomplete_fields = ["agency"]
    filter_horizontal = ["members"]
