"""Each step of a dossier's process gets its time in (when the dossier was handed to it) beside its time out
(completed_at), for the control sheet (form 05).

Backfilled from what the records hold, in SQL (a province's million dossiers in one statement each): the first
step came in when the dossier was submitted (the counter's receipt is its own submission), every later step when
the step before it was completed; then a step that was open when the dossier was forwarded to another agency
(event "forward") came in at that agency when it was forwarded, as services.process.dossier_steps_hand_over now
records. A step whose turn has not come keeps no time in.
"""

from django.db import migrations, models

BACKFILL_FROM_STEPS = """
WITH ordered AS (
    SELECT s.id,
           ROW_NUMBER() OVER (PARTITION BY s.dossier_id ORDER BY s."order") AS position,
           LAG(s.completed_at) OVER (PARTITION BY s.dossier_id ORDER BY s."order") AS previous_done
      FROM one_stop_dossierstep s
)
UPDATE one_stop_dossierstep s
   SET started_at = CASE WHEN o.position = 1 THEN COALESCE(d.submitted_at, d.received_at) ELSE o.previous_done END
  FROM ordered o, one_stop_dossier d
 WHERE o.id = s.id AND d.id = s.dossier_id
"""

BACKFILL_FROM_FORWARDS = """
UPDATE one_stop_dossierstep s
   SET started_at = f.forwarded_at
  FROM (SELECT s2.id, MAX(e.at) AS forwarded_at
          FROM one_stop_dossierstep s2
          JOIN one_stop_dossierevent e ON e.dossier_id = s2.dossier_id AND e.action = 'forward'
         WHERE s2.started_at IS NOT NULL AND e.at > s2.started_at
           AND (s2.completed_at IS NULL OR e.at < s2.completed_at)
         GROUP BY s2.id) f,
       one_stop_dossier d
 WHERE f.id = s.id AND d.id = s.dossier_id
   AND NOT (s.agency_id = d.receiving_agency_id AND s.role = 'one_stop_clerk')
"""


class Migration(migrations.Migration):
    dependencies = [("one_stop", "0101_procedure_version_created_by")]

    operations = [
        migrations.AddField(
            model_name="dossierstep",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="nhận lúc"),
        ),
        migrations.RunSQL(BACKFILL_FROM_STEPS, migrations.RunSQL.noop),
        migrations.RunSQL(BACKFILL_FROM_FORWARDS, migrations.RunSQL.noop),
    ]
