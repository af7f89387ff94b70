from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.accounts.validators import normalize_phone
from egov.core.errors import ApplicationError


@transaction.atomic
def user_create(*, username: str, full_name: str, password: str | None, roles: Iterable[Role | str] = (),
                national_id: str | None = None, phone: str | None = None, email: str | None = None,
                agency=None, position_title: str = "", is_staff: bool = False, is_superuser: bool = False,
                is_active: bool = True, privacy_consent_at=None, privacy_notice_version: str = "") -> User:
    """Create an account with its roles; invalid data raises an ApplicationError naming each field."""
    user = User(
        username=username, full_name=full_name, national_id=national_id or None,
        phone=normalize_phone(phone) if phone else None, email=(email or "").lower() or None,
        agency=agency, position_title=position_title, is_staff=is_staff, is_superuser=is_superuser,
        is_active=is_active, privacy_consent_at=privacy_consent_at, privacy_notice_version=privacy_notice_version,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise ApplicationError("invalid_user", _("Thông tin tài khoản không hợp lệ."),
                               fields={k: [str(m) for m in v] for k, v in exc.message_dict.items()}) from exc
    user.save()
    # A new account's roles are part of its creation (recorded by whoever creates it: sign-up, the identity
    # provider's first sign-in), not a change.
    _roles_replace(user=user, roles=roles)
    return user


@transaction.atomic
def user_set_roles(*, user: User, roles: Iterable[Role | str], by: User | None = None, ip: str | None = None) -> User:
    """Give `user` exactly `roles`; a change is recorded with who made it (`by`) and the roles before and after."""
    before = _roles_replace(user=user, roles=roles)
    user_roles_change_record(user=user, before=before, by=by, ip=ip)
    return user


def _roles_replace(*, user: User, roles: Iterable[Role | str]) -> set[str]:
    """Set the user's roles; returns the ones they had."""
    names = {str(r) for r in roles}
    unknown = names - set(Role.values)
    if unknown:
        raise ApplicationError("unknown_role", _("Vai trò không tồn tại: %(roles)s") % {"roles": ", ".join(sorted(unknown))})
    before = set(user.groups.values_list("name", flat=True)) if user.pk else set()
    user.groups.set(Group.objects.filter(name__in=names))
    user.__dict__.pop("_role_names", None)
    return before


def user_roles_change_record(*, user: User, before: set[str], by: User | None = None, ip: str | None = None) -> None:
    """Record a change of the user's roles in the legal event log: who, when, from where, the roles before and after.

    Roles are group memberships, which the row history (pghistory) of User does not track, and a role carries power
    (a records clerk applies the agency's seal): found in review, a role given or taken left no trace but the admin's
    "Changed groups.". Called by user_set_roles and by the admin's user form, after the change, in its transaction."""
    from egov.audit.services import legal_event_record

    after = set(user.groups.values_list("name", flat=True))
    user.__dict__.pop("_role_names", None)
    if after == before:
        return
    legal_event_record(action="account.roles_changed", obj=user, actor=by, ip=ip,
                       data={"before": sorted(before), "after": sorted(after),
                             "added": sorted(after - before), "removed": sorted(before - after)})


@transaction.atomic
def user_password_change(*, user: User, new_password: str, ip: str | None = None) -> User:
    """Set a new password and tell the owner, so a change they did not make does not go unnoticed. The API tokens
    the old password obtained stop working with it (sessions end by the password hash they carry)."""
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from egov.notifications.models import Channel
    from egov.notifications.services import notification_send

    user.set_password(new_password)
    user.save(update_fields=["password"])
    Token.objects.filter(user=user).delete()
    payload = {"full_name": user.full_name, "when": timezone.localtime().strftime("%H:%M %d/%m/%Y"), "ip": ip or ""}
    notification_send(template="password_changed", channel=Channel.IN_APP, recipient=user, payload=payload)
    if user.email:
        notification_send(template="password_changed", channel=Channel.EMAIL, recipient=user, payload=payload)
    return user


@transaction.atomic
def user_second_factor_reset(*, user: User, by: User, ip: str | None = None) -> int:
    """An administrator resets a user's second factor (a leader lost their phone): their authenticator apps and
    backup codes go, and with them the API tokens and the browser sessions those made good, so whoever holds the
    phone holds nothing. At the next sign-in, with the password, the user enrols a new app (roles that need it
    are sent there before any page). The user is told, and the reset is on the legal record. Returns how many
    devices went."""
    from django.utils import timezone
    from django_otp import devices_for_user
    from rest_framework.authtoken.models import Token

    from egov.accounts.models import SignedInSession
    from egov.audit.services import legal_event_record
    from egov.notifications.models import Channel
    from egov.notifications.services import notification_send, recipient_language

    if not (by.is_active and by.is_superuser):
        raise ApplicationError("forbidden", _("Chỉ quản trị viên được đặt lại xác thực hai lớp."), status=403)
    devices = list(devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    Token.objects.filter(user=user).delete()
    SignedInSession.objects.filter(user_id=user.pk).delete()
    legal_event_record(action="account.second_factor_reset", obj=user, actor=by, ip=ip,
                       data={"devices": len(devices)})
    with recipient_language(user):  # the user's message, whatever the administrator's language
        payload = {"full_name": user.full_name, "when": timezone.localtime().strftime("%H:%M %d/%m/%Y")}
        notification_send(template="second_factor_reset", channel=Channel.IN_APP, recipient=user, payload=payload)
        if user.email:
            notification_send(template="second_factor_reset", channel=Channel.EMAIL, recipient=user, payload=payload)
    return len(devices)


BACKUP_CODES = 10


@transaction.atomic
def user_backup_codes_create(*, user: User) -> list[str]:
    """Ten one-time backup codes for the second factor, for the day the phone is lost: each passes the second
    factor once, like an app's code. A new set replaces the old one (codes written down earlier stop working).
    Returned once, to be shown; the user is told in the portal. Needs an enrolled authenticator app."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from egov.notifications.models import Channel
    from egov.notifications.services import notification_send

    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ApplicationError("no_second_factor", _("Hãy bật xác thực hai lớp bằng ứng dụng tạo mã trước."))
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("Mã dự phòng"), confirmed=True)
    codes: set[str] = set()
    while len(codes) < BACKUP_CODES:
        codes.add(StaticToken.random_token())  # 8 letters and digits (base32), as the code box takes
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    notification_send(template="message", channel=Channel.IN_APP, recipient=user, payload={
        "subject": _("Đã tạo bộ mã dự phòng mới"),
        "text": _("Bộ mã dự phòng cũ (nếu có) không còn dùng được. Nếu không phải bạn tạo, hãy đổi mật khẩu và báo "
                  "quản trị viên.")})
    return sorted(codes)


def user_language_set(*, user: User, language: str) -> User:
    """The language of the messages written to this person (e-mail, SMS, portal): one of settings.LANGUAGES, or
    empty for the portal's. The row's history (pghistory) records the change."""
    from django.conf import settings
    from django.utils.translation import gettext as _

    from egov.core.errors import ApplicationError

    if language not in {"", *dict(settings.LANGUAGES)}:
        message = _("Ngôn ngữ không hợp lệ.")
        raise ApplicationError("invalid_language", message, fields={"language": [message]})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


def user_password_confirms(*, request, user: User, password: str) -> bool:
    """Whether `password` is the signed-in user's, checked as a sign-in is: a wrong one counts towards django-axes'
    lockout of the name and address, so a borrowed session or token cannot try passwords without end."""
    from django.contrib.auth import authenticate

    if not password:
        return False
    confirmed = authenticate(request, username=user.username, password=password)
    return confirmed is not None and confirmed.pk == user.pk
