"""The stored search vector of documents: each folded word prefixed with the agency's id (`12:hoi`).

The embedded PostgreSQL has no btree_gin, so a GIN index cannot hold agency_id next to the words. Instead
every lexeme carries the agency: the words of agency 12 are `12:hoi`, `12:nghi`…, so a GIN lookup of
`'12:hoi' & '12:nghi'` reads only that agency's posting lists — a tenth of the province's for an agency
holding a tenth of the documents, and a lookup costs about the length of the lists it reads. A query is
always built with the user's agency (selectors.text_search) from words reduced to [a-z0-9], so no typed
word, not even as a prefix, can reach another agency's lexemes.

The vector is a stored generated column made by `docs_office_agency_words(agency_id, to_tsvector(…))`, an
immutable SQL function created by migration 0009. It holds the words of the summary (and the issuer's name), and,
since migration 0012, the document's number and the parts of its folded symbol (`symbol_words`), so that part of
a symbol is found as words are.
"""

from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorCombinable, SearchVectorField
from django.db.models import BooleanField, CharField, Expression, F, Func

CONFIG = "simple"
AGENCY_WORDS_FUNCTION = """
CREATE OR REPLACE FUNCTION docs_office_agency_words(agency bigint, words tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_to_tsvector(array_agg(agency::text || ':' || lexeme)), ''::tsvector) FROM unnest(words)
$$
"""


class AgencyLexeme(SearchVectorCombinable, Func):
    """`array_to_tsvector(ARRAY['#agency:' || agency_id::text])`: the agency as one lexeme of its own, the scheme
    before 0008 (kept because migration 0007 names it)."""

    function = "array_to_tsvector"
    template = "%(function)s(ARRAY['#agency:' || (%(expressions)s)::text])"
    output_field = SearchVectorField()


class AgencyWords(Func):
    """`docs_office_agency_words(agency_id, vector)`: every lexeme of the vector prefixed with `<agency_id>:`."""

    # Migrations store the class, not this SQL: a change here needs a migration that re-creates the columns.
    function = "docs_office_agency_words"
    output_field = SearchVectorField()


def document_vector(*fields):
    """The stored vector of the folded `fields` (names or expressions), each word prefixed with the agency."""
    return AgencyWords("agency_id", SearchVector(*fields, config=CONFIG))


def symbol_words(field: str = "symbol"):
    """The folded symbol's parts as words: `QĐ-UBND` → `QD UBND` (then `qd`, `ubnd` in the vector). A word search
    then finds a document by a part of its symbol, alone or after its number ("BNV", "45/BNV" find 45/BNV-VP),
    from the same GIN index: the query's words are [a-z0-9] runs of the folded text, and so are these."""
    return SymbolWords(SymbolKey(field))


def agency_terms(agency_id: int, words: list[str], *, prefix_last: bool = True) -> str:
    """The tsquery text of `words` (already [a-z0-9]) within one agency: `'12:hoi' & '12:ngh':*`."""
    agency = int(agency_id)
    terms = [f"'{agency}:{word}'" for word in words]
    if prefix_last:
        terms[-1] += ":*"
    return " & ".join(terms)


class LexemeQuery(SearchQuery):
    """A tsquery cast from text, not parsed by to_tsquery (which would split `12:hoi`): the caller passes
    lexemes that are already what the vector holds (agency_terms)."""

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


# Every Vietnamese letter with a diacritic, lower and upper case, and the base letter each folds to: a symbol typed
# "qd-ubnd" finds "QĐ-UBND". PostgreSQL's upper() knows only ASCII under the C collation, so the letters are first
# translated to their bases, then upper-cased.
_MARKED = ("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
           "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ")


def _bases() -> str:
    from egov.core.text import fold_vietnamese

    return "".join(fold_vietnamese(letter) for letter in _MARKED)


class SymbolKey(Func):
    """`upper(translate(symbol, marked letters, their bases))`: a symbol compared without case or diacritics."""

    template = f"upper(translate(%(expressions)s, '{_MARKED}', '{_bases()}'))"
    output_field = CharField()


def number_words(field: str = "number", *, integer: bool):
    """The number as words, with and without its leading zero: an outgoing number is stored 7 and printed 07, an
    incoming one is text as the issuer printed it; "7/BNV" and "07/BNV" then find either."""
    from django.db.models import TextField, Value
    from django.db.models.functions import Cast, LPad

    if integer:
        text = Cast(field, TextField())
        return [text, LPad(text, 2, Value("0"))]
    return [F(field), Func(F(field), Value("0"), function="ltrim", output_field=CharField())]


def symbol_key_bytes(field: str = "symbol"):
    """The SymbolKey compared byte by byte (`COLLATE "C"`): what the symbol indexes of migration 0018 hold, and what
    a search by symbol compares, or the index does not answer it (an index serves only its own collation)."""
    from django.db.models.functions import Collate

    return Collate(SymbolKey(field), "C")


class SymbolPrefix(Expression):
    """`key >= prefix AND key < prefix || U+10FFFF` of a symbol_key_bytes: the folded symbols that start with
    `prefix` — with `strict`, `key > prefix`: those that only start with it, not the prefix itself.

    Byte-wise ("C"), not under the database's collation: a linguistic one (en_US.UTF-8, a usual server default)
    orders "QD-UB…" among "QDUB…" by rules of its own, so its range would not be the prefix's; LIKE 'prefix%'
    reaches a btree only through a C-collated index too, and needs the pattern written into the statement. U+10FFFF
    is the greatest code point: every text that starts with the prefix sorts below prefix || U+10FFFF. The range is
    the index condition of the symbol indexes (migration 0018). The prefix is one parameter given twice, by value
    (the statement cache of selectors maps its sentinel)."""

    def __init__(self, key, prefix: str, *, strict: bool = False):
        super().__init__(output_field=BooleanField())
        self.key, self.prefix, self.strict = key, prefix, strict

    def get_source_expressions(self):
        return [self.key]

    def set_source_expressions(self, exprs):
        (self.key,) = exprs

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.key)
        lower = ">" if self.strict else ">="
        return f"({sql} {lower} %s AND {sql} < (%s || chr(1114111)))", (*params, self.prefix, *params, self.prefix)


class SymbolWords(Func):
    """`regexp_replace(key, '[^A-Z0-9]+', ' ', 'g')` of a SymbolKey: its runs of letters and digits, spaced."""

    # Migrations store the class, not this SQL: a change here needs a migration that re-creates the columns.
    template = "regexp_replace(%(expressions)s, '[^A-Z0-9]+', ' ', 'g')"
    output_field = CharField()


def symbol_key(text: str) -> str:
    """What SymbolKey makes of a stored symbol, for a typed one: `qđ-Ubnd` → `QD-UBND`."""
    from egov.core.text import fold_vietnamese

    return fold_vietnamese(text).upper()
