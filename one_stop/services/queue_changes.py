"""Housekeeping of the queues' change rows (one_stop.models.queue)."""

from egov.core.versions import change_record_everything, changes_prune
from one_stop.models import QueueChange


def queue_changes_prune() -> int:
    """Delete every change row but the newest of each queue (agency, citizen, or every queue); the number
    deleted. Versions are unchanged (egov.core.versions.changes_prune)."""
    return changes_prune(QueueChange._meta.db_table, ["agency_id", "citizen_id"])


def queue_changes_record_all() -> None:
    """A change of every queue in this transaction: for writers that bypass the triggers (the benchmark's bulk
    load of dossiers runs with session_replication_role = replica)."""
    change_record_everything(QueueChange._meta.db_table, ["agency_id", "citizen_id"])
