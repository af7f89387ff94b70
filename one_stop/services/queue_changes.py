"""Housekeeping of the queues' change rows (one_stop.models.queue)."""

from django.db import connection

from one_stop.models import QueueChange


def queue_changes_prune() -> int:
    """Delete every change row but the newest of each queue; the number deleted.

    A queue's version is its newest row's transaction id, so keeping that row keeps every version as it was:
    no kept page is served again or dropped because of the pruning."""
    table = connection.ops.quote_name(QueueChange._meta.db_table)
    # Per scope (agency, citizen, or every queue), the row to keep: the newest writer's.
    sql = (f"DELETE FROM {table} c WHERE c.id NOT IN (SELECT DISTINCT ON (agency_id, citizen_id) id FROM {table} "  # noqa: S608
           "ORDER BY agency_id, citizen_id, transaction_id DESC, id DESC)")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.rowcount
