"""When a desk's queue last changed: what lets a clerk's queue page be kept until it does (one_stop.views).

A trigger (migration 0096) adds a row here in every transaction that inserts, deletes or changes a
dossier in a way its queues show — one row per agency receiving or handling it (before and after the
change) and per citizen who submitted it; a change of a procedure's code or name adds one row for every
queue; a step of a dossier created, completed, moved or rescheduled (migration 0104: the tabs' "my work" and
apology counts read them) adds one row per agency receiving or handling the dossier. Each row holds the id of
the writing transaction. Rows are only inserted (no locks between writers); queue_changes_prune keeps the newest
row of each scope.

The version of a scope is the newest writer's transaction id, and it is only trusted when every
transaction up to it has finished (the reading statement's snapshot xmin is past it): transaction ids
are handed out when a transaction first writes, not when it commits, so an older writer still running
could yet commit a change under a smaller id. Once every writer up to the version has finished, any
later change comes from a newer transaction, with a larger id: a new version.
"""

from django.db import models


class QueueChange(models.Model):
    # Which queue: an agency's (receiving or handling), a citizen's own, or every queue (both empty).
    agency_id = models.BigIntegerField(null=True)
    citizen_id = models.BigIntegerField(null=True)
    transaction_id = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["agency_id", "transaction_id"], name="queue_change_agency_idx",
                         condition=models.Q(agency_id__isnull=False)),
            models.Index(fields=["citizen_id", "transaction_id"], name="queue_change_citizen_idx",
                         condition=models.Q(citizen_id__isnull=False)),
            models.Index(fields=["transaction_id"], name="queue_change_all_idx",
                         condition=models.Q(agency_id__isnull=True, citizen_id__isnull=True)),
        ]

    def __str__(self) -> str:
        scope = f"agency {self.agency_id}" if self.agency_id else f"citizen {self.citizen_id}" if self.citizen_id else "all"
        return f"{scope} @ {self.transaction_id}"
