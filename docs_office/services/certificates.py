"""Which certificate signs: the leader's own personal one, or the agency's (the seal)."""

from django.utils.translation import gettext as _

from egov.core.errors import ApplicationError


def signing_certificate_for(*, user, organisation: bool):
    """The certificate the user signs with now (signatures' selectors); a clear 409 when there is none.

    The checks that matter (ownership, validity, revocation) are still made by `signature_request_create`.
    """
    from signatures.selectors import organisation_certificate_for, personal_certificate_for

    if organisation:
        certificate = organisation_certificate_for(agency_id=user.agency_id)
        message = _("Cơ quan chưa có chứng thư số tổ chức còn hiệu lực để ký văn bản phát hành.")
    else:
        certificate = personal_certificate_for(user=user)
        message = _("Bạn chưa có chứng thư số cá nhân còn hiệu lực.")
    if certificate is None:
        raise ApplicationError("no_certificate", message, status=409)
    return certificate
