from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """Online fee payment: the provider interface, the VNPay-style redirect protocol, the sandbox gateway."""

    name = "public_services.payments"
    label = "payments"
    verbose_name = _("Thanh toán trực tuyến")

    def ready(self):
        from public_services.payments import checks  # noqa: F401  (registers the system checks)
