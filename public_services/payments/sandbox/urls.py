"""The sandbox payment gateway, mounted at /thanh-toan/cong-thu-nghiem/ (404 unless enabled)."""

from django.urls import path

from public_services.payments.sandbox import views

# Inside the "payments" namespace of the parent urlconf: payments:sandbox_pay.
urlpatterns = [
    path("", views.pay, name="sandbox_pay"),
]
