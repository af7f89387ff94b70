"""Sign-in through the national identity provider (VNeID or any OpenID Connect provider), by settings.

mozilla-django-oidc runs the authorization-code flow (state, nonce, PKCE, the signature of the id_token
against the provider's JWKS); this backend adds what it leaves to the site: the audience and issuer of
the id_token, and the mapping of the ID-number claim to a citizen account. A staff account is never
linked, whatever ID number it holds: staff sign in with their username and second factor.
"""

import logging
import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from egov.accounts.citizens import citizen_username, is_pending_signup
from egov.accounts.models import Gender, User
from egov.accounts.roles import Role
from egov.accounts.services import user_create
from egov.accounts.validators import normalize_phone, validate_national_id, validate_phone
from egov.audit.services import legal_event_record

logger = logging.getLogger(__name__)

GENDER_CLAIMS = {"male": Gender.MALE, "nam": Gender.MALE, "female": Gender.FEMALE, "nu": Gender.FEMALE, "nữ": Gender.FEMALE}


class CitizenOIDCBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # Listed in AUTHENTICATION_BACKENDS only when enabled; the check keeps a stale list harmless.
        self.enabled = settings.OIDC_ENABLED
        if self.enabled:
            super().__init__(*args, **kwargs)

    def authenticate(self, request, **kwargs):
        if not self.enabled:
            return None
        import requests

        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, requests.RequestException, ValueError) as exc:
            # A forged or misdirected token, or the provider down: the citizen is sent back to the sign-in
            # page with a message, not shown an error page.
            logger.warning("OIDC sign-in failed: %s: %s", type(exc).__name__, exc)
            return None

    def get_user(self, user_id):
        return User.objects.filter(pk=user_id, is_active=True).first()

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        # The library checks the signature, expiry and nonce, not whom the token was issued to.
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("id_token audience is not this client")
        if settings.OIDC_OP_ISSUER and payload.get("iss") != settings.OIDC_OP_ISSUER:
            raise SuspiciousOperation("id_token issuer is not the configured provider")
        return payload

    def _national_id(self, claims) -> str:
        return str(claims.get(settings.OIDC_CITIZEN_ID_CLAIM) or "").strip()

    def describe_user_by_claims(self, claims):
        return "citizen id claim"

    def verify_claims(self, claims):
        try:
            validate_national_id(self._national_id(claims))
        except Exception:
            logger.warning("OIDC sign-in refused: claim %s is not a valid ID number", settings.OIDC_CITIZEN_ID_CLAIM)
            return False
        return True

    def filter_users_by_claims(self, claims):
        return User.objects.filter(national_id=self._national_id(claims))

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is not None:
            legal_event_record(action="account.oidc_sign_in", obj=user, actor=user, ip=_ip(self.request),
                               data={"provider": settings.OIDC_PROVIDER_NAME})
        return user

    @transaction.atomic
    def update_user(self, user, claims):
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_superuser or user.is_staff or user.is_agency_staff or not user.has_role(Role.CITIZEN):
            logger.warning("OIDC sign-in refused: the ID number belongs to a staff account (user %s)", user.pk)
            raise SuspiciousOperation("the ID number belongs to a staff account")
        changed = []
        if is_pending_signup(user):
            # The provider proved who this is; the pending sign-up's phone and e-mail were never proved and
            # may be someone else's: keep only what the provider vouches for.
            contacts = self._contacts(claims, exclude=user)
            user.phone, user.email = contacts.get("phone"), contacts.get("email")
            user.is_active = True
            changed += ["phone", "email", "is_active"]
        if user.verified_at is None:
            user.verified_at = timezone.now()
            changed.append("verified_at")
        for name, value in self._profile(claims).items():
            if value and not getattr(user, name):
                setattr(user, name, value)
                changed.append(name)
        if changed:
            user.save(update_fields=changed)
        return user

    @transaction.atomic
    def create_user(self, claims):
        national_id = self._national_id(claims)
        profile = self._profile(claims)
        contacts = self._contacts(claims)
        user = user_create(username=citizen_username(national_id), full_name=profile.pop("full_name") or national_id,
                           password=None, roles=[Role.CITIZEN], national_id=national_id, **contacts)
        for name, value in profile.items():
            setattr(user, name, value)
        user.verified_at = timezone.now()
        user.save(update_fields=[*profile, "verified_at"])
        legal_event_record(action="account.oidc_create", obj=user, actor=user, ip=_ip(self.request),
                           data={"provider": settings.OIDC_PROVIDER_NAME})
        return user

    def _profile(self, claims) -> dict:
        from datetime import date

        birth_date = None
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(claims.get("birthdate") or "")):
            try:
                birth_date = date.fromisoformat(claims["birthdate"])
            except ValueError:
                birth_date = None
        address = claims.get("address")
        if isinstance(address, dict):  # the standard claim is an object; VNeID-like providers send text
            address = address.get("formatted") or ""
        return {
            "full_name": " ".join(str(claims.get("name") or "").split())[:150],
            "birth_date": birth_date,
            "gender": GENDER_CLAIMS.get(str(claims.get("gender") or "").strip().lower(), ""),
            "address": str(address or "").strip()[:255],
        }

    def _contacts(self, claims, exclude: User | None = None) -> dict:
        """Phone and e-mail from the provider, dropped when another account already uses them."""
        found = {}
        phone = normalize_phone(str(claims.get("phone_number") or ""))
        try:
            validate_phone(phone)
        except Exception:
            phone = ""
        email = str(claims.get("email") or "").strip().lower()
        for name, value in (("phone", phone), ("email", email)):
            others = User.objects.filter(**{f"{name}__iexact": value}) if value else None
            if exclude is not None and others is not None:
                others = others.exclude(pk=exclude.pk)
            if value and not others.exists():
                found[name] = value
        return found


def _ip(request):
    from egov.audit.middleware import client_ip

    return client_ip(request) if request is not None else None


class _OnlyWhenEnabled:
    def dispatch(self, request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class OIDCStartView(_OnlyWhenEnabled, OIDCAuthenticationRequestView):
    pass


class OIDCCallbackView(_OnlyWhenEnabled, OIDCAuthenticationCallbackView):
    @property
    def success_url(self):
        # The identity provider has no consent step of its own: a citizen who has not agreed to the portal's
        # personal-data notice (a first VNeID sign-in) is asked before going on (egov.accounts.views.privacy_consent).
        from urllib.parse import urlencode

        from egov.accounts.privacy import privacy_consent_current, privacy_consent_withdrawn

        target = super().success_url
        user = getattr(self, "user", None)
        # Not one who withdrew it: asked again at every sign-in would be pressing for it; they are asked when they start
        # a new online dossier, the processing that needs it.
        if user is not None and not privacy_consent_current(user) and not privacy_consent_withdrawn(user):
            return f"{reverse('accounts:privacy_consent')}?{urlencode({'next': target})}"
        return target

    @property
    def failure_url(self):
        return reverse("accounts:login")

    def login_failure(self):
        messages.error(self.request, _("Không đăng nhập được bằng %(provider)s. Vui lòng thử lại hoặc đăng nhập bằng mật khẩu.")
                       % {"provider": settings.OIDC_PROVIDER_NAME})
        return super().login_failure()
