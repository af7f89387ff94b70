from django.contrib.auth import views as auth_views
from django.urls import path

from egov.accounts import oidc, views

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(
        template_name="accounts/password_change_done.html"), name="password_change_done"),
    path("xac-thuc-hai-lop/", views.otp_verify, name="otp_verify"),
    path("xac-thuc-hai-lop/dang-ky/", views.otp_setup, name="otp_setup"),
    path("xac-thuc-hai-lop/ma-du-phong/", views.otp_backup_codes, name="otp_backup_codes"),
    path("dang-ky/", views.signup, name="signup"),
    path("dang-ky/xac-nhan/", views.signup_verify, name="signup_verify"),
    path("quen-mat-khau/", views.password_reset, name="password_reset"),
    path("quen-mat-khau/dat-lai/", views.password_reset_confirm, name="password_reset_confirm"),
    path("ho-so-ca-nhan/", views.profile, name="profile"),
    path("ho-so-ca-nhan/xac-nhan/", views.contact_verify, name="contact_verify"),
    path("thong-bao-xu-ly-du-lieu-ca-nhan/", views.privacy_notice, name="privacy_notice"),
    path("dong-y-xu-ly-du-lieu-ca-nhan/", views.privacy_consent, name="privacy_consent"),
    path("du-lieu-ca-nhan/", views.personal_data, name="personal_data"),
    # OpenID Connect (VNeID): answer 404 unless OIDC_ENABLED.
    path("dinh-danh-dien-tu/", oidc.OIDCStartView.as_view(), name="oidc_start"),
    path("dinh-danh-dien-tu/callback/", oidc.OIDCCallbackView.as_view(), name="oidc_callback"),
]
