"""An outgoing document asks its recipients for an answer by a date; an incoming one names the outgoing document of ours it answers."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('docs_office', '0014_register_for_secret'),
    ]

    operations = [
        migrations.AddField(
            model_name='incomingdocument',
            name='in_reply_to',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='replies', to='docs_office.outgoingdocument', verbose_name='trả lời văn bản đi'),
        ),
        migrations.AddField(
            model_name='outgoingdocument',
            name='reply_due_on',
            field=models.DateField(blank=True, null=True, verbose_name='hạn trả lời, xử lý của nơi nhận'),
        ),
    ]
