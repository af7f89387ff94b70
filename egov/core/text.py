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


# The Vietnamese alphabet, with the Latin letters it lacks (f, j, w, z: foreign names) where the Latin order puts them.
_ALPHABET = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "ô", "ơ",
             "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"]
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
# The tones, in the order Vietnamese dictionaries use: none (ngang), huyền, sắc, hỏi, ngã, nặng.
_TONES = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}


_DIGITS = re.compile(r"[0-9]+|.", re.DOTALL)


def _letters_and_tone(word: str) -> tuple[list[tuple[int, int]], int]:
    """A word's letters as sort ranks (letters with their own place in the alphabet: ă â đ ê ô ơ ư) and its tone.
    A run of digits is one number: "Phường 2" before "Phường 10"."""
    ranks, tone = [], 0
    for token in _DIGITS.findall(unicodedata.normalize("NFD", word.casefold())):
        if token.isdigit() and token.isascii():
            ranks.append((1, int(token)))
        elif token in _TONES:
            tone = tone or _TONES[token]
        elif token in _LETTER_RANK:
            ranks.append((2, _LETTER_RANK[token]))
        elif unicodedata.category(token) == "Mn":
            # A letter's own mark (breve, circumflex, horn) makes another letter: a + ̆ = ă; other marks are ignored.
            if ranks and ranks[-1][0] == 2:
                composed = unicodedata.normalize("NFC", _ALPHABET[ranks[-1][1]] + token)
                if composed in _LETTER_RANK:
                    ranks[-1] = (2, _LETTER_RANK[composed])
        else:
            ranks.append((3, ord(token)))
    return ranks, tone


def vietnamese_sort_key(text: str) -> tuple:
    """A key sorting text in Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y
    letter by letter, word by word (a shorter word first: "Xã An" before "Xã Anh"), then by the tones word by word
    (none, huyền, sắc, hỏi, ngã, nặng), whichever vowel of a word carries the mark ("Ủy" and "Uỷ" alike), then as
    written. PostgreSQL's collation depends on the server's locale (and the embedded one has only C): the pick-lists
    sort in Python."""
    words = [_letters_and_tone(word) for word in (text or "").split()]
    return (tuple(tuple(ranks) for ranks, _tone in words), tuple(tone for _ranks, tone in words), text or "")


def vietnamese_sorted(items, *, key=lambda item: item):
    """`items` in Vietnamese alphabetical order of `key(item)` (a name, a label)."""
    return sorted(items, key=lambda item: vietnamese_sort_key(str(key(item))))


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
