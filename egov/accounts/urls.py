from django.contrib.auth import views as auth_views
from django.urls import path

from egov.accounts import views

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(
        template_name="accounts/password_change_done.html"), name="password_change_done"),
    path("xac-thuc-hai-lop/", views.otp_verify, name="otp_verify"),
    path("xac-thuc-hai-lop/dang-ky/", views.otp_setup, name="otp_setup"),
]
