from egov.core.tasks import egov_task
from signatures.pades import SigningUnavailable


@egov_task(name="signatures.sign", retry_on=(SigningUnavailable,), max_retries=8, time_limit=300, soft_time_limit=240)
def signature_request_sign_task(request_id: int) -> None:
    from signatures.services.requests import signature_request_sign

    signature_request_sign(request_id=request_id)
