from django.contrib import admin

from one_stop.models import Dossier, DossierEvent, DossierRating, Procedure, ProcedureFormTemplate, ProcedureVersion


class ProcedureVersionInline(admin.TabularInline):
    """Versions are a record: a dossier points at the one it was received under, so none is edited or deleted.
    A change of terms is a new version (ProcedureAdmin.new_version_view)."""

    model = ProcedureVersion
    extra = 0
    can_delete = False
    fields = ["number", "effective_from", "processing_days", "fee_vnd", "processing_text", "fee_text", "created_by", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ProcedureFormTemplateInline(admin.TabularInline):
    """The blank forms the procedure's documents name: uploaded and replaced here, saved through
    one_stop.services.form_templates (ProcedureAdmin.save_formset), with no new version."""

    model = ProcedureFormTemplate
    extra = 1
    fields = ["name", "file", "original_name", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["original_name", "size", "uploaded_by", "uploaded_at"]

    def get_formset(self, request, obj=None, **kwargs):
        from django.forms.models import BaseInlineFormSet

        from one_stop.forms import ProcedureFormTemplateForm

        class FormSet(BaseInlineFormSet):
            def get_form_kwargs(self, index):
                return {**super().get_form_kwargs(index), "procedure": self.instance}

        return super().get_formset(request, obj, form=ProcedureFormTemplateForm, formset=FormSet, **kwargs)


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "field", "online_level", "source", "is_active"]
    list_filter = ["online_level", "source", "is_active", "field"]
    search_fields = ["code", "name_folded", "name"]
    readonly_fields = ["code", "source", "source_url", "raw", "import_issues", "created_at", "updated_at"]
    exclude = ["name_folded", "body_folded"]
    inlines = [ProcedureFormTemplateInline, ProcedureVersionInline]
    change_form_template = "admin/one_stop/procedure/change_form.html"

    def get_urls(self):
        from django.urls import path

        return [path("<path:object_id>/phien-ban-moi/", self.admin_site.admin_view(self.new_version_view),
                     name="one_stop_procedure_new_version"), *super().get_urls()]

    def may_add_version(self, request, procedure) -> bool:
        return self.has_change_permission(request, procedure) and request.user.has_perm("one_stop.add_procedureversion")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        procedure = self.get_object(request, object_id)
        context = {**(extra_context or {}), "may_add_version": procedure is not None and self.may_add_version(request, procedure)}
        response = super().change_view(request, object_id, form_url, extra_context=context)
        # A refused change (a blank form of the wrong type, …) answers 400 like the rest of the project, not 200.
        if request.method == "POST" and getattr(response, "context_data", None) and response.context_data.get("errors"):
            response.status_code = 400
        return response

    def save_formset(self, request, form, formset, change):
        if formset.model is not ProcedureFormTemplate:
            return super().save_formset(request, form, formset, change)
        from one_stop.services.form_templates import procedure_form_template_delete, procedure_form_template_upload

        # What the admin's history message reads (construct_change_message), as formset.save() would have left it.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.deleted_forms:
            if row.instance.pk:
                formset.deleted_objects.append(row.instance)
                procedure_form_template_delete(template=row.instance, by=request.user)
        for row in formset.forms:
            if row in formset.deleted_forms or not row.has_changed() or "file" not in row.changed_data:
                continue
            existed = bool(row.instance.pk)
            template = procedure_form_template_upload(procedure=form.instance, name=row.cleaned_data["name"],
                                                      upload=row.cleaned_data["file"], by=request.user)
            if existed:
                formset.changed_objects.append((template, ["file"]))
            else:
                formset.new_objects.append(template)

    def new_version_view(self, request, object_id):
        """The form for a new version: time limit, fees (per channel too), required documents, the steps with their
        role, place and share of the days, and the day it takes effect; prefilled with the latest version."""
        from django.contrib import messages
        from django.core.exceptions import PermissionDenied
        from django.http import Http404
        from django.shortcuts import redirect
        from django.template.response import TemplateResponse
        from django.utils import timezone
        from django.utils.translation import gettext as _

        from egov.core.errors import ApplicationError
        from egov.core.text import parse_int
        from one_stop.services.catalogue import procedure_version_create

        procedure = self.get_object(request, object_id)
        if procedure is None:
            raise Http404
        if not self.may_add_version(request, procedure):
            raise PermissionDenied
        latest = procedure.versions.order_by("-number").first()
        if request.method == "POST" and "add_rows" in request.POST:
            # More empty rows, what was typed kept, nothing judged yet.
            data = request.POST.copy()
            for prefix in ("channels", "documents", "steps"):
                data[f"{prefix}-TOTAL_FORMS"] = str((parse_int(data.get(f"{prefix}-TOTAL_FORMS"), max_digits=3) or 0) + 2)
            forms = _version_forms(data=data)
        elif request.method == "POST":
            forms = _version_forms(data=request.POST)
            if all(form.is_valid() for form in forms.values()):
                terms, rows = _version_terms_from(forms)
                try:
                    version = procedure_version_create(
                        procedure=procedure, by=request.user, terms=terms,
                        effective_from=forms["main"].cleaned_data["effective_from"],
                        allow_past=forms["main"].cleaned_data["allow_past"], note=forms["main"].cleaned_data["note"])
                except ApplicationError as refused:
                    _version_errors_to_forms(refused, forms, rows)
                    self.message_user(request, refused.message, level=messages.ERROR)
                else:
                    self.message_user(request, _("Đã tạo phiên bản %(number)s của thủ tục %(code)s, áp dụng từ %(day)s.") % {
                        "number": version.number, "code": procedure.code,
                        "day": timezone.localtime(version.effective_from).strftime("%H:%M %d/%m/%Y")}, level=messages.SUCCESS)
                    return redirect("admin:one_stop_procedure_change", procedure.pk)
            else:
                self.message_user(request, _("Phiên bản mới chưa hợp lệ: xem lỗi ở từng mục."), level=messages.ERROR)
        else:
            forms = _version_forms(initial=latest)
        context = {
            **self.admin_site.each_context(request), "opts": self.opts, "original": procedure, "latest": latest,
            "title": _("Phiên bản mới của thủ tục %(code)s") % {"code": procedure.code},
            "form": forms["main"], "channels": forms["channels"], "documents": forms["documents"], "steps": forms["steps"],
        }
        refused = request.method == "POST" and "add_rows" not in request.POST
        return TemplateResponse(request, "admin/one_stop/procedure/new_version.html", context, status=400 if refused else 200)


def _version_forms(*, data=None, initial: ProcedureVersion | None = None) -> dict:
    from django.utils import timezone

    from one_stop.forms import ProcedureVersionForm, VersionChannelFormSet, VersionDocumentFormSet, VersionStepFormSet

    if data is not None:
        return {"main": ProcedureVersionForm(data), "channels": VersionChannelFormSet(data, prefix="channels"),
                "documents": VersionDocumentFormSet(data, prefix="documents"), "steps": VersionStepFormSet(data, prefix="steps")}
    version = initial
    main = {"effective_from": timezone.localdate()}
    if version is not None:
        main.update(processing_days=version.processing_days, processing_text=version.processing_text,
                    fee_vnd=version.fee_vnd, fee_text=version.fee_text)
    def pick(rows, keys):
        return [{k: row.get(k) for k in keys if row.get(k) is not None} for row in rows or [] if isinstance(row, dict)]

    return {
        "main": ProcedureVersionForm(initial=main),
        "channels": VersionChannelFormSet(prefix="channels", initial=pick(version and version.channels, (
            "channel", "processing_days", "fee_vnd", "processing_text", "fee_text"))),
        "documents": VersionDocumentFormSet(prefix="documents", initial=pick(version and version.required_documents,
                                                                           ("name", "copies", "group", "form"))),
        "steps": VersionStepFormSet(prefix="steps",
                                    initial=pick(version and version.process, ("name", "role", "agency", "days"))),
    }


def _version_terms_from(forms: dict):
    from one_stop.catalogue.data import ChannelTerms, ProcessStep, RequiredDocument
    from one_stop.services.catalogue import VersionTerms

    def number(value):
        return None if value is None else float(value)

    # Rows left as they were prefilled are kept too: has_changed() compares with the initial row, not with empty.
    rows = {key: [form for form in forms[key].forms if form.cleaned_data and not forms[key]._should_delete_form(form)]
            for key in ("channels", "documents", "steps")}
    main = forms["main"].cleaned_data
    terms = VersionTerms(
        processing_days=main["processing_days"], processing_text=main["processing_text"], fee_vnd=main["fee_vnd"],
        fee_text=main["fee_text"],
        channels=[ChannelTerms(channel=f.cleaned_data["channel"], processing_days=number(f.cleaned_data["processing_days"]),
                               processing_text=f.cleaned_data["processing_text"], fee_vnd=f.cleaned_data["fee_vnd"],
                               fee_text=f.cleaned_data["fee_text"]) for f in rows["channels"]],
        required_documents=[RequiredDocument(name=f.cleaned_data["name"], copies=f.cleaned_data["copies"],
                                             group=f.cleaned_data["group"], form=f.cleaned_data["form"])
                            for f in rows["documents"]],
        process=[ProcessStep(name=f.cleaned_data["name"], role=f.cleaned_data["role"],
                             agency=f.cleaned_data["agency"].strip() or "competent", days=f.cleaned_data["days"])
                 for f in rows["steps"]],
    )
    return terms, rows


def _version_errors_to_forms(refused, forms: dict, rows: dict) -> None:
    """The service names a field as "process[2].days": the error goes on the second kept row's field."""
    import re

    prefixes = {"channels": "channels", "required_documents": "documents", "process": "steps"}
    for key, messages_ in refused.fields.items():
        match = re.fullmatch(r"(\w+)\[(\d+)\]\.(\w+)", key)
        if match and match[1] in prefixes:
            form = rows[prefixes[match[1]]][int(match[2]) - 1]
            for message in messages_:
                form.add_error(match[3], message)
        elif key in prefixes:
            forms[prefixes[key]]._non_form_errors = forms[prefixes[key]].error_class(messages_)
        elif key in forms["main"].fields:
            for message in messages_:
                forms["main"].add_error(key, message)
        else:
            for message in messages_:
                forms["main"].add_error(None, message)


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

    def get_queryset(self, request):
        # A citizen's unsubmitted draft is private to them (one_stop.selectors.dossiers_visible_to): administrators
        # do not manage drafts (an erased account's drafts go through egov.accounts.erasure), so none is listed here.
        from one_stop.constants import DossierState

        return super().get_queryset(request).exclude(state=DossierState.DRAFT)

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
