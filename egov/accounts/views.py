
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts.forms import IdentifierLoginForm, OTPTokenForm
from egov.accounts.services import user_password_change
from egov.audit.middleware import client_ip
from egov.core.qr import qr_svg


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        user_password_change(user=form.user, new_password=form.cleaned_data["new_password1"], ip=client_ip(self.request))
        update_session_auth_hash(self.request, form.user)
        return redirect(self.get_success_url())


class LoginView(auth_views.LoginView):
    form_class = IdentifierLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def _next_url(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@login_required
def otp_verify(request):
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request, "")})


@login_required
def otp_setup(request):
    """Enrol an authenticator app: show the secret as a QR code, confirm with the first code."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=_("Ứng dụng xác thực"), confirmed=False)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Đã bật xác thực hai lớp."))
            return redirect(_next_url(request))
        form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn."))
    return render(request, "accounts/otp_setup.html", {
        "form": form, "qr_svg": qr_svg(device.config_url), "secret": device.config_url.split("secret=")[1].split("&")[0],
        "next": _next_url(request, ""),
    })
