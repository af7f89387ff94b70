"""One-time codes sent by SMS or e-mail: issue, re-send with a cool-down, check with a limit on attempts per flow.

Only a keyed hash of each code is stored (HMAC with SECRET_KEY and the flow's id), so the table alone
does not give the codes away; the notification that carries a code shows it masked and keeps it sealed only until
it is sent (egov.notifications.sealing). Checking counts a wrong attempt in its own transaction: callers must not
wrap `code_consume` in a transaction that the refusal would roll back.
"""

import secrets
import unicodedata
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from egov.accounts.models import CodePurpose, OneTimeCode, User
from egov.core.errors import ApplicationError

HASH_SALT = "egov.accounts.one_time_code"
# The flow's wrong attempts are spent, whatever code was last sent: only a new flow (signing up, asking for the reset
# again) gives new ones.
LOCKED_MESSAGE = gettext_noop("Bạn đã nhập sai quá số lần cho phép. Hãy bắt đầu lại.")


def code_ttl() -> timedelta:
    return timedelta(minutes=settings.EGOV_CODE_TTL_MINUTES)


def _hash(public_id: uuid.UUID, code: str) -> str:
    return salted_hmac(HASH_SALT, f"{public_id}:{code}", algorithm="sha256").hexdigest()


def code_normalize(value: str | None) -> str:
    """A code as typed: every space dropped ("603 679", as it reads in the SMS) and full-width digits ("６０３６７９",
    from a Vietnamese or CJK input method) made ASCII (NFKC), so neither is refused as a wrong attempt."""
    return "".join(unicodedata.normalize("NFKC", value or "").split())


def _new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _send(*, otc: OneTimeCode, code: str, extra_targets: tuple[tuple[str, str], ...] = ()) -> None:
    from egov.notifications.services import notification_send

    # The code is a secret of the notification: sealed until it is sent, masked in the row (an administrator who reads
    # notifications must not be able to take over the account, found in review).
    payload = {"minutes": settings.EGOV_CODE_TTL_MINUTES}
    for channel, target in ((otc.channel, otc.target), *extra_targets):
        if target:
            notification_send(template="otp_code", channel=channel, recipient=otc.user, address=target, payload=payload,
                              secrets={"code": code})


@transaction.atomic
def code_issue(*, purpose: CodePurpose, user: User | None, channel: str, target: str, ip: str | None,
               also_email: str = "") -> OneTimeCode:
    """Create a code and queue its delivery; earlier unused codes of the same user and purpose stop working.

    With no user or no target (a password reset for an unknown identifier) the row is still created,
    with a hash no code matches, so the flow looks the same whether or not an account exists.
    """
    now = timezone.now()
    otc = OneTimeCode(purpose=purpose, user=user, channel=channel, target=target or "", ip=ip,
                      sent_at=now, expires_at=now + code_ttl())
    code = _new_code()
    otc.code_hash = _hash(otc.public_id, code) if (user is not None and target) else secrets.token_hex(32)
    otc.save()
    if user is not None:
        OneTimeCode.objects.filter(user=user, purpose=purpose, used_at__isnull=True, expires_at__gt=now).exclude(
            pk=otc.pk).update(expires_at=now)
        extra = (("email", also_email),) if also_email and also_email != target else ()
        _send(otc=otc, code=code, extra_targets=extra)
    return otc


def code_get(*, public_id, purpose: CodePurpose, user: User | None = None) -> OneTimeCode:
    try:
        otc = OneTimeCode.objects.select_related("user").get(public_id=public_id, purpose=purpose)
    except (OneTimeCode.DoesNotExist, ValueError, TypeError, ValidationError):  # a malformed id is unknown too
        otc = None
    if otc is None or (user is not None and otc.user_id != user.pk):
        raise ApplicationError("code_flow_unknown", _("Phiên xác thực không tồn tại hoặc đã kết thúc. Hãy bắt đầu lại."),
                               status=404)
    return otc


def resend_wait_seconds(otc: OneTimeCode) -> int:
    elapsed = (timezone.now() - otc.sent_at).total_seconds()
    return max(0, int(settings.EGOV_CODE_RESEND_SECONDS - elapsed + 0.999))


def code_resend(*, public_id, purpose: CodePurpose, user: User | None = None, also_email: str = "") -> OneTimeCode:
    """A new code for the same flow, at most every EGOV_CODE_RESEND_SECONDS and EGOV_CODE_MAX_SENDS times."""
    with transaction.atomic():
        otc = code_get(public_id=public_id, purpose=purpose, user=user)
        otc = OneTimeCode.objects.select_for_update(of=("self",)).select_related("user").get(pk=otc.pk)
        if otc.used_at is not None:
            raise ApplicationError("code_used", _("Mã xác thực này đã được sử dụng."), status=409)
        wait = resend_wait_seconds(otc)
        if wait:
            raise ApplicationError("code_resend_too_soon", ngettext(
                "Vui lòng chờ %(seconds)d giây nữa rồi gửi lại mã.", "Vui lòng chờ %(seconds)d giây nữa rồi gửi lại mã.",
                wait) % {"seconds": wait}, status=429, retry_after=wait)
        if otc.attempts >= settings.EGOV_CODE_MAX_ATTEMPTS:
            # A new code would be refused unread (code_consume): the flow's guesses are spent, not the code's.
            raise ApplicationError("code_locked", _(LOCKED_MESSAGE), status=429)
        if otc.sends >= settings.EGOV_CODE_MAX_SENDS:
            raise ApplicationError("code_too_many_sends", _("Đã gửi lại mã quá số lần cho phép. Hãy bắt đầu lại sau ít phút."),
                                   status=429)
        now = timezone.now()
        code = _new_code()
        if otc.user_id is not None and otc.target:
            otc.code_hash = _hash(otc.public_id, code)
        # The wrong attempts are kept: a resend is a new code, not new guesses (it reset them, found in review, so a
        # flow allowed EGOV_CODE_MAX_ATTEMPTS guesses per send, EGOV_CODE_MAX_SENDS + 1 times over).
        otc.sent_at, otc.expires_at, otc.sends = now, now + code_ttl(), otc.sends + 1
        otc.save(update_fields=["code_hash", "sent_at", "expires_at", "sends"])
        if otc.user_id is not None:
            extra = (("email", also_email),) if also_email and also_email != otc.target else ()
            _send(otc=otc, code=code, extra_targets=extra)
    return otc


def code_consume(*, public_id, code: str, purpose: CodePurpose, user: User | None = None) -> OneTimeCode:
    """Return the flow's row, marked used, when `code` is right; otherwise count the attempt and refuse."""
    error = None
    with transaction.atomic():
        otc = code_get(public_id=public_id, purpose=purpose, user=user)
        otc = OneTimeCode.objects.select_for_update(of=("self",)).select_related("user").get(pk=otc.pk)
        now = timezone.now()
        if otc.used_at is not None:
            error = ApplicationError("code_used", _("Mã xác thực này đã được sử dụng."), status=409)
        elif otc.attempts >= settings.EGOV_CODE_MAX_ATTEMPTS:
            error = ApplicationError("code_locked", _(LOCKED_MESSAGE),
                                     fields={"code": [_("Đã nhập sai quá số lần cho phép.")]}, status=429)
        elif now >= otc.expires_at:
            error = ApplicationError("code_expired", _("Mã xác thực đã hết hạn. Hãy yêu cầu gửi mã mới."),
                                     fields={"code": [_("Mã xác thực đã hết hạn.")]})
        elif not constant_time_compare(otc.code_hash, _hash(otc.public_id, code_normalize(code))):
            otc.attempts += 1
            otc.save(update_fields=["attempts"])
            left = settings.EGOV_CODE_MAX_ATTEMPTS - otc.attempts
            message = ngettext("Mã xác thực không đúng. Bạn còn %(left)d lần thử.",
                               "Mã xác thực không đúng. Bạn còn %(left)d lần thử.", left) % {"left": left}
            error = ApplicationError("code_wrong", message, fields={"code": [message]})
        else:
            otc.used_at = now
            otc.save(update_fields=["used_at"])
    if error is not None:
        raise error
    return otc
