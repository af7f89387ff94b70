"""Parser for the National Public Service Portal's raw procedure pages (dichvucong.gov.vn).

The crawl (`dichvucong_procedures_raw.jsonl.gz`) holds one page per line with Vietnamese keys; the
table cells of a page are run together without separators, e.g. the channels table reads
"Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp7 Ngày làm việc10,000 Việt Nam Đồng(…)Trực tuyến…".

The parser takes what it can read with confidence (time limits in working days, fees in đồng, levels,
agency, required papers) and, for everything else, keeps the source text in `ProcedureData.raw` and
records a short issue code in `ProcedureData.issues`, so the import report can show what was not
understood. It never guesses: a calendar-day or hour limit, a fee in dollars or a "free" cell whose
note names a fee all stay None.

Only a record without a code or a name is refused (ValueError); `read_dichvucong_file` reports such
lines with their line numbers instead of dropping them.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

from .data import Channel, ChannelTerms, Level, OnlineLevel, ProcedureData, RequiredDocument

SOURCE = "dichvucong"
NO_INFO = "Không có thông tin"  # the portal's "not stated"

_UPPER = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"


def _clean(value) -> str:
    """Strip a text field; the portal's "Không có thông tin" counts as empty."""
    if not isinstance(value, str):
        return ""
    text = value.strip()
    return "" if text.rstrip(".") == NO_INFO else text


# ---------------------------------------------------------------------------------------------- levels

_LEVELS = {
    "cấp xã": Level.COMMUNE,
    "cấp huyện": Level.DISTRICT,
    "cấp tỉnh": Level.PROVINCE,
    "cấp bộ": Level.CENTRAL,
    "cấp trung ương": Level.CENTRAL,
}


def parse_levels(text: str) -> tuple[list[str], list[str]]:
    """ "Cấp bộ, Cấp tỉnh" → (["central", "province"], issues)."""
    levels: list[str] = []
    issues: list[str] = []
    for word in re.split(r"[,;]", text or ""):
        word = " ".join(word.split())
        if not word:
            continue
        level = _LEVELS.get(word.casefold())
        if level is None:
            issues.append(f"level:unknown:{word}")
        elif level not in levels:
            levels.append(level)
    if not levels and not issues:
        issues.append("level:missing")
    return levels, issues


# -------------------------------------------------------------------------------------------- channels

_CHANNEL_NAMES = {
    "Trực tiếp": Channel.COUNTER,
    "Trực tuyến": Channel.ONLINE,
    "Dịch vụ bưu chính": Channel.POST,
}
_CHANNELS_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
# A row starts with a channel name directly followed by its time cell (a number or "not stated").
_ROW_START = re.compile(r"(Trực tiếp|Trực tuyến|Dịch vụ bưu chính)(?=\d|Không)")
_NUMBER = r"\d+(?:[.,]\d+)?"
_TIME_WITH_UNIT = re.compile(r"(" + _NUMBER + r")\s*(Ngày làm việc|Ngày|Giờ|Tháng|Năm)")
_TIME_BARE = re.compile(r"(" + _NUMBER + r")(?=Miễn phí|" + NO_INFO + ")")
_CURRENCY = r"(Việt Nam Đồng|VNĐ|Đồng|đồng|USD)"
_TIME_TEXT = re.compile(r"Không[^\n]{0,120}?(?=Miễn phí|" + NO_INFO + r"|\d[\d.,]*\s*" + _CURRENCY + ")")
_FEE_AMOUNT = re.compile(r"(\d[\d.,]*)\s*" + _CURRENCY)
_FEE_FREE = "Miễn phí"
# An amount inside a free-text fee note: "1.200.000đ/thẻ", "20.000 vnđ /tờ khai", "10 USD/lần".
_NOTE_AMOUNT = re.compile(r"(\d[\d.,]*)\s*(việt nam đồng|vnđ|đồng|đ|usd)(?![" + _LOWER + "])", re.IGNORECASE)
# Words in a "free" cell's note that say a fee exists after all.
_FEE_WORDS = re.compile(r"phí|giá|mức thu|\d", re.IGNORECASE)
_NEGATED_FEE = re.compile(r"^(không|chưa|miễn)", re.IGNORECASE)


@dataclass
class _Row:
    terms: ChannelTerms
    issues: list[str]


def parse_amount(text: str) -> int | None:
    """ "10,000" / "1.200.000" / "500" → int; anything else (decimals, odd grouping, more digits than any fee) → None."""
    text = text.strip()
    if len(text) > 24:  # int() refuses 4,300 digits (a ValueError ending the import); no fee has 19
        return None
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", text) or re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        return int(re.sub(r"[.,]", "", text))
    return None


def _balanced_note(text: str) -> str:
    """The "( … )" note at the start of text, parentheses balanced; "" when text does not start with one."""
    if not text.startswith("("):
        return ""
    depth = 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return text[: i + 1]
    return text  # never closed: the rest of the row


def _note_amounts(note: str) -> list[tuple[int | None, str]]:
    found = []
    for match in _NOTE_AMOUNT.finditer(note):
        currency = "USD" if match.group(2).casefold() == "usd" else "VND"
        found.append((parse_amount(match.group(1).rstrip(".,")), currency))
    return found


def _parse_time(cell: str) -> tuple[float | None, list[str]]:
    match = _TIME_WITH_UNIT.fullmatch(cell)
    if not match:
        return None, ["time:no_unit" if re.fullmatch(_NUMBER, cell) else "time:unparsed"]
    number = float(match.group(1).replace(",", "."))
    unit = match.group(2)
    if unit == "Ngày làm việc":
        return number, []
    return None, {
        "Ngày": ["time:calendar_days"],
        "Giờ": ["time:hours"],
        "Tháng": ["time:months"],
        "Năm": ["time:years"],
    }[unit]


def _parse_fee(head: str, note: str) -> tuple[int | None, list[str]]:
    """The fee cell: a structured value ("Miễn phí", "N Việt Nam Đồng", "N USD", not stated) + a note."""
    if head == NO_INFO:
        return None, []
    if head == _FEE_FREE:
        inner = note.strip("() \t\n-.;:")
        if not inner or _NEGATED_FEE.match(inner) or not _FEE_WORDS.search(inner):
            return 0, []
        # "Miễn phí(Mức lệ phí cụ thể do HĐND tỉnh quy định)": the note says there is a fee after all.
        return None, ["fee:free_contradicted"]
    match = _FEE_AMOUNT.fullmatch(head)
    if not match:
        return None, ["fee:unparsed"]
    if match.group(2) == "USD":
        return None, ["fee:foreign_currency"]
    amount = parse_amount(match.group(1))
    if amount is None:
        return None, ["fee:unparsed"]
    others = {value for value in _note_amounts(note) if value != (amount, "VND")}
    if others:
        # Several amounts (per vehicle class, first issue / re-issue, …) or a note contradicting the cell.
        return None, ["fee:ambiguous"]
    return amount, []


def _parse_row(channel: str, body: str) -> _Row:
    """One channel row: the time cell, the fee cell (value + note), then a free description."""
    issues: list[str] = []
    terms = ChannelTerms(channel=channel)

    # Time cell.
    if body.startswith(NO_INFO):
        rest = body[len(NO_INFO) :]
    else:
        match = _TIME_WITH_UNIT.match(body) or _TIME_BARE.match(body)
        if match is not None:
            terms.processing_text = match.group(0)
            terms.processing_days, time_issues = _parse_time(match.group(0))
            issues += time_issues
        elif (match := _TIME_TEXT.match(body)) is not None:
            # "Không quy định", "Không phải trả kết quả cho người nộp thuế": words, no time limit.
            terms.processing_text = match.group(0).strip()
            issues.append("time:text")
        elif (glued := _FEE_AMOUNT.match(body)) is not None:
            # "Trực tuyến120,000 VNĐ": a number without unit glued to the fee; the split is unknowable.
            cell = glued.group(0)
            terms.processing_text = cell
            terms.fee_text = cell + _balanced_note(body[len(cell) :])
            return _Row(terms, ["time:merged_with_fee", "fee:merged_with_time"])
        else:
            terms.processing_text = body[:80].strip()
            return _Row(terms, ["time:unparsed", "fee:unparsed"])
        rest = body[match.end() :]

    # Fee cell.
    if rest.startswith(NO_INFO):
        head = NO_INFO
    elif rest.startswith(_FEE_FREE):
        head = _FEE_FREE
    else:
        match = _FEE_AMOUNT.match(rest)
        if match is None:
            terms.fee_text = rest[:200].strip()
            return _Row(terms, [*issues, "fee:unparsed"])
        head = match.group(0)
    note = _balanced_note(rest[len(head) :])
    terms.fee_text = "" if head == NO_INFO and not note else head + note
    terms.fee_vnd, fee_issues = _parse_fee(head, note)
    return _Row(terms, issues + fee_issues)


def parse_channels(text: str) -> tuple[list[ChannelTerms], list[str]]:
    """The "Cách thức thực hiện" table → one ChannelTerms per row, plus issue codes."""
    text = (text or "").strip()
    if text.startswith(_CHANNELS_HEADER):
        text = text[len(_CHANNELS_HEADER) :]
    if not _clean(text):
        return [], ["channels:missing"]
    starts = list(_ROW_START.finditer(text))
    if not starts:
        return [], ["channels:unparsed"]
    channels: list[ChannelTerms] = []
    issues: list[str] = []
    if text[: starts[0].start()].strip():
        issues.append("channels:leading_text")
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        row = _parse_row(_CHANNEL_NAMES[match.group(1)], text[match.end() : end])
        channels.append(row.terms)
        issues += row.issues
    seen = [terms.channel for terms in channels]
    issues += [f"channels:duplicate:{name}" for name in Channel.ALL if seen.count(name) > 1]
    return channels, issues


def _summary(channels: list[ChannelTerms], value: str, text: str):
    """The procedure-level value: the counter's when it states one (the smallest if the counter has
    several rows), else the smallest any channel states; with its source words."""
    counter = [c for c in channels if c.channel == Channel.COUNTER and getattr(c, value) is not None]
    stated = counter or [c for c in channels if getattr(c, value) is not None]
    if not stated:
        return None, ""
    best = min(stated, key=lambda c: getattr(c, value))
    return getattr(best, value), getattr(best, text)


# ------------------------------------------------------------------------------------------- documents

_DOCUMENTS_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
# The "Số lượng" cell: "1 bản chính", "0 bản chính,1 bản sao", "1 bản sao" — one digit each. Copies
# written inside a name are not cells: "(01 bản chính)", ": 01 bản chính;", "01 bản sao có chứng thực …"
# (a separate "0d" number, a ")" after it, or a space and more lower-case words).
_COPIES = re.compile(r"(?<![\s(:]0)(?:\d bản chính(?:,\s?\d bản sao)?|\d bản sao)(?!\s+[" + _LOWER + r"]|\))")
_FORM_FILE = r".+?\.(?:docx|doc|pdf|xlsx|xls)(?![" + _LOWER + "])"
_FORM_AT_END = re.compile(r"\.(?:docx|doc|pdf|xlsx|xls)$", re.IGNORECASE)
_FORM_EXT = re.compile(r"\.(?:docx|doc|pdf|xlsx|xls)(?![" + _LOWER + "])", re.IGNORECASE)
# Where a name cell may end and a file name begin.
_STRONG_BOUNDARY = re.compile(
    r"[;:]\s*"  # "…NĐ-CP;Mẫu số 21.docx"
    r"|(?<=[)" + _LOWER + _UPPER + r"])\.(?=[" + _UPPER + _LOWER + r"])"  # "…(NA20).Mau NA20-BCA.docx"
)
_HUMP = re.compile(r"(?<=[" + _LOWER + r"])(?=[" + _UPPER + r"])")  # "…Việt NamMẫu số 13.docx"


def _split_form(item: str) -> tuple[str, str]:
    """ "Tờ khai theo mẫuMau 14.docx" → ("Tờ khai theo mẫu", "Mau 14.docx"): form files end the name cell.

    Best effort: the file name follows the name without a separator, so the cut is the last ";", ":",
    ".X" or lower→upper case change before the first file extension; a camel-case run
    ("MauBankhaikiemdich.docx") is kept whole.
    """
    item = item.strip()
    if not _FORM_AT_END.search(item):
        return item, ""
    before = item[: _FORM_EXT.search(item).start()]
    strong = max((m.end() for m in _STRONG_BOUNDARY.finditer(before)), default=0)
    humps = [m.end() for m in _HUMP.finditer(before) if m.end() > strong]
    cut = strong
    if humps:
        word_start = max(before.rfind(" ", 0, humps[-1]) + 1, strong)
        cut = min(h for h in humps if h >= word_start)
    name, forms = item[:cut].strip().rstrip(" ;:"), item[cut:].strip()
    if len(name) < 3:
        return item, ""
    files = [f.strip() for f in re.findall(_FORM_FILE, forms, re.IGNORECASE)]
    return name, "; ".join(files) or forms


def _group_title(text: str) -> str:
    title = text.strip()
    return "" if title.strip("- ") == "" else title


def parse_documents(text: str) -> tuple[list[RequiredDocument], list[str]]:
    """The "Thành phần hồ sơ" tables → documents; ([], issues) when the text cannot be split reliably."""
    text = _clean(text)
    if not text.strip("- "):
        return [], ["documents:missing"]
    segments = text.split(_DOCUMENTS_HEADER)
    if len(segments) < 2:
        return [], ["documents:unsplit"]
    documents: list[RequiredDocument] = []
    issues: list[str] = []
    group = _group_title(segments[0])
    for index, segment in enumerate(segments[1:], start=1):
        last = index == len(segments) - 1
        cells = list(_COPIES.finditer(segment))
        if not cells:
            if segment.strip() and last:
                return [], ["documents:unsplit"]
            # An empty table: the whole segment is the next group's title.
            group = _group_title(segment)
            continue
        position = 0
        for cell in cells:
            name, form = _split_form(segment[position : cell.start()])
            if not name:
                return [], ["documents:unsplit"]
            documents.append(RequiredDocument(name=name, copies=cell.group(0), group=group, form=form))
            position = cell.end()
        trailing = segment[position:].strip()
        if last:
            if trailing:
                issues.append("documents:trailing_text")
        else:
            group = _group_title(trailing)
    return documents, issues


# ----------------------------------------------------------------------------- steps, result, legal basis

_STEP_START = re.compile(r"(?:^|(?<=\n))[ \t\-+*•]*(?:[a-zđ]\)\s*)?(?=Bước\s*\d+\s*[:.])", re.IGNORECASE)


def parse_steps(text: str) -> list[str]:
    """Split on "Bước N:" / "Bước N." at line starts; otherwise the whole text is one step."""
    text = _clean(text)
    if not text:
        return []
    cuts = [m.start() for m in _STEP_START.finditer(text)]
    if len(cuts) < 2:
        return [text]
    parts = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    return [part.strip() for part in parts if part.strip()]


_RESULT_NOISE = re.compile(r"(Từ khóa.*|Chọn cơ quan thực hiện.*)$", re.DOTALL)
_RESULT_CODE = re.compile(r"Mã:\s*KQ(?:\.[A-Z]*\d+)+")


def parse_result(text: str) -> str:
    """ "Giấy phépMã: KQ.G01.000040Từ khóa…Mô tả…" → "Giấy phép"; several results one per line."""
    text = _RESULT_NOISE.sub("", _clean(text))
    parts = [part.strip() for part in _RESULT_CODE.split(text)]
    return "\n".join(part for part in parts if part and part != NO_INFO)


_LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"
_SYMBOL_PART = r"(?:UBTVQH\d{2}|QH\d{2}|TTg|[" + _UPPER + r"]+)"
# 68/2013/TT-BCA, 02/2011/QH13, 123/2021/NĐ-CP, 290/2005/QĐ-TTg, 1234/QĐ-BYT, 66.7/2025/NQ-CP. It starts after no
# digit, except where two cells meet without a space: after a law's "QH13" ("Luật 20/2012/QH1320/2012/QH13") or a year
# ending a name ("Luật Cư trú 202068/2020/QH14", "năm 201102/2011/QH13", "ngày 29/6/202443/2024/QH15").
_DOC_NUMBER = re.compile(
    r"(?:(?<!\d)|(?<=QH\d\d)|(?<=[\s/\-–](?:19|20)\d\d))\d{1,4}(?:\.\d{1,3})?/(?:\d{4}/)?"
    + _SYMBOL_PART + r"(?:[-/_]\s?" + _SYMBOL_PART + r")*"
)
_VOWELS = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ"
# One Vietnamese syllable (onset, vowels, final): "Luật", "Thông", "Nghị", "Quyết", "Về" are; "Cquy", "Angày" are not.
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?[" + _VOWELS + r"]{1,3}(?:ng|nh|ch|[cmnpt])?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[" + _UPPER + r"][" + _LOWER + r"]*")
# A number cell with words of its own, glued to the name before it: "…doanh nghiệpThông tư số 47/2019/TT-BTC".
_CELL_WORDS = re.compile(r"(?<=[" + _LOWER + r".)])[" + _UPPER + r"][^\d\n]{0,20}$")


def _number_end(text: str, match: re.Match, previous: re.Match | None) -> int:
    """Where a number ends: its symbol's last capital starts the next name when it makes a word with the lower-case
    letters after it ("…TT-BCALuật", "…NĐ-CPQuyết"); not otherwise ("…TT-BTCquy định", "…TT-BCAngày")."""
    end = match.end()
    if previous is not None and match.start() == previous.end() and match.group(0).startswith(previous.group(0)):
        return match.start() + len(previous.group(0))  # "…TT-BCA56/2021/TT-BCASỬA ĐỔI…": the name's number again
    if end < len(text) and text[end - 1].isupper() and text[end].islower():
        if _SYLLABLE.fullmatch(_WORD.match(text, end - 1).group(0)):
            return end - 1
    if end < len(text) and text[end].isspace():
        # A heading in capitals glued to the number: "…NĐ-CPNGHỊ ĐỊNH SỬA ĐỔI…", "…TT-BCAQUY ĐỊNH…". A document's
        # symbol is initials ("BLĐTBXH", "BNNPTNT"), never a word of three letters or more, or with a tone mark.
        part = re.split(r"[-/_]", match.group(0))[-1]
        for cut in range(1, len(part) - 1):
            word = part[cut:]
            if (len(word) >= 3 or not word.isascii()) and word[0] not in _VOWELS.upper() \
                    and _SYLLABLE.fullmatch(word):
                return end - len(word)
    return end


def _legal_line(entry: str, cell: int | None) -> str:
    """One document: its name, then its number in brackets unless the name gives it already. `cell` is where the
    number cell starts, when it is glued to the name."""
    entry = entry.strip()
    numbers = list(_DOC_NUMBER.finditer(entry))
    if cell is None and numbers and numbers[-1].end() == len(entry):
        words = _CELL_WORDS.search(entry, 0, numbers[-1].start())
        cell = words.start() if words else None
    if cell is None or not numbers:
        return entry
    name, code = entry[:cell].strip(), entry[cell:].strip()
    if not name:
        return code
    if re.sub(r"\s", "", numbers[-1].group(0)) in re.sub(r"\s", "", name):
        return name
    return f"{name} ({code})"


def parse_legal_basis(text: str) -> str:
    """The legal-basis table → one document a line, its number in brackets when its name does not give it.

    Each row is a name cell and a number cell, all run together: "…thi hành Luật Luật sư05/2021/TT-BTPThông tư số
    03/2024…", "Luật 20/2012/QH1320/2012/QH13Luật 65/…", "…doanh nghiệpThông tư số 47/2019/TT-BTCquy định chi tiết…".
    A number glued to the text before it is a number cell. A row ends where a letter is glued after a number (not
    "ngày": a date inside a name, "…TT-BCAngày 01/7/2025"), or a number after a number cell; a name's own number is
    followed by its number cell. What cannot be told apart stays together on one line.
    """
    text = _clean(text)
    if text.startswith(_LEGAL_HEADER):
        text = text[len(_LEGAL_HEADER) :]
    text = re.sub("(" + _DOC_NUMBER.pattern + ")(?=ngày)", r"\1 ", text.strip())  # "…TT-BCAngày 01/7/2025"
    lines: list[str] = []
    entry_start, cell, position, previous = 0, None, 0, None
    while (match := _DOC_NUMBER.search(text, position)) is not None:
        end = position = _number_end(text, match, previous)
        previous = match
        before = text[match.start() - 1] if match.start() > entry_start else " "
        cell = match.start() if not before.isspace() and before not in "(-–" else None
        follower = text[end : end + 1]
        if follower.isdigit():
            # A name's own number is followed by its number cell; a number cell (or one with words of its own,
            # "…nước.NĐ 23/2026/NĐ-CP") by the next row.
            boundary = cell is not None or _CELL_WORDS.search(text[entry_start : match.start()]) is not None
        elif follower.isspace():
            # "…của Bộ Tư pháp18/2026/NĐ-CP Nghị định quy định…": a number cell, then a name after a space.
            boundary = cell is not None and text[end:].lstrip()[:1].isupper()
        else:
            boundary = follower.isalpha() and not text.startswith("ngày", end)
        if boundary:
            lines.append(_legal_line(text[entry_start:end], None if cell is None else cell - entry_start))
            entry_start, cell = end, None
    tail = text[entry_start:]
    if cell is not None and tail.rstrip() != tail[: _DOC_NUMBER.search(text, cell).end() - entry_start]:
        cell = None  # words follow the last number cell: not the row's end
    lines.append(_legal_line(tail, None if cell is None else cell - entry_start))
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


_FULL = re.compile(r"(dịch vụ công|trực tuyến) toàn trình", re.IGNORECASE)
_PARTIAL = re.compile(r"(dịch vụ công|trực tuyến) một phần", re.IGNORECASE)


def parse_online_level(name: str, text: str) -> tuple[str, list[str]]:
    """ "toàn trình" → full, "một phần" → partial, only when said of the online service; else none."""
    for source in (name, text):
        source = " ".join(source.split())
        full, partial = bool(_FULL.search(source)), bool(_PARTIAL.search(source))
        if full and partial:
            return OnlineLevel.NONE, ["online_level:ambiguous"]
        if full:
            return OnlineLevel.FULL, []
        if partial:
            return OnlineLevel.PARTIAL, []
    return OnlineLevel.NONE, []


# ------------------------------------------------------------------------------------------------ record


def parse_dichvucong_record(record: dict) -> ProcedureData:
    """One raw portal page → ProcedureData. Raises ValueError only when the code or the name is missing."""
    if not isinstance(record, dict):
        raise ValueError("record is not a JSON object")
    # Some pages are in decomposed Unicode ("lần" as "a" + combining marks): compose before matching.
    record = {key: unicodedata.normalize("NFC", value) if isinstance(value, str) else value for key, value in record.items()}
    code, name = _clean(record.get("ma_thu_tuc")), _clean(record.get("ten_thu_tuc"))
    if not code:
        raise ValueError("missing ma_thu_tuc (code)")
    if not name:
        raise ValueError("missing ten_thu_tuc (name)")

    issues: list[str] = []
    raw: dict[str, str] = {}
    data = ProcedureData(
        code=code,
        name=name,
        field=_clean(record.get("linh_vuc")),
        agency=_clean(record.get("co_quan_thuc_hien")) or _clean(record.get("co_quan_co_tham_quyen")),
        source=SOURCE,
        source_url=_clean(record.get("detail_url")),
        conditions=_clean(record.get("yeu_cau_dieu_kien")),
        result=parse_result(record.get("ket_qua_xu_ly") or ""),
        steps=parse_steps(record.get("trinh_tu_thuc_hien") or ""),
    )
    if not data.agency:
        issues.append("agency:missing")

    levels_text = _clean(record.get("cap_thuc_hien"))
    data.levels, level_issues = parse_levels(levels_text)
    if level_issues:
        issues += level_issues
        raw["cap_thuc_hien"] = levels_text

    channels_text = record.get("cach_thuc_thuc_hien") or ""
    data.channels, channel_issues = parse_channels(channels_text)
    data.processing_days, data.processing_text = _summary(data.channels, "processing_days", "processing_text")
    data.fee_vnd, data.fee_text = _summary(data.channels, "fee_vnd", "fee_text")
    if data.channels and all(c.processing_days is None and not c.processing_text for c in data.channels):
        channel_issues.append("time:not_stated")
    if data.channels and all(c.fee_vnd is None and not c.fee_text for c in data.channels):
        channel_issues.append("fee:not_stated")
    if data.channels and data.processing_days is None and not data.processing_text:
        # No working-day limit: still show the source's words of the first channel that has some.
        data.processing_text = next((c.processing_text for c in data.channels if c.processing_text), "")
    if data.channels and data.fee_vnd is None and not data.fee_text:
        data.fee_text = next((c.fee_text for c in data.channels if c.fee_text), "")
    if channel_issues:
        issues += channel_issues
        raw["cach_thuc_thuc_hien"] = channels_text

    documents_text = record.get("thanh_phan_ho_so") or ""
    data.required_documents, document_issues = parse_documents(documents_text)
    if document_issues and document_issues != ["documents:missing"]:
        raw["thanh_phan_ho_so"] = documents_text
    issues += document_issues

    data.legal_basis = parse_legal_basis(record.get("can_cu_phap_ly") or "")

    data.online_level, online_issues = parse_online_level(name, record.get("raw_text") or "")
    issues += online_issues

    data.raw = raw
    data.issues = list(dict.fromkeys(issues))  # unique, in order of appearance
    return data


# -------------------------------------------------------------------------------------------------- file


def _open_lines(path: str | PathLike) -> Iterator[str]:
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        yield from handle


def _parse_lines(path: str | PathLike) -> Iterator[tuple[int, ProcedureData | None, str]]:
    """(line number, parsed record or None, reason when rejected) for every line of the file."""
    for number, line in enumerate(_open_lines(path), start=1):
        if not line.strip():
            yield number, None, "blank line"
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"invalid JSON: {exc.msg}"
            continue
        try:
            yield number, parse_dichvucong_record(record), ""
        except ValueError as exc:
            yield number, None, str(exc)


def iter_dichvucong_file(path: str | PathLike) -> Iterator[ProcedureData]:
    """The parsed records of a .jsonl(.gz) crawl; rejected lines are skipped here — use
    `read_dichvucong_file` when they must be reported."""
    for _number, data, _reason in _parse_lines(path):
        if data is not None:
            yield data


def read_dichvucong_file(path: str | PathLike) -> tuple[list[ProcedureData], list[tuple[int, str]]]:
    """(parsed records, [(line number, reason)] for every line that was rejected)."""
    parsed: list[ProcedureData] = []
    rejected: list[tuple[int, str]] = []
    for number, data, reason in _parse_lines(path):
        if data is None:
            rejected.append((number, reason))
        else:
            parsed.append(data)
    return parsed, rejected
