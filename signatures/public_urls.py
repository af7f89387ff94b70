"""Public verification pages, mounted by the root urlconf at /xac-thuc-chu-ky/."""

from django.urls import path, re_path

from signatures import public_views

app_name = "verification"

urlpatterns = [
    path("", public_views.verify, name="verify"),
    # The QR code on a signed result carries the SHA-256 of the signed file.
    re_path(r"^(?P<sha256>[0-9a-fA-F]{64})/$", public_views.verify_signed_copy, name="signed_copy"),
]
