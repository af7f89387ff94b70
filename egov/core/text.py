"""Vietnamese text helpers. The embedded PostgreSQL has no unaccent extension, so folding happens here."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold_vietnamese(text: str) -> str:
    """'Cấp Giấy phép XÂY DỰNG' → 'cap giay phep xay dung': no diacritics, lower case, single spaces."""
    decomposed = unicodedata.normalize("NFD", text or "")
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped).strip().lower()


# What XML 1.0 cannot hold (C0 controls but tab and line breaks, and two non-characters). Text typed or pasted into
# a form may carry them — Word's manual line break is a vertical tab — and a document holding one cannot be written
# as XML (a spreadsheet, an edXML package) that anything will read.
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text) -> str:
    """`text` without what XML cannot hold; Word's line and page breaks become line breaks."""
    return _NOT_XML.sub("", ("" if text is None else str(text)).translate(_BREAKS))


# Control characters a person never types (a paste from a PDF, a form filled by a script): kept out of stored text.
# Tabs and line breaks stay.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def parse_uuid(value):
    """A UUID written as text (a public id from a form, a URL or a session), else None: a lookup by it then finds
    nothing instead of raising."""
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def parse_int(value, *, max_digits: int = 18) -> int | None:
    """A non-negative integer written in ASCII digits, else None.

    str.isdigit() accepts '²' or '٣', which int() then refuses (a 500 where bad input deserves a 4xx); the
    length bound keeps the value inside PostgreSQL's bigint so a lookup cannot overflow either."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > max_digits or not (value.isascii() and value.isdigit()):
        return None
    return int(value)
