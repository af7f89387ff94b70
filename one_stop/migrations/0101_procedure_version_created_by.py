"""Who made a procedure version on the admin site, and on what basis (imports leave both empty)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("one_stop", "0100_dossier_step_open_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="procedureversion",
            name="created_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                                    to=settings.AUTH_USER_MODEL, verbose_name="người tạo"),
        ),
        migrations.AddField(
            model_name="procedureversion",
            name="note",
            field=models.TextField(blank=True, verbose_name="căn cứ, lý do thay đổi"),
        ),
    ]
