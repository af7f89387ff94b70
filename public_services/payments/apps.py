from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """Online fee payment: the provider interface, the VNPay-style redirect protocol, the sandbox gateway."""

    name = "public_services.payments"
    label = "payments"
    verbose_name = _("Thanh toán trực tuyến")

    def ready(self):
        from one_stop.selectors import DOSSIER_PAYMENT_STATUS
        from one_stop.services.dossiers import DOSSIER_CLOSED_HOOKS
        from public_services.payments import checks  # noqa: F401  (registers the system checks)
        from public_services.payments.selectors import dossier_payment_status
        from public_services.payments.services import payments_expire_for_closed_dossier

        # A refused or withdrawn dossier owes nothing: in the same transaction its pending payments expire and a fee
        # already paid becomes a refund due.
        if payments_expire_for_closed_dossier not in DOSSIER_CLOSED_HOOKS:
            DOSSIER_CLOSED_HOOKS.append(payments_expire_for_closed_dossier)
        # one_stop's staff page and its e-result rule ask whether a dossier's fee is paid.
        if dossier_payment_status not in DOSSIER_PAYMENT_STATUS:
            DOSSIER_PAYMENT_STATUS.append(dossier_payment_status)
