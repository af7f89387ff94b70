"""Mask the one-time codes that notifications written before egov.notifications.sealing kept in clear.

Their row (payload["code"], and the code in the body) and every copy the row's history (pghistory) keeps. The code is
replaced by the mask and the payload marked spent (`sealed` emptied): a row still pending then fails at delivery
instead of sending a masked code, and the admin's "send again" leaves it alone. The code had minutes to live anyway;
the citizen asks for a new one. Irreversible by design.
"""

from django.db import migrations

MASK = "••••••"
SPENT = '{"code": "••••••", "sealed": ""}'


def mask_codes(apps, schema_editor):
    connection = schema_editor.connection
    for name in ("Notification", "NotificationEvent"):
        table = connection.ops.quote_name(apps.get_model("notifications", name)._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET body = replace(body, payload->>'code', %s), payload = payload || %s::jsonb "  # noqa: S608
                "WHERE template = 'otp_code' AND jsonb_typeof(payload) = 'object' AND payload ? 'code' "
                "AND payload->>'code' IS NOT NULL AND payload->>'code' <> %s",
                [MASK, SPENT, MASK])


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0002_reminder_run"),
    ]

    operations = [
        migrations.RunPython(mask_codes, migrations.RunPython.noop, elidable=True),
    ]
