"""The search vector's words carry their agency (`12:hoi`) instead of one `#agency:12` lexeme beside them, so
a GIN lookup reads only the agency's posting lists (docs_office/search.py). A generated column cannot be
altered: it is dropped and added again, with its index."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

import docs_office.search

DROP_FUNCTION = "DROP FUNCTION IF EXISTS docs_office_agency_words(bigint, tsvector)"


def vector(*fields):
    return models.GeneratedField(
        db_persist=True, output_field=django.contrib.postgres.search.SearchVectorField(),
        expression=docs_office.search.AgencyWords(
            "agency_id", django.contrib.postgres.search.SearchVector(*fields, config="simple")))


class Migration(migrations.Migration):

    dependencies = [
        ("docs_office", "0008_edxml_status_deliveries"),
    ]

    operations = [
        migrations.RunSQL(docs_office.search.AGENCY_WORDS_FUNCTION, DROP_FUNCTION),
        migrations.RemoveIndex(model_name="incomingdocument", name="incoming_vector_idx"),
        migrations.RemoveIndex(model_name="outgoingdocument", name="outgoing_vector_idx"),
        migrations.RemoveField(model_name="incomingdocument", name="search_vector"),
        migrations.RemoveField(model_name="outgoingdocument", name="search_vector"),
        migrations.AddField(model_name="incomingdocument", name="search_vector",
                            field=vector("summary_folded", "issuer_name_folded")),
        migrations.AddField(model_name="outgoingdocument", name="search_vector", field=vector("summary_folded")),
        migrations.AddIndex(
            model_name="incomingdocument",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_vector"], name="incoming_vector_idx"),
        ),
        migrations.AddIndex(
            model_name="outgoingdocument",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_vector"], name="outgoing_vector_idx"),
        ),
    ]
