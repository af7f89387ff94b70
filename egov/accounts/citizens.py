"""Citizens' own accounts: sign-up verified by a one-time code, password reset, profile and contact changes.

Every write goes through these services (pages and the API call the same ones). Each step leaves a
trace: the legal event chain for sign-up, verification, resets and contact changes; the notification
log for every code sent; row history (pghistory) for every change of the account row.
"""

import re
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from egov.accounts.codes import code_consume, code_get, code_issue, code_resend
from egov.accounts.models import CodePurpose, Gender, OneTimeCode, User
from egov.accounts.privacy import PRIVACY_NOTICE_VERSION
from egov.accounts.roles import Role
from egov.accounts.services import user_create, user_password_change
from egov.accounts.validators import normalize_national_id, normalize_phone, validate_mobile_phone, validate_national_id
from egov.audit.services import legal_event_record
from egov.core.errors import ApplicationError
from egov.core.text import parse_uuid, xml_safe

CONTACT_FIELDS = ("national_id", "phone", "email")
CONSENT_REQUIRED = gettext_noop("Vui lòng đọc và đồng ý với Thông báo xử lý dữ liệu cá nhân để đăng ký tài khoản.")


def citizen_username(national_id: str) -> str:
    return f"citizen_{national_id}"


def is_pending_signup(user: User) -> bool:
    """A sign-up never confirmed by its code: it proves nothing, so a new sign-up may take its place."""
    return (not user.is_active and user.verified_at is None and user.last_login is None and user.has_role(Role.CITIZEN)
            # created by the sign-up form, not an account an administrator made and switched off
            and user.one_time_codes.filter(purpose=CodePurpose.SIGNUP).exists())


def _throttle(*, purpose: CodePurpose, ip: str | None, limit: int) -> None:
    # Counted in the database (not the cache) so the limit holds across web processes and restarts.
    if ip is None:
        return
    since = timezone.now() - timedelta(hours=1)
    if OneTimeCode.objects.filter(purpose=purpose, ip=ip, created_at__gte=since).count() >= limit:
        raise ApplicationError("too_many_requests", _("Có quá nhiều yêu cầu từ địa chỉ mạng này. Vui lòng thử lại sau một giờ."),
                               status=429, retry_after=3600)


def _messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _one_line(text) -> str:
    # Name and address are printed on forms and written into XML documents (edXML, spreadsheets): a control
    # character (a pasted BEL, Word's line break) would make those unreadable, and a line break has no place here.
    return " ".join(xml_safe(text).split())


def _normalize_contacts(*, national_id: str = "", phone: str = "", email: str = "") -> dict:
    return {"national_id": normalize_national_id(national_id), "phone": normalize_phone(phone or ""),
            "email": (email or "").strip().lower()}


def _validate_contacts(values: dict, *, required: tuple[str, ...]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    # A citizen's own phone receives the one-time codes: mobile only (staff and agency phones may be landlines).
    checks = {"national_id": validate_national_id, "phone": validate_mobile_phone, "email": validate_email}
    for name, check in checks.items():
        value = values.get(name, "")
        if not value:
            if name in required:
                errors[name] = [_("Vui lòng nhập thông tin này.")]
            continue
        try:
            check(value)
        except ValidationError as exc:
            errors[name] = [_("Địa chỉ thư điện tử không hợp lệ.")] if name == "email" else _messages(exc)
    return errors


# Marked for makemessages (they are translated where used, in the visitor's language): a plain dict of
# strings is not extracted, and `_(TAKEN_MESSAGES[name])` then found no translation.
TAKEN_MESSAGES = {
    "national_id": gettext_noop("Số định danh cá nhân này đã có tài khoản. Hãy đăng nhập, hoặc dùng chức năng quên "
                                "mật khẩu."),
    "phone": gettext_noop("Số điện thoại này đã được dùng cho một tài khoản khác."),
    "email": gettext_noop("Thư điện tử này đã được dùng cho một tài khoản khác."),
}


def _holders(values: dict, *, exclude: User | None = None) -> dict[str, User]:
    """Which existing account holds each given identifier (the columns are unique: at most one each)."""
    q = Q()
    for name in CONTACT_FIELDS:
        if values.get(name):
            q |= Q(**{f"{name}__iexact" if name == "email" else name: values[name]})
    if not q:
        return {}
    users = User.objects.filter(q).prefetch_related("groups")
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    found = {}
    for user in users:
        for name in CONTACT_FIELDS:
            mine = (getattr(user, name) or "").lower()
            if values.get(name) and mine == values[name].lower():
                found[name] = user
    return found


def _password_errors(password: str, user: User) -> list[str]:
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        return _messages(exc)
    return []


def citizen_signup(*, full_name: str, national_id: str, phone: str, email: str = "", password: str,
                   privacy_consent: bool, ip: str | None) -> OneTimeCode:
    """Create an inactive citizen account and send the code that activates it (SMS, and e-mail if given).

    The citizen must agree to the personal-data processing notice (Law on Personal Data Protection
    91/2025/QH15): the account keeps when, and to which version of the notice.

    A pending sign-up (never verified) holding the same ID number, phone or e-mail is taken over rather
    than blocking the citizen: it proved nothing, and someone may have typed another person's number.
    """
    _throttle(purpose=CodePurpose.SIGNUP, ip=ip, limit=settings.EGOV_SIGNUP_PER_IP_PER_HOUR)
    full_name = _one_line(full_name)
    values = _normalize_contacts(national_id=national_id, phone=phone, email=email)
    errors = _validate_contacts(values, required=("national_id", "phone"))
    if not full_name:
        errors["full_name"] = [_("Vui lòng nhập họ và tên.")]
    holders = _holders(values)
    for name, holder in holders.items():
        if not is_pending_signup(holder):
            errors.setdefault(name, []).append(_(TAKEN_MESSAGES[name]))
    probe = User(full_name=full_name, email=values["email"] or None, phone=values["phone"],
                 national_id=values["national_id"], username=citizen_username(values["national_id"]))
    if password_errors := _password_errors(password, probe):
        errors["password"] = password_errors
    if privacy_consent is not True:
        errors["privacy_consent"] = [_(CONSENT_REQUIRED)]
    if errors:
        raise ApplicationError("invalid_signup", _("Thông tin đăng ký chưa hợp lệ, vui lòng kiểm tra lại."), fields=errors)
    try:
        with transaction.atomic():
            user = _signup_account(full_name=full_name, values=values, password=password, pending=set(holders.values()))
            otc = code_issue(purpose=CodePurpose.SIGNUP, user=user, channel="sms", target=user.phone, ip=ip,
                             also_email=user.email or "")
            legal_event_record(action="account.signup", obj=user, actor=user, ip=ip,
                               data={"code_flow": str(otc.public_id), "took_over_pending": bool(holders),
                                     "privacy_notice_version": user.privacy_notice_version})
    except IntegrityError as exc:
        # Two sign-ups with the same number at the same moment: the second is told, not given a 500.
        raise ApplicationError("invalid_signup", _("Thông tin đăng ký chưa hợp lệ, vui lòng kiểm tra lại."),
                               fields={"national_id": [_(TAKEN_MESSAGES["national_id"])]}) from exc
    return otc


def _signup_account(*, full_name: str, values: dict, password: str, pending: set[User]) -> User:
    # Only the pending sign-up with this ID number becomes the account; others just give up what collides.
    reuse = next((u for u in pending if u.national_id == values["national_id"]), None)
    for other in pending - {reuse}:
        # Another pending sign-up holds one of the identifiers: release it there (it stays pending, unusable).
        released = [n for n in CONTACT_FIELDS if values.get(n) and (getattr(other, n) or "").lower() == values[n].lower()]
        for name in released:
            setattr(other, name, None)
        other.save(update_fields=released)
    consent = {"privacy_consent_at": timezone.now(), "privacy_notice_version": PRIVACY_NOTICE_VERSION}
    if reuse is None:
        return user_create(username=citizen_username(values["national_id"]), full_name=full_name, password=password,
                           roles=[Role.CITIZEN], national_id=values["national_id"], phone=values["phone"],
                           email=values["email"] or None, is_active=False, **consent)
    for name, value in consent.items():
        setattr(reuse, name, value)
    reuse.username = citizen_username(values["national_id"])
    reuse.full_name = full_name
    reuse.national_id, reuse.phone, reuse.email = values["national_id"], values["phone"], values["email"] or None
    reuse.set_password(password)
    reuse.save(update_fields=["username", "full_name", "national_id", "phone", "email", "password", *consent])
    return reuse


def citizen_signup_resend(*, public_id) -> OneTimeCode:
    otc = code_get(public_id=public_id, purpose=CodePurpose.SIGNUP)
    return code_resend(public_id=public_id, purpose=CodePurpose.SIGNUP, also_email=(otc.user.email or "") if otc.user else "")


def citizen_signup_verify(*, public_id, code: str, ip: str | None) -> User:
    """The right code activates the account (the caller then signs the citizen in)."""
    otc = code_consume(public_id=public_id, code=code, purpose=CodePurpose.SIGNUP)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=otc.user_id)
        if user.is_active:
            return user
        user.is_active = True
        user.verified_at = timezone.now()
        user.save(update_fields=["is_active", "verified_at"])
        legal_event_record(action="account.verify", obj=user, actor=user, ip=ip,
                           data={"channel": otc.channel, "code_flow": str(otc.public_id)})
    return user


# --- password reset -----------------------------------------------------------------------------

def _account_for_identifier(identifier: str) -> User | None:
    from egov.accounts.backends import user_lookup_q

    identifier = (identifier or "").strip()
    if not (re.fullmatch(r"\d{12}", identifier) or "@" in identifier or re.fullmatch(r"0\d{9,10}", normalize_phone(identifier))):
        return None  # staff reset through their agency's administrator, not by a username typed here
    users = list(User.objects.filter(user_lookup_q(identifier), is_active=True).distinct()[:2])
    return users[0] if len(users) == 1 else None


def password_reset_request(*, identifier: str, ip: str | None) -> OneTimeCode:
    """Send a code to the phone (else the e-mail) on file. The answer never says whether an account exists."""
    _throttle(purpose=CodePurpose.PASSWORD_RESET, ip=ip, limit=settings.EGOV_PASSWORD_RESET_PER_IP_PER_HOUR)
    user = _account_for_identifier(identifier)
    if user is not None:
        recent = OneTimeCode.objects.filter(user=user, purpose=CodePurpose.PASSWORD_RESET,
                                            created_at__gte=timezone.now() - timedelta(hours=1)).count()
        if recent >= settings.EGOV_PASSWORD_RESET_PER_ACCOUNT_PER_HOUR:
            # Someone is flooding this citizen's phone: stop sending, answer as usual.
            user = None
    channel, target = ("sms", user.phone) if user is not None and user.phone else ("email", user.email if user else "")
    with transaction.atomic():
        otc = code_issue(purpose=CodePurpose.PASSWORD_RESET, user=user, channel=channel, target=target or "", ip=ip)
        legal_event_record(action="account.password_reset_request", obj=otc, actor=user, ip=ip,
                           data={"account_found": user is not None})
    return otc


def password_reset_resend(*, public_id) -> OneTimeCode:
    return code_resend(public_id=public_id, purpose=CodePurpose.PASSWORD_RESET)


def password_reset_complete(*, public_id, code: str, new_password: str, ip: str | None) -> User:
    """Check the code, set the password, lift any sign-in lockout on the account, tell the citizen."""
    otc = code_get(public_id=public_id, purpose=CodePurpose.PASSWORD_RESET)
    if otc.user is not None and (errors := _password_errors(new_password, otc.user)):
        raise ApplicationError("invalid_password", _("Mật khẩu mới chưa hợp lệ."), fields={"new_password": errors})
    otc = code_consume(public_id=public_id, code=code, purpose=CodePurpose.PASSWORD_RESET)
    user = otc.user
    with transaction.atomic():
        user_password_change(user=user, new_password=new_password, ip=ip)
        legal_event_record(action="account.password_reset", obj=user, actor=user, ip=ip,
                           data={"channel": otc.channel, "code_flow": str(otc.public_id)})
    _axes_unlock(user)
    return user


def _axes_unlock(user: User) -> None:
    # Proving the phone or e-mail is stronger than the password the lockout protects: lift the locks on
    # every identifier the citizen may have typed, from every address.
    from axes.models import AccessAttempt

    from egov.accounts.backends import axes_usernames_of

    AccessAttempt.objects.filter(username__in=axes_usernames_of(user)).delete()


# --- profile ------------------------------------------------------------------------------------

PROFILE_FIELDS = ("full_name", "address", "birth_date", "gender")


@transaction.atomic
def citizen_profile_update(*, user: User, ip: str | None = None, **changes) -> User:
    """Change the name, address, date of birth or gender (not the ID number, phone or e-mail)."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ApplicationError("invalid_profile", _("Không thể sửa các thông tin này tại đây."),
                               fields={name: [_("Không thể sửa thông tin này.")] for name in sorted(unknown)})
    errors: dict[str, list[str]] = {}
    if "full_name" in changes:
        changes["full_name"] = _one_line(changes["full_name"])
        if not changes["full_name"]:
            errors["full_name"] = [_("Vui lòng nhập họ và tên.")]
    if "address" in changes:
        changes["address"] = _one_line(changes["address"])
    if "gender" in changes and (changes["gender"] or "") not in {"", *Gender.values}:
        errors["gender"] = [_("Giới tính không hợp lệ.")]
    if changes.get("birth_date") and (not isinstance(changes["birth_date"], date) or changes["birth_date"] > timezone.localdate()
                                      or changes["birth_date"].year < 1900):
        errors["birth_date"] = [_("Ngày sinh không hợp lệ.")]
    if errors:
        raise ApplicationError("invalid_profile", _("Thông tin cá nhân chưa hợp lệ, vui lòng kiểm tra lại."), fields=errors)
    changes = {name: value or (None if name == "birth_date" else "") for name, value in changes.items()}
    changed = [name for name, value in changes.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, changes[name])
    if changed:
        user.save(update_fields=changed)
        legal_event_record(action="account.profile_update", obj=user, actor=user, ip=ip, data={"fields": sorted(changed)})
    return user


CONTACT_PURPOSES = {"phone": CodePurpose.PHONE_CHANGE, "email": CodePurpose.EMAIL_CHANGE}


def contact_change_request(*, user: User, field: str, value: str, ip: str | None) -> OneTimeCode:
    """Send a code to the NEW phone or e-mail; the change happens only when that code comes back."""
    if field not in CONTACT_PURPOSES:
        raise ApplicationError("invalid_field", _("Chỉ đổi được số điện thoại hoặc thư điện tử."))
    values = _normalize_contacts(**{field: value})
    errors = _validate_contacts(values, required=(field,))
    if not errors:
        if values[field].lower() == (getattr(user, field) or "").lower():
            errors[field] = [_("Đây là thông tin hiện tại của bạn.")]
        elif (holder := _holders(values, exclude=user).get(field)) is not None and not is_pending_signup(holder):
            errors[field] = [_(TAKEN_MESSAGES[field])]
    if errors:
        raise ApplicationError("invalid_contact", _("Thông tin mới chưa hợp lệ."), fields={"value": errors[field]})
    since = timezone.now() - timedelta(hours=1)
    if OneTimeCode.objects.filter(user=user, purpose=CONTACT_PURPOSES[field], created_at__gte=since).count() >= 5:
        raise ApplicationError("too_many_requests", _("Bạn đã yêu cầu đổi quá nhiều lần. Vui lòng thử lại sau một giờ."),
                               status=429, retry_after=3600)
    with transaction.atomic():
        otc = code_issue(purpose=CONTACT_PURPOSES[field], user=user, channel="sms" if field == "phone" else "email",
                         target=values[field], ip=ip)
        legal_event_record(action="account.contact_change_request", obj=user, actor=user, ip=ip,
                           data={"field": field, "code_flow": str(otc.public_id)})
    return otc


def contact_change_resend(*, user: User, public_id) -> OneTimeCode:
    otc = code_get(public_id=public_id, purpose=_purpose_of(public_id), user=user)
    return code_resend(public_id=otc.public_id, purpose=otc.purpose, user=user)


def _purpose_of(public_id) -> str:
    otc = OneTimeCode.objects.filter(public_id=public_id, purpose__in=CONTACT_PURPOSES.values()).only("purpose").first() \
        if parse_uuid(public_id) is not None else None
    return otc.purpose if otc else CodePurpose.PHONE_CHANGE


def contact_change_confirm(*, user: User, public_id, code: str, ip: str | None) -> User:
    purpose = _purpose_of(public_id)
    field = "phone" if purpose == CodePurpose.PHONE_CHANGE else "email"
    otc = code_get(public_id=public_id, purpose=purpose, user=user)
    holder = _holders({field: otc.target}, exclude=user).get(field)
    if holder is not None and not is_pending_signup(holder):
        # Taken while the code travelled: refuse before the code is spent.
        raise ApplicationError("contact_taken", _(TAKEN_MESSAGES[field]), fields={"code": [_(TAKEN_MESSAGES[field])]}, status=409)
    otc = code_consume(public_id=public_id, code=code, purpose=purpose, user=user)
    with transaction.atomic():
        if holder is not None:
            setattr(holder, field, None)
            holder.save(update_fields=[field])
        user = User.objects.select_for_update().get(pk=user.pk)
        old = getattr(user, field)
        setattr(user, field, otc.target)
        user.verified_at = user.verified_at or timezone.now()
        user.save(update_fields=[field, "verified_at"])
        legal_event_record(action="account.contact_change", obj=user, actor=user, ip=ip,
                           data={"field": field, "from": old or "", "to": otc.target})
    return user
