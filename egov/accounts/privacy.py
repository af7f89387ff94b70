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
    user.privacy_consent_withdrawn_at = None
    user.save(update_fields=["privacy_consent_at", "privacy_notice_version", "privacy_consent_withdrawn_at"])
    legal_event_record(action="account.privacy_consent", obj=user, actor=user, ip=ip,
                       data={"notice_version": PRIVACY_NOTICE_VERSION, "source": source})
    return user


def privacy_consent_state(user: User) -> dict:
    """The account's consent as the citizen's API and their copy of their data show it."""
    return {"given_at": user.privacy_consent_at, "notice_version": user.privacy_notice_version or None,
            "current_notice_version": PRIVACY_NOTICE_VERSION, "withdrawn_at": user.privacy_consent_withdrawn_at}


def privacy_consent_withdrawn(user: User) -> bool:
    """The citizen withdrew their consent and has not given it again: no new online dossier until they do."""
    return user.privacy_consent_withdrawn_at is not None


@transaction.atomic
def privacy_consent_withdraw(*, user: User, ip: str | None = None) -> User:
    """The citizen withdraws their consent, effective at once (the Law's right; nobody has to approve it).

    What it stops: processing that rests on consent — the account starts no new online dossier (drafts and
    submissions are refused until consent is given again). What goes on: dossiers already sent, which the
    authority handles and keeps as the law on administrative procedures and on archives requires, not by consent;
    the account itself, so the citizen can follow them, download their data and send requests."""
    from django.utils.translation import gettext as _

    from egov.core.errors import ApplicationError
    from egov.notifications.models import Channel
    from egov.notifications.services import notification_send

    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_citizen:
        raise ApplicationError("forbidden", _("Chỉ tài khoản công dân, tổ chức có sự đồng ý để rút lại."), status=403)
    if user.privacy_consent_at is None:
        raise ApplicationError("no_consent", _("Tài khoản này không có sự đồng ý nào đang có hiệu lực để rút lại."),
                               status=409)
    withdrawn_version = user.privacy_notice_version
    user.privacy_consent_at = None
    user.privacy_notice_version = ""
    user.privacy_consent_withdrawn_at = timezone.now()
    user.save(update_fields=["privacy_consent_at", "privacy_notice_version", "privacy_consent_withdrawn_at"])
    legal_event_record(action="account.privacy_consent_withdrawn", obj=user, actor=user, ip=ip,
                       data={"notice_version": withdrawn_version})
    notification_send(template="message", channel=Channel.IN_APP, recipient=user, payload={
        "subject": _("Bạn đã rút lại sự đồng ý xử lý dữ liệu cá nhân"),
        "text": _("Tài khoản không bắt đầu được hồ sơ trực tuyến mới cho tới khi bạn đồng ý lại. Các hồ sơ đã nộp vẫn "
                  "được giải quyết và lưu trữ theo quy định của pháp luật.")})
    return user
