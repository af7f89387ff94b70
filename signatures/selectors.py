from django.db.models import Q, QuerySet

from signatures.constants import SignatureState
from signatures.models import SignatureRequest


def signature_requests_for_signer(*, user, states=(SignatureState.PENDING, SignatureState.SIGNING,
                                                   SignatureState.FAILED)) -> QuerySet[SignatureRequest]:
    """A signer's queue: what waits for them, newest first, in a constant number of queries."""
    return (SignatureRequest.objects.filter(signer=user, state__in=states)
            .select_related("certificate", "requested_by").order_by("-created_at"))


def signature_request_visible_to(*, user, pk: int) -> SignatureRequest | None:
    """The signer, the one who asked, and system admins may open a request and its files."""
    visible = SignatureRequest.objects.select_related("certificate", "signer")
    if not user.is_superuser:
        visible = visible.filter(Q(signer=user) | Q(requested_by=user))
    return visible.filter(pk=pk).first()
