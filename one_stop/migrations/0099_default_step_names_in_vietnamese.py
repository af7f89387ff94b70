"""Default step names stored in the English UI of the clerk who received the dossier go back to Vietnamese, the
language of the record (pages translate them again for their reader). Only the four default names, exactly as the
English catalogue rendered them: a catalogue's own step names are Vietnamese and untouched."""

from django.db import migrations

ENGLISH = {"Receive dossier": "Tiếp nhận hồ sơ", "Review and decide": "Thẩm định, giải quyết",
           "Approve result": "Phê duyệt kết quả", "Return result": "Trả kết quả"}


def to_vietnamese(apps, schema_editor):
    DossierStep = apps.get_model("one_stop", "DossierStep")
    for english, vietnamese in ENGLISH.items():
        DossierStep.objects.filter(name=english).update(name=vietnamese)


class Migration(migrations.Migration):
    dependencies = [("one_stop", "0098_dossier_time_limit_given")]

    operations = [migrations.RunPython(to_vietnamese, migrations.RunPython.noop)]
