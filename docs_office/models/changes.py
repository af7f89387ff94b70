"""When an agency's incoming documents last changed: what lets a list of them be kept until they do.

A statement-level trigger (migration 0010) adds a row here in every transaction that inserts, deletes or
changes incoming documents — one row per agency whose documents it touched —, that adds or removes a
reader of a secret one, or that changes the agency's registers; a change of a document type (its name is
shown on every line) adds one row for every agency (agency_id empty). Each row holds the id of the
writing transaction; rows are only inserted (no locks between writers), and
docs_office.services.changes.incoming_changes_prune keeps the newest row of each scope.

An agency's version is its newest writer's transaction id, trusted only when every transaction up to it
has finished (the reading statement's snapshot xmin is past it): the reasoning of the desk's queue
(one_stop.models.queue), which this copies.
"""

from django.db import models


class IncomingChange(models.Model):
    # Whose documents: one agency's, or every agency's (empty).
    agency_id = models.BigIntegerField(null=True)
    transaction_id = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["agency_id", "transaction_id"], name="incoming_change_agency_idx",
                         condition=models.Q(agency_id__isnull=False)),
            models.Index(fields=["transaction_id"], name="incoming_change_all_idx",
                         condition=models.Q(agency_id__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{f'agency {self.agency_id}' if self.agency_id else 'all'} @ {self.transaction_id}"
