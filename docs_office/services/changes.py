"""Housekeeping of the incoming documents' change rows (docs_office.models.changes)."""

from docs_office.models import IncomingChange
from egov.core.versions import change_record_everything, changes_prune


def incoming_changes_prune() -> int:
    """Delete every change row but the newest of each agency (and of "every agency"); the number deleted.
    Versions are unchanged (egov.core.versions.changes_prune)."""
    return changes_prune(IncomingChange._meta.db_table, ["agency_id"])


def incoming_changes_record_all() -> None:
    """A change of every agency's documents in this transaction: for writers that bypass the triggers (the
    benchmark's bulk load runs with session_replication_role = replica)."""
    change_record_everything(IncomingChange._meta.db_table, ["agency_id"])
