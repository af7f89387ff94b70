"""The search vector also holds the document's number (with and without a leading zero) and the parts of its folded symbol ("45", "bnv", "vp"), so
a word search finds "BNV" or "45/BNV" in 45/BNV-VP from the GIN index (docs_office/search.py). A generated
column cannot be altered before PostgreSQL 17: it is dropped and added again, with its index (as in 0009)."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

import docs_office.search


def vector(*fields):
    return models.GeneratedField(
        db_persist=True, output_field=django.contrib.postgres.search.SearchVectorField(),
        expression=docs_office.search.AgencyWords(
            "agency_id", django.contrib.postgres.search.SearchVector(*fields, config="simple")))


def symbol_words():
    return docs_office.search.SymbolWords(docs_office.search.SymbolKey("symbol"))


class Migration(migrations.Migration):

    dependencies = [
        ("docs_office", "0011_symbol_key_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="incomingdocument", name="incoming_vector_idx"),
        migrations.RemoveIndex(model_name="outgoingdocument", name="outgoing_vector_idx"),
        migrations.RemoveField(model_name="incomingdocument", name="search_vector"),
        migrations.RemoveField(model_name="outgoingdocument", name="search_vector"),
        migrations.AddField(model_name="incomingdocument", name="search_vector",
                            field=vector("summary_folded", "issuer_name_folded",
                                         *docs_office.search.number_words(integer=False), symbol_words())),
        migrations.AddField(model_name="outgoingdocument", name="search_vector",
                            field=vector("summary_folded", *docs_office.search.number_words(integer=True),
                                         symbol_words())),
        migrations.AddIndex(
            model_name="incomingdocument",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_vector"], name="incoming_vector_idx"),
        ),
        migrations.AddIndex(
            model_name="outgoingdocument",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_vector"], name="outgoing_vector_idx"),
        ),
    ]
