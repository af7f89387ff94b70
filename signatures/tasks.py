import logging

from egov.core.tasks import egov_task
from signatures.pades import SigningUnavailable
from signatures.remote.client import RemoteSignaturePending

logger = logging.getLogger(__name__)

# Polling the remote service while the signer decides: every 5 s at first, then every 30 s. 40 polls
# span about 20 minutes, past EGOV_REMOTE_SIGNING_APPROVAL_MINUTES (15), when the service gives up.
REMOTE_POLL_MAX_RETRIES = 40


def remote_poll_countdown(retries: int) -> int:
    return min(5 * (retries + 1), 30)


@egov_task(name="signatures.sign", retry_on=(SigningUnavailable,), max_retries=8, time_limit=300, soft_time_limit=240)
def signature_request_sign_task(request_id: int) -> None:
    from signatures.services.requests import signature_request_sign

    signature_request_sign(request_id=request_id)


@egov_task(name="signatures.remote_start", retry_on=(SigningUnavailable,), max_retries=8, time_limit=300,
           soft_time_limit=240)
def signature_request_remote_start_task(request_id: int) -> None:
    from signatures.services.requests import signature_request_remote_start

    signature_request_remote_start(request_id=request_id)


@egov_task(name="signatures.remote_finish", retry_on=(SigningUnavailable,), max_retries=REMOTE_POLL_MAX_RETRIES + 8,
           time_limit=300, soft_time_limit=240)
def signature_request_remote_finish_task(request_id: int) -> None:
    from signatures.services.requests import signature_request_remote_finish

    task = signature_request_remote_finish_task
    try:
        signature_request_remote_finish(request_id=request_id,
                                        final_attempt=task.request.retries >= REMOTE_POLL_MAX_RETRIES)
    except RemoteSignaturePending as exc:
        if task.request.is_eager:
            # Without a broker a retry would run at once, in a loop: the service's notification
            # (EGOV_REMOTE_SIGNING_CALLBACK_URL) queues the next check instead.
            logger.info("signature request %s: waiting for the signer (no broker, no polling)", request_id)
            return
        raise task.retry(exc=exc, countdown=remote_poll_countdown(task.request.retries),
                         max_retries=REMOTE_POLL_MAX_RETRIES)
