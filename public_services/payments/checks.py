"""System checks of the payments app (run by `manage.py check`, `migrate`, `runserver`)."""

from django.conf import settings
from django.core import checks


@checks.register("payments")
def sandbox_only_in_development(app_configs, **kwargs):
    """The sandbox gateway switched on where it must not run (see sandbox_refusal) stops the deployment here, and
    its pages answer 404 on a server started without the checks."""
    from public_services.payments.sandbox.gateway import sandbox_refusal

    if not settings.EGOV_PAYMENT_SANDBOX:
        return []
    reason = sandbox_refusal()
    if not reason:
        return []
    return [checks.Error(reason, hint="Unset EGOV_PAYMENT_SANDBOX (or set it to 0) on this server.", id="egov.E001")]
