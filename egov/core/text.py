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
