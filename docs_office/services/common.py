"""Small helpers shared by the services of docs_office."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from egov.core.errors import ApplicationError
from egov.core.uploads import validate_upload


def checked_upload(upload, *, allowed, field: str = "file") -> str:
    """Validate an upload by content; a bad file is a 400 with the message tied to its field."""
    try:
        return validate_upload(upload, allowed=allowed)
    except ValidationError as exc:
        raise ApplicationError("invalid_file", exc.messages[0], fields={field: exc.messages}) from None


def same_agency(user, agency_id) -> bool:
    return user.agency_id is not None and user.agency_id == agency_id


def require(condition: bool, message: str) -> None:
    if not condition:
        raise ApplicationError("forbidden", message, status=403)


def reason_required(note: str, field: str = "note") -> str:
    if not (note or "").strip():
        raise ApplicationError("reason_required", _("Cần ghi rõ lý do."), fields={field: [_("Bắt buộc.")]})
    return note.strip()
