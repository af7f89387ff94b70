# The readers of a secret incoming document tell who was named at registration from who was added by an assignment
# (IncomingReader.by_assignment): a new assignment takes the latter off again. The table stays the one Django made for
# the many-to-many field (state only), with one column more; every existing row is a kept reader (False).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('docs_office', '0019_version_signer_block'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='IncomingReader',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('incomingdocument', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='docs_office.incomingdocument')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'docs_office_incomingdocument_readers',
                        'unique_together': {('incomingdocument', 'user')},
                    },
                ),
                migrations.AlterField(
                    model_name='incomingdocument',
                    name='readers',
                    field=models.ManyToManyField(blank=True, related_name='+', through='docs_office.IncomingReader', to=settings.AUTH_USER_MODEL, verbose_name='người được xem (văn bản mật)'),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name='incomingreader',
            name='by_assignment',
            field=models.BooleanField(default=False, verbose_name='do được phân công'),
        ),
    ]
