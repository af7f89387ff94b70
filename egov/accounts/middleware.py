import functools
from urllib.parse import urlencode

import django_otp.middleware
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

IDENTIFIER_BACKEND = "egov.accounts.backends.IdentifierBackend"


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, with the signed-in user taken from the session's own statement (egov.accounts.sessions).

    That user is used only when the session vouches for them as Django's get_user checks it with the
    current secret key: their id, the backend that signed them in, and the password hash. Any other case —
    another backend, a session signed with an old secret, a tampered hash — goes to Django's get_user,
    which decides (and flushes the session when it must).
    """

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(functools.partial(_signed_in_user, request))


def _signed_in_user(request):
    return _user_of_session(request.session) or auth.get_user(request)


def _user_of_session(session):
    user_id = session.get(SESSION_KEY)  # reads the session, and the user with it
    user = getattr(session, "signed_in_user", None)
    if user is None or user_id is None or str(user.pk) != str(user_id):
        return None
    if session.get(BACKEND_SESSION_KEY) != IDENTIFIER_BACKEND or IDENTIFIER_BACKEND not in settings.AUTHENTICATION_BACKENDS:
        return None
    session_hash = session.get(HASH_SESSION_KEY)
    if not session_hash or not constant_time_compare(session_hash, user.get_session_auth_hash()):
        return None
    return user


class OTPMiddleware(django_otp.middleware.OTPMiddleware):
    """django-otp's middleware without its query: a verified user's device is checked against the confirmed
    devices loaded with the user (IdentifierBackend.get_user), and read only if something uses it.

    django-otp reads the session's device on every request of a verified user, which for leaders and
    records clerks was a query per page for one fact (is the user verified?). The rules are django-otp's:
    the session's device must be a confirmed device of this user, else the session forgets it. Users
    loaded by another backend go through django-otp unchanged.
    """

    def _verify_user_sync(self, request, user):
        if not user.is_authenticated or not hasattr(user, "confirmed_otp_devices"):
            return super()._verify_user_sync(request, user)
        self._init_user_fields(user)
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        if persistent_id:
            persistent_id = self._normalize_persistent_id(persistent_id)
            if persistent_id in user.confirmed_otp_devices:
                user.otp_device = SimpleLazyObject(functools.partial(Device.from_persistent_id, persistent_id))
            else:
                del request.session[DEVICE_ID_SESSION_KEY]
        return user


def requires_two_factor(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(user.role_names() & set(settings.EGOV_TWO_FACTOR_ROLES))


class TwoFactorRequiredMiddleware:
    """Leaders, records clerks and administrators pass a TOTP check before any page, the admin included.

    Until they do, every request goes to the verification page (or enrolment, when they have no
    device yet); only log-out, the two-factor pages, static files and the health check stay open.
    """

    OPEN_PREFIXES = ("/static/", "/healthz", "/i18n/", "/ngon-ngu/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Loaded here anyway: the rest of the request gets the user itself, not the lazy proxy, whose
            # every attribute read is a method call (a staff page reads the user some 250 times).
            request.user = user = getattr(user, "_wrapped", user)
        if user is not None and requires_two_factor(user) and not user.is_verified():
            open_paths = {reverse("accounts:logout"), reverse("accounts:otp_verify"), reverse("accounts:otp_setup")}
            if request.path.startswith("/api/"):
                # An API client cannot follow the enrolment page: say what is missing in the API's shape.
                return JsonResponse({"error": {"code": "two_factor_required", "fields": {}, "message": gettext(
                    "Vai trò của bạn cần xác thực hai lớp: hãy đăng nhập trên cổng và nhập mã xác thực.")}}, status=403)
            if request.path not in open_paths and not request.path.startswith(self.OPEN_PREFIXES):
                from django_otp import devices_for_user

                has_device = any(True for _ in devices_for_user(user, confirmed=True))
                target = "accounts:otp_verify" if has_device else "accounts:otp_setup"
                # Encoded: a path whose query has "&" would otherwise lose all but its first parameter.
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
