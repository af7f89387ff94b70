"""The personal-data processing notice (Law on Personal Data Protection 91/2025/QH15) and the citizen's consent to it."""

from django.db import transaction
from django.utils import timezone

from egov.accounts.models import User
from egov.audit.services import legal_event_record

# Raise when the notice (templates/accounts/privacy_notice.html) changes in substance: consents given to an
# older version then show as such on the account.
PRIVACY_NOTICE_VERSION = "2026-01"


def privacy_consent_current(user: User) -> bool:
    return user.privacy_consent_at is not None and user.privacy_notice_version == PRIVACY_NOTICE_VERSION


@transaction.atomic
def privacy_consent_record(*, user: User, ip: str | None = None, source: str = "web") -> User:
    """Record that the citizen agreed to the current notice (after sign-in: VNeID accounts, accounts made before it)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if privacy_consent_current(user):
        return user
    user.privacy_consent_at = timezone.now()
    user.privacy_notice_version = PRIVACY_NOTICE_VERSION
    user.save(update_fields=["privacy_consent_at", "privacy_notice_version"])
    legal_event_record(action="account.privacy_consent", obj=user, actor=user, ip=ip,
                       data={"notice_version": PRIVACY_NOTICE_VERSION, "source": source})
    return user
