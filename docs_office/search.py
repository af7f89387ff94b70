"""The stored search vector of documents: folded words plus one lexeme naming the agency.

The embedded PostgreSQL has no btree_gin, so a GIN index cannot hold agency_id next to the words. Instead
the vector carries the agency as a lexeme (`#agency:12`): one GIN lookup of `#agency:12 & words` returns only
the agency's matches, however common the words are across the province. A user's words are reduced to
[a-z0-9] before they reach a tsquery, and the lexeme starts with "#", so no typed word, not even as a
prefix ("a:*"), can match it.
"""

from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorCombinable, SearchVectorField
from django.db.models import BooleanField, F, Func

CONFIG = "simple"


class AgencyLexeme(SearchVectorCombinable, Func):
    """`array_to_tsvector(ARRAY['#agency:' || agency_id::text])`: immutable, so usable in a generated column."""

    # Migrations store the class, not this SQL: a change here needs a migration that re-creates the columns.
    function = "array_to_tsvector"
    template = "%(function)s(ARRAY['#agency:' || (%(expressions)s)::text])"
    output_field = SearchVectorField()


def agency_lexeme(agency_id: int) -> str:
    return f"#agency:{int(agency_id)}"


def document_vector(*fields: str):
    return SearchVector(*fields, config=CONFIG) + AgencyLexeme("agency_id")


class LexemeQuery(SearchQuery):
    """A tsquery cast from text, not parsed by to_tsquery (which would drop the `#` and split `agency:12`): the
    caller passes lexemes that are already what the "simple" configuration makes of words."""

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql})::tsquery", params


class WalkedMatch(Func):
    """`COALESCE(search_vector @@ query, false)`: the same test, which the planner neither answers from the
    GIN index nor estimates from word frequencies (a default of one row in two), so it walks the
    (agency, date) index and stops at the page's end: for words common among the agency's newest documents
    that is sooner than collecting every match."""

    template = "COALESCE((%(expressions)s), false)"
    arg_joiner = " @@ "
    output_field = BooleanField()


def newest_matches_sql(model, *, agency_id: int, lexemes: list[str], newest: int) -> tuple[str, list]:
    """SQL of an array: for each tsquery of `lexemes`, how many of the agency's `newest` documents match it;
    one index walk over that many rows, no more. Uncorrelated, so inside a larger statement PostgreSQL runs
    it as an InitPlan, once per reference."""
    from django.db import connection

    ordering = [f.lstrip("-") for f in model._meta.ordering]
    order_sql = ", ".join(f"{connection.ops.quote_name(model._meta.get_field(f).column)} DESC" for f in ordering)
    table = connection.ops.quote_name(model._meta.db_table)
    counts = ", ".join("count(*) FILTER (WHERE search_vector @@ %s::tsquery)" for _ in lexemes)
    # Names from the model's meta, quoted; every value a parameter.
    sql = (f"SELECT ARRAY[{counts}] FROM (SELECT search_vector FROM {table} WHERE agency_id = %s "  # noqa: S608
           f"ORDER BY {order_sql} LIMIT %s) AS newest")
    return sql, [*lexemes, agency_id, newest]


def walked_match(lexemes: str) -> WalkedMatch:
    return WalkedMatch(F("search_vector"), LexemeQuery(lexemes))
