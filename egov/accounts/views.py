from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts.citizens import (
    citizen_profile_update,
    citizen_signup,
    citizen_signup_resend,
    citizen_signup_verify,
    contact_change_confirm,
    contact_change_request,
    contact_change_resend,
    password_reset_complete,
    password_reset_request,
    password_reset_resend,
)
from egov.accounts.codes import resend_wait_seconds
from egov.accounts.forms import (
    CodeForm,
    ContactChangeForm,
    IdentifierLoginForm,
    LanguageForm,
    OTPTokenForm,
    OTPVerifyForm,
    PasswordResetConfirmForm,
    PasswordResetRequestForm,
    PrivacyConsentForm,
    ProfileForm,
    SignupForm,
)
from egov.accounts.models import OneTimeCode
from egov.accounts.privacy import PRIVACY_NOTICE_VERSION, privacy_consent_current, privacy_consent_record
from egov.accounts.services import user_language_set, user_password_change
from egov.audit.middleware import client_ip
from egov.core.errors import ApplicationError
from egov.core.qr import qr_svg
from egov.core.text import parse_uuid


def _has_authenticator(user) -> bool:
    """Whether the user has a confirmed authenticator app: read with the signed-in user (no query of its own),
    else (a user loaded another way) asked."""
    devices = getattr(user, "confirmed_otp_devices", None)
    if devices is None:
        return user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return any(device.startswith("otp_totp.") for device in devices)


class PasswordChangeView(auth_views.PasswordChangeView):
    """A staff member's own account page (their name in the staff menu): the password, and the way to the
    second factor's backup codes."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "has_authenticator": _has_authenticator(self.request.user)}

    def form_valid(self, form):
        user_password_change(user=form.user, new_password=form.cleaned_data["new_password1"], ip=client_ip(self.request))
        update_session_auth_hash(self.request, form.user)
        return redirect(self.get_success_url())


class LoginView(auth_views.LoginView):
    form_class = IdentifierLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "oidc_enabled": settings.OIDC_ENABLED,
                "oidc_provider_name": settings.OIDC_PROVIDER_NAME}

    def get_default_redirect_url(self):
        return _landing(self.request.user)


def _landing(user) -> str:
    """Where a sign-in with no `next` ends: staff at their workspace (their inboxes), everyone else at the portal's
    home (LOGIN_REDIRECT_URL). Staff landed on the public home page and had to find "Làm việc" in the menu."""
    if user.is_authenticated and user.is_agency_staff:
        return reverse("workspace")
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _next_url(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _code_wait(devices) -> str:
    """Empty when a code may be tried now; else why not: after wrong codes django-otp refuses any code, the right one
    too, for a growing while — saying "wrong code" then sent people retyping a right one."""
    waits = []
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if not allowed:
            locked_until = (data or {}).get("locked_until")
            waits.append(max(1, int((locked_until - timezone.now()).total_seconds()) + 1) if locked_until else 60)
    if waits and len(waits) == len(devices):
        return _("Đã nhập sai nhiều lần: thử lại sau %(s)s giây.") % {"s": min(waits)}
    return ""


WRONG_CODE = _lazy("Mã xác thực không đúng hoặc đã hết hạn.")


@login_required
def otp_verify(request):
    from django_otp import devices_for_user

    form = OTPVerifyForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if wait := _code_wait(list(devices_for_user(request.user, confirmed=True))):
            form.add_error("token", wait)
        elif (device := match_token(request.user, form.cleaned_data["token"])) is not None:
            otp_login(request, device)
            return redirect(_next_url(request, _landing(request.user)))
        else:
            form.add_error("token", WRONG_CODE)
        status = 400
    elif request.method == "POST":
        status = 400
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request, "")}, status=status)


@login_required
def otp_setup(request):
    """Enrol an authenticator app: show the secret as a QR code, confirm with the first code.

    Someone who already has a confirmed app and has not given its code in this session goes to give it first:
    enrolling a new app would otherwise let a password alone through the second factor."""
    from django_otp import devices_for_user

    if not request.user.is_verified() and any(True for _device in devices_for_user(request.user, confirmed=True)):
        from urllib.parse import urlencode

        return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': _next_url(request, _landing(request.user))})}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=_("Ứng dụng xác thực"), confirmed=False)
    form = OTPTokenForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if wait := _code_wait([device]):
            form.add_error("token", wait)
        elif device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Đã bật xác thực hai lớp. Nên tạo mã dự phòng (bấm tên của bạn ở đầu trang → "
                                        "Mã dự phòng) để vẫn đăng nhập được khi mất điện thoại."))
            return redirect(_next_url(request, _landing(request.user)))
        else:
            form.add_error("token", WRONG_CODE)
        status = 400
    elif request.method == "POST":
        status = 400
    return render(request, "accounts/otp_setup.html", {
        "form": form, "qr_svg": qr_svg(device.config_url), "secret": device.config_url.split("secret=")[1].split("&")[0],
        "next": _next_url(request, ""),
    }, status=status)


@login_required
@never_cache
def otp_backup_codes(request):
    """Backup codes for the second factor: how many are left, and a new set on request — shown once, in the
    answer to the POST (never stored for showing again). Only past the second factor in this session."""
    from django_otp.plugins.otp_static.models import StaticToken

    from egov.accounts.services import user_backup_codes_create

    if not _has_authenticator(request.user):  # a citizen who never enrolled an app: nothing to back up
        messages.error(request, _("Hãy bật xác thực hai lớp bằng ứng dụng tạo mã trước."))
        return redirect("accounts:profile")
    if not request.user.is_verified():
        return redirect(f"{reverse('accounts:otp_verify')}?next={reverse('accounts:otp_backup_codes')}")
    codes, status = None, 200
    if request.method == "POST":
        try:
            codes = user_backup_codes_create(user=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            status = 400
    left = StaticToken.objects.filter(device__user=request.user, device__confirmed=True).count()
    return render(request, "accounts/otp_backup_codes.html", {"codes": codes, "left": left}, status=status)


# --- citizens: sign-up, password reset, profile ---------------------------------------------------

SIGNUP_FLOW, RESET_FLOW, CONTACT_FLOW = "accounts_signup_flow", "accounts_reset_flow", "accounts_contact_flow"


def _show_errors(form, exc: ApplicationError, rename: dict | None = None) -> int:
    """Put a service's refusal on the form, each message on its field; the status to answer with."""
    rename = rename or {}
    placed = False
    for name, field_messages in exc.fields.items():
        target = rename.get(name, name)
        for message in field_messages:
            form.add_error(target if target in form.fields else None, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)
    return 429 if exc.status == 429 else 200


def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            otc = citizen_signup(full_name=data["full_name"], national_id=data["national_id"], phone=data["phone"],
                                 email=data["email"], password=data["password1"], privacy_consent=data["privacy_consent"],
                                 ip=client_ip(request))
        except ApplicationError as exc:
            status = _show_errors(form, exc, {"password": "password1"})
        else:
            request.session[SIGNUP_FLOW] = str(otc.public_id)
            return redirect("accounts:signup_verify")
    return render(request, "accounts/signup.html", {"form": form}, status=status)


def _code_page(request, *, flow_key: str, verify, resend, context: dict, form_class=CodeForm, success):
    """The page shared by every "enter the code we sent" step: check, or re-send after the cool-down."""
    public_id = request.session.get(flow_key)
    if not public_id:
        return redirect(context["restart_url"])
    form = form_class(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "resend":
                resend(public_id)
                messages.success(request, _("Đã gửi lại mã xác thực."))
                return redirect(request.path)
            if form.is_valid():
                result = verify(public_id, form.cleaned_data)
                request.session.pop(flow_key, None)
                return success(result)
        except ApplicationError as exc:
            status = _show_errors(form, exc, context.get("rename"))
    try:
        otc = OneTimeCode.objects.get(public_id=public_id)
    except OneTimeCode.DoesNotExist:
        request.session.pop(flow_key, None)
        return redirect(context["restart_url"])
    return render(request, "accounts/code_verify.html", {
        **context, "form": form, "resend_wait": resend_wait_seconds(otc), "minutes": settings.EGOV_CODE_TTL_MINUTES,
    }, status=status)


def signup_verify(request):
    def verify(public_id, data):
        return citizen_signup_verify(public_id=public_id, code=data["code"], ip=client_ip(request))

    def success(user):
        login(request, user, backend="egov.accounts.backends.IdentifierBackend")
        messages.success(request, _("Tài khoản đã được kích hoạt. Bạn có thể bổ sung thông tin cá nhân "
                                    "để điền sẵn vào các biểu mẫu."))
        return redirect("accounts:profile")

    return _code_page(request, flow_key=SIGNUP_FLOW, verify=verify, success=success,
                      resend=lambda public_id: citizen_signup_resend(public_id=public_id), context={
                          "title": _("Xác nhận đăng ký"), "restart_url": reverse("accounts:signup"),
                          "intro": _("Chúng tôi đã gửi mã xác thực 6 chữ số tới số điện thoại (và thư điện tử, nếu có) bạn "
                                     "vừa đăng ký. Nhập mã để kích hoạt tài khoản."),
                          "submit": _("Kích hoạt tài khoản")})


def password_reset(request):
    form = PasswordResetRequestForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            otc = password_reset_request(identifier=form.cleaned_data["identifier"], ip=client_ip(request))
        except ApplicationError as exc:
            status = _show_errors(form, exc)
        else:
            request.session[RESET_FLOW] = str(otc.public_id)
            return redirect("accounts:password_reset_confirm")
    return render(request, "accounts/password_reset.html", {"form": form}, status=status)


def password_reset_confirm(request):
    def verify(public_id, data):
        return password_reset_complete(public_id=public_id, code=data["code"], new_password=data["new_password1"],
                                       ip=client_ip(request))

    def success(user):
        messages.success(request, _("Đã đặt lại mật khẩu. Hãy đăng nhập bằng mật khẩu mới."))
        return redirect("accounts:login")

    return _code_page(request, flow_key=RESET_FLOW, verify=verify, success=success, form_class=PasswordResetConfirmForm,
                      resend=lambda public_id: password_reset_resend(public_id=public_id), context={
                          "title": _("Đặt lại mật khẩu"), "restart_url": reverse("accounts:password_reset"),
                          "rename": {"new_password": "new_password1"},
                          "intro": _("Nếu thông tin bạn nhập khớp với một tài khoản, mã xác thực đã được gửi tới số điện thoại "
                                     "hoặc thư điện tử đã đăng ký. Nhập mã và mật khẩu mới."),
                          "submit": _("Đặt lại mật khẩu")})


@login_required
def profile(request):
    user = request.user
    action = request.POST.get("action") if request.method == "POST" else None
    initial = {"full_name": user.full_name, "birth_date": user.birth_date, "gender": user.gender, "address": user.address}
    profile_form = ProfileForm(request.POST if action == "profile" else None, initial=initial)
    language_form = LanguageForm(request.POST if action == "language" else None,
                                 initial={"language": user.language or settings.LANGUAGE_CODE})
    contact_forms = {field: ContactChangeForm(request.POST if action == field else None, field=field)
                     for field in ("phone", "email")}
    status = 200
    if action == "profile" and profile_form.is_valid():
        try:
            citizen_profile_update(user=user, ip=client_ip(request), **profile_form.cleaned_data)
        except ApplicationError as exc:
            status = _show_errors(profile_form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin cá nhân."))
            return redirect("accounts:profile")
    elif action == "language" and language_form.is_valid():
        user_language_set(user=user, language=language_form.cleaned_data["language"])
        messages.success(request, _("Đã lưu ngôn ngữ nhận thông báo."))
        return redirect("accounts:profile")
    elif action == "language":
        status = 400  # a language the portal does not offer
    elif action in contact_forms and contact_forms[action].is_valid():
        try:
            otc = contact_change_request(user=user, field=action, value=contact_forms[action].cleaned_data["value"],
                                         ip=client_ip(request))
        except ApplicationError as exc:
            status = _show_errors(contact_forms[action], exc)
        else:
            request.session[CONTACT_FLOW] = str(otc.public_id)
            return redirect("accounts:contact_verify")
    return render(request, "accounts/profile.html", {
        "profile_form": profile_form, "phone_form": contact_forms["phone"], "email_form": contact_forms["email"],
        "language_form": language_form,
        "has_authenticator": _has_authenticator(user), "privacy_consent_current": privacy_consent_current(user),
    }, status=status)


@login_required
def contact_verify(request):
    def verify(public_id, data):
        return contact_change_confirm(user=request.user, public_id=public_id, code=data["code"], ip=client_ip(request))

    def success(user):
        messages.success(request, _("Đã cập nhật thông tin liên hệ."))
        return redirect("accounts:profile")

    return _code_page(request, flow_key=CONTACT_FLOW, verify=verify, success=success,
                      resend=lambda public_id: contact_change_resend(user=request.user, public_id=public_id), context={
                          "title": _("Xác nhận thông tin liên hệ mới"), "restart_url": reverse("accounts:profile"),
                          "intro": _("Chúng tôi đã gửi mã xác thực tới số điện thoại hoặc thư điện tử mới. Nhập mã để xác nhận."),
                          "submit": _("Xác nhận")})


# --- personal data (Law on Personal Data Protection 91/2025/QH15) ----------------------------------

def privacy_notice(request):
    """The personal-data processing notice: public, linked from the footer and the sign-up form."""
    return render(request, "accounts/privacy_notice.html", {
        "notice_version": PRIVACY_NOTICE_VERSION, "contact": settings.EGOV_DATA_PROTECTION_CONTACT,
    })


@login_required
def privacy_consent(request):
    """Ask a citizen who has not agreed to the current notice (a VNeID account, an account older than the notice)."""
    user = request.user
    if not user.is_citizen:
        raise Http404
    if privacy_consent_current(user):
        return redirect(_next_url(request, "accounts:profile"))
    form = PrivacyConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        privacy_consent_record(user=user, ip=client_ip(request))
        messages.success(request, _("Đã ghi nhận bạn đồng ý với Thông báo xử lý dữ liệu cá nhân."))
        return redirect(_next_url(request, "accounts:profile"))
    return render(request, "accounts/privacy_consent.html", {"form": form, "next": _next_url(request, "")},
                  status=400 if request.method == "POST" else 200)


@login_required
def personal_data(request):
    """The citizen's rights over their data in one place: consent (withdraw, give again), a copy, and requests to the
    operator (correct, delete, restrict, object) with their answers."""
    from egov.accounts.data_requests import personal_data_request_cancel, personal_data_request_submit
    from egov.accounts.erasure import account_open_dossier_codes
    from egov.accounts.forms import AccountEraseForm, ConsentWithdrawForm, DataRequestForm
    from egov.accounts.models import PersonalDataRequest
    from egov.accounts.privacy import privacy_consent_withdraw
    from egov.accounts.selectors import personal_data_requests_for

    user = request.user
    if not user.is_citizen:
        raise Http404  # staff's data are their agency's records, handled by their administrator
    action = request.POST.get("action") if request.method == "POST" else None
    withdraw_form = ConsentWithdrawForm(request.POST if action == "withdraw" else None)
    request_form = DataRequestForm(request.POST if action == "request" else None)
    erase_form = AccountEraseForm(request.POST if action == "erase" else None, request=request)
    status = 200
    if action == "withdraw" and withdraw_form.is_valid():
        try:
            privacy_consent_withdraw(user=user, ip=client_ip(request))
        except ApplicationError as exc:
            _show_errors(withdraw_form, exc)
            status = exc.status
        else:
            messages.success(request, _("Đã rút lại sự đồng ý xử lý dữ liệu cá nhân."))
            return redirect("accounts:personal_data")
    elif action == "request" and request_form.is_valid():
        try:
            sent = personal_data_request_submit(user=user, kind=request_form.cleaned_data["kind"],
                                                details=request_form.cleaned_data["details"], ip=client_ip(request))
        except ApplicationError as exc:
            _show_errors(request_form, exc)
            status = exc.status
        else:
            messages.success(request, _("Đã gửi yêu cầu %(code)s. Hạn phản hồi: %(respond)s.") % {
                "code": sent.code, "respond": timezone.localtime(sent.respond_due_at).strftime("%H:%M %d/%m/%Y")})
            return redirect("accounts:personal_data")
    elif action == "cancel":
        found = PersonalDataRequest.objects.filter(user=user, public_id=parse_uuid(request.POST.get("request"))).first()
        if found is None:
            raise Http404
        try:
            personal_data_request_cancel(request=found, by=user, ip=client_ip(request))
        except ApplicationError as exc:
            messages.error(request, exc.message)
            status = exc.status
        else:
            messages.success(request, _("Đã hủy yêu cầu %(code)s.") % {"code": found.code})
            return redirect("accounts:personal_data")
    elif action == "erase" and erase_form.is_valid():
        from django.contrib.auth import logout

        from egov.accounts.erasure import account_erase

        try:
            account_erase(user=user, by=user, ip=client_ip(request))
        except ApplicationError as exc:
            _show_errors(erase_form, exc)
            status = exc.status
        else:
            logout(request)
            messages.success(request, _("Tài khoản của bạn đã được xóa. Cảm ơn bạn đã sử dụng Cổng dịch vụ công."))
            return redirect("home")
    elif action in ("withdraw", "request", "erase"):
        status = 400
    elif action is not None:
        status = 400
        messages.error(request, _("Thao tác không hợp lệ."))
    return render(request, "accounts/personal_data.html", {
        "withdraw_form": withdraw_form, "request_form": request_form, "erase_form": erase_form,
        "open_dossier_codes": account_open_dossier_codes(user),
        "data_requests": personal_data_requests_for(user=user), "consent_current": privacy_consent_current(user),
        "contact": settings.EGOV_DATA_PROTECTION_CONTACT, "respond_days": settings.EGOV_PERSONAL_DATA_RESPONSE_WORKING_DAYS,
        "request_days": settings.EGOV_PERSONAL_DATA_REQUEST_DAYS,
    }, status=status)
