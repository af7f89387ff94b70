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
