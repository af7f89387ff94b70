from django.db.models import Q, QuerySet
from django.utils import timezone

from signatures.constants import CertificateKind, SignatureState
from signatures.models import Certificate, SignatureRequest


def signature_requests_for_signer(*, user, states=(SignatureState.PENDING, SignatureState.SIGNING,
                                                   SignatureState.FAILED)) -> QuerySet[SignatureRequest]:
    """A signer's queue: what waits for them, newest first, in a constant number of queries."""
    return (SignatureRequest.objects.filter(signer=user, state__in=states)
            .select_related("certificate", "requested_by", "batch").order_by("-created_at"))


def signature_queue_for(*, user) -> list[SignatureRequest]:
    """The queue page's items, each with `entitled` (may the user still sign it: a leader moved or no longer a leader
    is not offered the confirmation) and `withdrawable` (may they hand it back). No query per item: the signer is the
    user, whose roles are read once."""
    from signatures.callbacks import callback_withdrawable
    from signatures.services import signature_request_signer_entitled

    items = list(signature_requests_for_signer(user=user))
    for item in items:
        item.entitled = signature_request_signer_entitled(request=item, signer=user)
        item.withdrawable = (item.batch_id is None and item.state in (SignatureState.PENDING, SignatureState.FAILED)
                             and callback_withdrawable(item.callback))
    return items


def signature_request_visible_to(*, user, pk: int) -> SignatureRequest | None:
    """The signer, the one who asked, and system admins may open a request and its files."""
    visible = SignatureRequest.objects.select_related("certificate", "signer")
    if not user.is_superuser:
        visible = visible.filter(Q(signer=user) | Q(requested_by=user))
    return visible.filter(pk=pk).first()


def certificates_valid(*, at=None) -> QuerySet[Certificate]:
    """Certificates in use and within their validity period at `at` (now), newest expiry first.

    What other apps may offer to sign with; the checks that matter at signing time (ownership, the chain,
    revocation) are still made by the signing services.
    """
    at = at or timezone.now()
    return Certificate.objects.filter(is_active=True, not_before__lte=at, not_after__gt=at).order_by("-not_after")


def personal_certificate_for(*, user, at=None) -> Certificate | None:
    """The user's own certificate to sign with now: the valid one that expires last."""
    return certificates_valid(at=at).filter(kind=CertificateKind.PERSONAL, owner=user).first()


def organisation_certificate_for(*, agency_id: int, at=None) -> Certificate | None:
    """The agency's certificate (its seal) to sign with now: the valid one that expires last."""
    return certificates_valid(at=at).filter(kind=CertificateKind.ORGANISATION, agency_id=agency_id).first()


def personal_certificates_of_role(*, agency_id: int, role: str, at=None) -> QuerySet[Certificate]:
    """Valid personal certificates of the agency's active members who hold `role`, with their owners, by owner's
    name then newest expiry first (the first of each owner is the one to offer)."""
    return (certificates_valid(at=at).filter(kind=CertificateKind.PERSONAL, owner__agency_id=agency_id,
                                             owner__is_active=True, owner__groups__name=role)
            .select_related("owner").order_by("owner__full_name", "owner_id", "-not_after"))
