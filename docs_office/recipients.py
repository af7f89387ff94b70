"""Nơi nhận (recipients) of an outgoing document: the agencies of the system it is sent to, and the other
recipients the drafter types, one a line. Shared by the detail page, the register exports, the composed draft
(its "Nơi nhận" block, Decree 30/2020, appendix I) and the page and API that create drafts."""

import re

# A typed line's own list marker and closing punctuation: the layout adds its own.
_MARKER = re.compile(r"^[\s\-–—•+*]+")
_CLOSING = re.compile(r"[\s;,.]+$")
# The archive line ("Lưu: VT, VP." — kept at the records office and the drafting unit) closes the list.
_ARCHIVE = re.compile(r"^lưu\s*(?::|vt\b)", re.IGNORECASE)
ARCHIVE_DEFAULT = "Lưu: VT"


def recipient_clean(line: str) -> str:
    """One recipient as typed ("- Như Điều 3;;") without its list marker and closing punctuation ("Như Điều 3")."""
    return _CLOSING.sub("", _MARKER.sub("", line or "")).strip()


def typed_recipients(text: str) -> list[str]:
    """The recipients typed in a text field, one a line, cleaned; blank lines dropped."""
    return [cleaned for cleaned in (recipient_clean(line) for line in (text or "").splitlines()) if cleaned]


def recipients_display(agencies, text: str) -> str:
    """Nơi nhận on one line: the agencies' names, then the typed recipients, joined by "; "."""
    return "; ".join([a.name for a in agencies] + typed_recipients(text))


def composition_recipients(*, agencies, text: str = "", listed=()) -> list[str]:
    """The recipients a composed draft lists: the agencies of the system it goes to, the other recipients
    typed in `text` (one a line) and those `listed` one by one (the API's composition), each once."""
    lines, seen = [], set()
    for line in [a.name for a in agencies] + typed_recipients(text) + [recipient_clean(r) for r in listed]:
        if line and line.casefold() not in seen:
            seen.add(line.casefold())
            lines.append(line)
    return lines


def recipients_block(recipients) -> list[str]:
    """The lines under "Nơi nhận:" as Decree 30 sets them: each recipient ends with ";", the archive line comes
    last and ends with "." — the drafter's own "Lưu: …" line if they typed one, else "Lưu: VT"."""
    lines = [cleaned for cleaned in (recipient_clean(r) for r in recipients) if cleaned]
    archive = [line for line in lines if _ARCHIVE.match(line)]
    others = [line for line in lines if not _ARCHIVE.match(line)]
    return [f"{line};" for line in others] + [f"{archive[-1] if archive else ARCHIVE_DEFAULT}."]
