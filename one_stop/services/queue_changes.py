"""Housekeeping of the queues' change rows (one_stop.models.queue)."""

from egov.core.versions import changes_prune
from one_stop.models import QueueChange


def queue_changes_prune() -> int:
    """Delete every change row but the newest of each queue (agency, citizen, or every queue); the number
    deleted. Versions are unchanged (egov.core.versions.changes_prune)."""
    return changes_prune(QueueChange._meta.db_table, ["agency_id", "citizen_id"])
