"""Indexes the live statistics need on the one-stop and payment tables (timestamps of each event).

They live here, not in those apps, because only the statistics read by these columns; IF NOT EXISTS
keeps the migration harmless if an owning app adds the same index later under this name.
"""

from django.db import migrations

INDEXES = [
    ("reports_dossier_received_at", "one_stop_dossier", "received_at"),
    ("reports_dossier_resolved_at", "one_stop_dossier", "resolved_at"),
    ("reports_dossier_returned_at", "one_stop_dossier", "returned_at"),
    ("reports_dossierevent_closing", "one_stop_dossierevent", "at) WHERE (to_state IN ('refused', 'withdrawn')"),
    ("reports_rating_created_at", "one_stop_dossierrating", "created_at"),
    ("reports_payment_paid_at", "payments_payment", "paid_at) WHERE (state = 'paid'"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("one_stop", "0006_drafts_documents_steps"),
        ("payments", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})",
                          f"DROP INDEX IF EXISTS {name}")
        for name, table, columns in INDEXES
    ]
