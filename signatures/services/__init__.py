"""The signatures app's only entry points for other apps (DESIGN.md §1)."""

from signatures.pades import (
    FieldSpec,
    TextFieldSpec,
    decree30_attachment_field,
    decree30_boxes,
    pdf_add_signature_fields,
    pdf_fill_text_fields,
    pdf_text_field_names,
)
from signatures.services.certificates import (
    certificate_check_usable,
    certificate_import_pkcs12,
    certificate_register_pkcs11,
    certificate_register_remote,
    trust_anchor_add,
    trust_roots,
)
from signatures.services.requests import (
    approval_signer_entitled,
    signature_request_confirm,
    signature_request_create,
    signature_request_reopen,
    signature_request_sign,
    signature_request_signer_entitled,
    signature_request_withdraw,
    signature_request_withdraw_allowed,
)

__all__ = [
    "FieldSpec", "TextFieldSpec", "decree30_attachment_field", "decree30_boxes", "pdf_add_signature_fields",
    "pdf_fill_text_fields", "pdf_text_field_names",
    "certificate_check_usable", "certificate_import_pkcs12", "certificate_register_pkcs11",
    "certificate_register_remote", "trust_anchor_add", "trust_roots",
    "signature_request_confirm", "signature_request_create", "signature_request_reopen", "signature_request_sign",
    "approval_signer_entitled", "signature_request_signer_entitled", "signature_request_withdraw",
    "signature_request_withdraw_allowed",
]


def signed_copy_verification_url(*, request, base_url: str) -> str:
    """Where a signed result's QR code leads: the public verification of the stored signed copy."""
    from django.urls import reverse

    return base_url.rstrip("/") + reverse("verification:signed_copy", kwargs={"sha256": request.signed_sha256})


__all__ += ["signed_copy_verification_url"]
