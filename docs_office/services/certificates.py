"""Which certificate signs: the leader's own personal one, or the agency's (the seal)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.errors import ApplicationError


def signing_certificate_for(*, user, organisation: bool):
    """The newest active certificate the user may sign with; a clear 409 when there is none.

    A read of the signatures app's Certificate table (the services there offer no lookup); the checks
    that matter (ownership, validity, revocation) are still made by `signature_request_create`.
    """
    from signatures.constants import CertificateKind
    from signatures.models import Certificate

    found = Certificate.objects.filter(is_active=True, not_after__gt=timezone.now())
    if organisation:
        found = found.filter(kind=CertificateKind.ORGANISATION, agency_id=user.agency_id)
        message = _("Cơ quan chưa có chứng thư số tổ chức còn hiệu lực để ký văn bản phát hành.")
    else:
        found = found.filter(kind=CertificateKind.PERSONAL, owner=user)
        message = _("Bạn chưa có chứng thư số cá nhân còn hiệu lực.")
    certificate = found.order_by("-not_after").first()
    if certificate is None:
        raise ApplicationError("no_certificate", message, status=409)
    return certificate
