"""The queue's version (0096) follows what the queue's tab counts show besides the dossier's own columns: a step
completed, moved, rescheduled (the "my work" and apology counts), a supplement sent back online (a clerk's "my
work") and a postponement (the apology count). Without it a kept queue page would show yesterday's counts until
some other change of its dossiers."""

from django.db import migrations

_WRITER = "pg_current_xact_id()::text::bigint"
# 0096's columns, and the two the counts read besides them.
_SHOWN_BEFORE = "code, state, due_at, applicant_name, procedure_id, receiving_agency_id, handling_agency_id, citizen_id"
_SHOWN = _SHOWN_BEFORE + ", supplement_submitted_at, postponed_at"
# What the counts read of a step.
_STEP_SHOWN = "dossier_id, agency_id, role, \"order\", completed_at, due_at"


def _columns(alias: str, columns: str) -> str:
    return ", ".join(f"{alias}.{column.strip()}" for column in columns.split(","))


def _dossier_updated(columns: str) -> str:
    scopes = ("(o.receiving_agency_id, NULL::bigint), (o.handling_agency_id, NULL::bigint), (NULL::bigint, o.citizen_id), "
              "(n.receiving_agency_id, NULL::bigint), (n.handling_agency_id, NULL::bigint), (NULL::bigint, n.citizen_id)")
    return f"""
CREATE OR REPLACE FUNCTION one_stop_dossiers_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO one_stop_queuechange (agency_id, citizen_id, transaction_id)
  SELECT DISTINCT s.agency_id, s.citizen_id, {_WRITER} FROM old_rows o JOIN new_rows n ON n.id = o.id
  CROSS JOIN LATERAL (VALUES {scopes}) AS s(agency_id, citizen_id)
  WHERE (({_columns("o", columns)}) IS DISTINCT FROM ({_columns("n", columns)}))
    AND (s.agency_id IS NOT NULL OR s.citizen_id IS NOT NULL);
  RETURN NULL;
END $$;
"""


def _steps_changed(source: str, where: str = "TRUE") -> str:
    # The agencies whose queues list the step's dossier (receiving and handling): only their staff see its counts.
    return (f"INSERT INTO one_stop_queuechange (agency_id, citizen_id, transaction_id) "
            f"SELECT DISTINCT s.agency_id, NULL::bigint, {_WRITER} FROM {source} "
            f"JOIN one_stop_dossier d ON d.id = x.dossier_id "
            f"CROSS JOIN LATERAL (VALUES (d.receiving_agency_id), (d.handling_agency_id)) AS s(agency_id) "
            f"WHERE ({where}) AND s.agency_id IS NOT NULL;")


_FORWARD = _dossier_updated(_SHOWN) + f"""
CREATE FUNCTION one_stop_steps_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {_steps_changed("new_rows x")} RETURN NULL; END $$;
CREATE FUNCTION one_stop_steps_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {_steps_changed("old_rows x")} RETURN NULL; END $$;
CREATE FUNCTION one_stop_steps_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {_steps_changed("old_rows o JOIN new_rows x ON x.id = o.id",
                      f"({_columns('o', _STEP_SHOWN)}) IS DISTINCT FROM ({_columns('x', _STEP_SHOWN)})")}
RETURN NULL; END $$;
CREATE TRIGGER one_stop_step_queue_insert AFTER INSERT ON one_stop_dossierstep
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION one_stop_steps_inserted();
CREATE TRIGGER one_stop_step_queue_delete AFTER DELETE ON one_stop_dossierstep
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION one_stop_steps_deleted();
CREATE TRIGGER one_stop_step_queue_update AFTER UPDATE ON one_stop_dossierstep
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION one_stop_steps_updated();
"""

_BACKWARD = """
DROP TRIGGER one_stop_step_queue_insert ON one_stop_dossierstep;
DROP TRIGGER one_stop_step_queue_delete ON one_stop_dossierstep;
DROP TRIGGER one_stop_step_queue_update ON one_stop_dossierstep;
DROP FUNCTION one_stop_steps_inserted(); DROP FUNCTION one_stop_steps_deleted(); DROP FUNCTION one_stop_steps_updated();
""" + _dossier_updated(_SHOWN_BEFORE)


class Migration(migrations.Migration):

    dependencies = [
        ("one_stop", "0103_procedure_form_template"),
    ]

    operations = [
        migrations.RunSQL(_FORWARD, _BACKWARD),
    ]
