"""The one error type for business refusals: pages and the API turn it into a 4xx, never a 500."""


class ApplicationError(Exception):
    """A rule of the domain refused the request.

    `code` is stable and machine-readable; `message` is shown to the user (Vietnamese, translated);
    `fields` maps form/API field names to their messages; `status` is the HTTP status to answer with;
    `retry_after`, in seconds, when a refusal (a 429) ends after a known wait — sent as the Retry-After header.
    """

    def __init__(self, code: str, message: str, *, fields: dict | None = None, status: int = 400,
                 retry_after: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.fields = fields or {}
        self.status = status
        self.retry_after = retry_after
