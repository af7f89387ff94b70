"""Secret documents get registers of their own (Decree 30/2020): a flag on the register."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('docs_office', '0013_version_issue_fields'),
    ]

    operations = [
        migrations.AddField(
            model_name='register',
            name='for_secret',
            field=models.BooleanField(default=False, help_text='Đánh số riêng cho văn bản mật (đến hoặc đi).', verbose_name='sổ văn bản mật'),
        ),
    ]
