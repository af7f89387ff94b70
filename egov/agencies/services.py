from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from egov.agencies.models import Agency
from egov.core.errors import ApplicationError


@transaction.atomic
def agency_create(*, name: str, kind: str, short_name: str, exchange_code: str, parent: Agency | None = None,
                  **extra) -> Agency:
    agency = Agency(name=name, kind=kind, short_name=short_name, exchange_code=exchange_code, parent=parent, **extra)
    _validate(agency)
    agency.save()
    return agency


@transaction.atomic
def agency_move(*, agency: Agency, new_parent: Agency | None) -> Agency:
    """Re-attach an agency (after a merger, a reorganisation) without ever making a cycle, even when two moves meet
    (Agency.clean holds the tree's lock until this transaction commits)."""
    agency.parent = new_parent
    try:
        agency.clean()
    except ValidationError as exc:
        raise ApplicationError("agency_cycle", _("Không thể đặt một cơ quan làm cấp dưới của chính nó."), status=409) from exc
    agency.save(update_fields=["parent"])
    return agency


def _validate(agency: Agency) -> None:
    try:
        agency.full_clean()
    except ValidationError as exc:
        raise ApplicationError("invalid", _("Thông tin cơ quan không hợp lệ."),
                               fields={k: [str(m) for m in v] for k, v in exc.message_dict.items()}) from exc
