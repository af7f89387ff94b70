"""Log-in by identifier: citizens by ID number, phone or e-mail; everyone by username."""

import re

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.accounts.validators import normalize_phone


def user_lookup_q(identifier: str) -> Q:
    identifier = (identifier or "").strip()
    if re.fullmatch(r"\d{12}", identifier):
        return Q(national_id=identifier, groups__name=Role.CITIZEN)
    if "@" in identifier:
        return Q(email__iexact=identifier, groups__name=Role.CITIZEN)
    phone = normalize_phone(identifier)
    if re.fullmatch(r"0\d{9,10}", phone):
        return Q(phone=phone, groups__name=Role.CITIZEN)
    return Q(username=identifier)


class IdentifierBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        users = list(User.objects.filter(user_lookup_q(username)).distinct()[:2])
        if len(users) != 1:
            # Run the hasher anyway so a missing account takes as long as a wrong password.
            User().set_password(password)
            return None
        user = users[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_not_a_password_guess(request, credentials=None) -> bool:
    """django-axes' whitelist hook: only attempts that carry a username are counted and locked.

    A sign-in through the identity provider has no username; its failures (a forged token, the provider
    down) are no password guesses, and counted against (no username, IP) they would lock out every
    citizen behind a carrier's shared address.
    """
    return not (credentials or {}).get("username")
