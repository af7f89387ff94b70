"""Create one group per role. Permissions are granted after migrate (egov.accounts.roles)."""

from django.db import migrations

ROLES = ["citizen", "one_stop_clerk", "specialist", "head_of_division", "leader", "records_clerk",
         "agency_admin", "system_admin"]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
