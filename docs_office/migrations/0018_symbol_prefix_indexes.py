"""The folded-symbol indexes of 0011 again, byte-wise (collation "C", search.symbol_key_bytes): a search by the start
of a symbol ("QĐ-UB", "45/BNV-V") reads the range of the typed prefix (search.SymbolPrefix) whatever the database's
collation, and an exact symbol still reads its equal entries. Replaced rather than added: one index serves both."""

import django.db.models.functions
from django.db import migrations, models

import docs_office.search


def index(name: str) -> models.Index:
    return models.Index(models.F("agency"),
                        django.db.models.functions.Collate(docs_office.search.SymbolKey("symbol"), "C"),
                        models.F("number"), name=name)


class Migration(migrations.Migration):

    dependencies = [
        ("docs_office", "0017_edxml_envelope_fields"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="incomingdocument", name="incoming_symbol_key_idx"),
        migrations.RemoveIndex(model_name="outgoingdocument", name="outgoing_symbol_key_idx"),
        migrations.AddIndex(model_name="incomingdocument", index=index("incoming_symbol_prefix_idx")),
        migrations.AddIndex(model_name="outgoingdocument", index=index("outgoing_symbol_prefix_idx")),
    ]
