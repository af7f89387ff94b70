"""API authentication: DRF's tokens, refused for the roles with a second factor unless the token was obtained
with one (egov.accounts.models.TokenSecondFactor, egov.accounts.api.TokenObtainView)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, status


class TwoFactorRequired(exceptions.APIException):
    # The same code and status as a session that has not passed its second factor (accounts.middleware).
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "two_factor_required"
    default_detail = _("Vai trò của bạn cần xác thực hai lớp: lấy lại token với mã xác thực (otp).")


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        from egov.accounts.middleware import requires_two_factor

        model = self.get_model()
        try:
            # The second factor's row in the same query as the token and its user.
            token = model.objects.select_related("user", "second_factor").get(key=key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if requires_two_factor(token.user) and getattr(token, "second_factor", None) is None:
            raise TwoFactorRequired
        return token.user, token
