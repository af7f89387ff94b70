from egov.core.tasks import egov_task


class SandboxIpnUndelivered(Exception):
    """Our IPN endpoint did not take the sandbox's notification (down, or answered "99"): try again."""


@egov_task(name="payments.expire_overdue", max_retries=0)
def payments_expire_overdue_task() -> int:
    from public_services.payments.services import payments_expire_overdue

    return payments_expire_overdue()


@egov_task(name="pdf.payment_receipt", max_retries=3)
def payment_receipt_render_task(payment_id: int) -> None:
    from public_services.payments.models import Payment
    from public_services.payments.services import payment_receipt_issue

    payment = Payment.objects.filter(pk=payment_id).only("receipt_file", "state").first()
    if payment is None or payment.receipt_file:  # idempotency: already issued
        return
    payment_receipt_issue(payment_id=payment_id)


@egov_task(name="payments.sandbox_ipn", retry_on=(SandboxIpnUndelivered,), max_retries=5)
def sandbox_ipn_task(ipn_url: str, params: dict) -> str:
    """The sandbox gateway notifies the merchant, as a real gateway does: HTTP GET with signed params.

    It carries the notification itself rather than an id: it plays an outside system, which keeps no
    rows in our database. Repeats are harmless (the IPN answers "02").
    """
    from public_services.payments.sandbox.gateway import sandbox_ipn_deliver

    code = sandbox_ipn_deliver(ipn_url=ipn_url, params=params)
    if code not in ("00", "02"):
        raise SandboxIpnUndelivered(code)
    return code
