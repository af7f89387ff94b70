from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("docs_office", "0012_search_vector_symbol_words"),
    ]

    operations = [
        migrations.AddField(
            model_name="outgoingversion",
            name="issue_fields",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
    ]
