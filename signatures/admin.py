from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from egov.core.errors import ApplicationError
from signatures.constants import CertificateKind
from signatures.models import (
    Certificate,
    RemoteStandinAccount,
    RemoteStandinTransaction,
    SignatureRequest,
    SignatureRequestEvent,
    TrustAnchor,
)
from signatures.services import certificate_import_pkcs12, trust_anchor_add


class TrustAnchorForm(forms.ModelForm):
    certificate_file = forms.FileField(label=_("Tệp chứng thư (PEM hoặc DER)"), required=True)

    class Meta:
        model = TrustAnchor
        fields = ["name", "note", "is_active"]


@admin.register(TrustAnchor)
class TrustAnchorAdmin(admin.ModelAdmin):
    list_display = ["name", "subject", "not_before", "not_after", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "subject", "fingerprint_sha256"]
    readonly_fields = ["subject", "fingerprint_sha256", "not_before", "not_after"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = TrustAnchorForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "certificate_file", "note"]
        return ["name", "subject", "fingerprint_sha256", "not_before", "not_after", "note", "is_active"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        try:
            anchor = trust_anchor_add(name=form.cleaned_data["name"], data=form.cleaned_data["certificate_file"].read(),
                                      note=form.cleaned_data.get("note", ""))
        except ApplicationError as exc:
            raise ValidationError(exc.message) from exc
        obj.pk = anchor.pk


class CertificateImportForm(forms.ModelForm):
    pkcs12_file = forms.FileField(label=_("Tệp chứng thư số (.p12, .pfx)"))
    passphrase = forms.CharField(label=_("Mật khẩu tệp"), widget=forms.PasswordInput, required=False)
    stamp_png = forms.FileField(label=_("Ảnh chữ ký / con dấu (PNG, nền trong suốt)"), required=False)

    class Meta:
        model = Certificate
        fields = ["kind", "owner", "agency"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.instance = certificate_import_pkcs12(
                data=cleaned["pkcs12_file"].read(), passphrase=cleaned.get("passphrase") or "", kind=cleaned["kind"],
                owner=cleaned.get("owner"), agency=cleaned.get("agency"),
                stamp_png=cleaned["stamp_png"].read() if cleaned.get("stamp_png") else None,
            )
        except ApplicationError as exc:
            raise ValidationError(exc.message) from exc
        return cleaned


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["common_name", "kind", "owner", "agency", "backend", "not_after", "is_active"]
    list_filter = ["kind", "backend", "is_active"]
    search_fields = ["common_name", "subject", "serial_number", "fingerprint_sha256", "owner__full_name"]
    list_select_related = ["owner", "agency"]
    autocomplete_fields = ["owner", "agency"]
    readonly_fields = ["subject", "common_name", "issuer", "serial_number", "not_before", "not_after", "key_usage",
                       "fingerprint_sha256", "chain", "backend", "pkcs11_token_label", "pkcs11_key_label",
                       "remote_account", "created_at"]

    @admin.display(description=_("chuỗi chứng thư"))
    def chain(self, obj):
        from signatures.backends.pkcs12 import chain_certificates
        from signatures.verification import name_text

        return " → ".join(name_text(cert.subject) for cert in chain_certificates(obj)) or "—"

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = CertificateImportForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["kind", "owner", "agency", "pkcs12_file", "passphrase", "stamp_png"]
        return ["kind", "owner", "agency", *self.readonly_fields, "stamp_image", "is_active"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        # a new certificate was stored by the import service in the form's clean()

    def get_changeform_initial_data(self, request):
        return {"kind": CertificateKind.PERSONAL}


class SignatureRequestEventInline(admin.TabularInline):
    model = SignatureRequestEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "action", "from_state", "to_state", "actor", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SignatureRequest)
class SignatureRequestAdmin(admin.ModelAdmin):
    list_display = ["title", "role", "signer", "state", "achieved_level", "created_at", "signed_at", "attempts"]
    list_filter = ["state", "role", "achieved_level"]
    search_fields = ["title", "signer__full_name", "signed_sha256"]
    list_select_related = ["signer"]
    inlines = [SignatureRequestEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A request is the record of a signature asked and made (its events, the legal log point to it): never
        # deleted, by a superuser either — the history does not record deletes (found in review).
        return False


@admin.register(RemoteStandinAccount)
class RemoteStandinAccountAdmin(admin.ModelAdmin):
    """The development stand-in of a remote signing service: accounts are created by its service."""

    list_display = ["account", "created_at"]
    search_fields = ["account"]
    readonly_fields = ["account", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(RemoteStandinTransaction)
class RemoteStandinTransactionAdmin(admin.ModelAdmin):
    list_display = ["transaction_id", "account", "title", "state", "created_at", "decided_at"]
    list_filter = ["state"]
    search_fields = ["transaction_id", "title", "account__account"]
    list_select_related = ["account"]
    readonly_fields = ["transaction_id", "account", "algorithm", "title", "state", "callback_url", "created_at",
                       "decided_at"]
    exclude = ["digest", "signature"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
