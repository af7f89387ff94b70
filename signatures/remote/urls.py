"""Remote signing URLs, mounted at dich-vu-ky-so-tu-xa/: the service's notifications, and the stand-in."""

from django.urls import include, path

from signatures.remote import views

urlpatterns = [
    path("thong-bao/", views.remote_notified, name="remote_signing_notified"),
    path("", include("signatures.remote.standin_urls")),
]
