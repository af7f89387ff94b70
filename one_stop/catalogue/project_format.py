"""The project's own catalogue formats: JSON (a list of objects, as in data/procedures.json) and CSV.

Every error names the row (1-based, as a person counts them; the CSV header is row 1) and the field.
"""

import csv
import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from one_stop.catalogue.data import (
    Channel,
    ChannelTerms,
    Level,
    OnlineLevel,
    ProcedureData,
    ProcessStep,
    RequiredDocument,
)

CSV_COLUMNS = ["code", "name", "field", "level", "agency", "processing_days", "processing_time_text", "fee_vnd",
               "fee_text", "online_level", "result", "legal_basis", "required_documents"]


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"dòng {self.row}, trường “{self.field}”: {self.message}"


def read_project_json(data: bytes) -> tuple[list[ProcedureData], list[RowError]]:
    try:
        rows = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [], [RowError(0, "*", f"không đọc được JSON: {exc}")]
    if not isinstance(rows, list):
        return [], [RowError(0, "*", "tệp JSON phải là một danh sách thủ tục")]
    return _convert(enumerate(rows, start=1))


def read_project_csv(data: bytes) -> tuple[list[ProcedureData], list[RowError]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [RowError(0, "*", "tệp CSV phải mã hóa UTF-8")]
    reader = csv.DictReader(io.StringIO(text))
    missing = {"code", "name"} - set(reader.fieldnames or [])
    if missing:
        return [], [RowError(1, ", ".join(sorted(missing)), "thiếu cột bắt buộc")]
    rows = []
    for index, row in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in row.items() if k}
        docs = row.get("required_documents", "")
        row["required_documents"] = [{"name": d.strip()} for d in docs.split(";") if d.strip()]
        for key in ("processing_days", "fee_vnd"):
            if row.get(key, "") == "":
                row[key] = None
        rows.append((index, row))
    return _convert(rows)


def _convert(rows) -> tuple[list[ProcedureData], list[RowError]]:
    procedures, errors, seen = [], [], set()
    for index, row in rows:
        if not isinstance(row, dict):
            errors.append(RowError(index, "*", "mỗi thủ tục phải là một đối tượng JSON"))
            continue
        row_errors: list[RowError] = []
        procedure = _procedure(index, row, row_errors)
        if procedure and procedure.code in seen:
            row_errors.append(RowError(index, "code", f"mã thủ tục {procedure.code} bị trùng trong tệp"))
        if row_errors:
            errors.extend(row_errors)
        elif procedure:
            seen.add(procedure.code)
            procedures.append(procedure)
    return procedures, errors


def _text(row, key) -> str:
    """A text field; a list (JSON's legal bases, one a document) reads one a line, not as Python writes a list."""
    value = row.get(key)
    if isinstance(value, list | tuple):
        return "\n".join(str(item).strip() for item in value if str(item).strip())
    return "" if value is None else str(value).strip()


def _procedure(index: int, row: dict, errors: list[RowError]) -> ProcedureData | None:
    code, name = _text(row, "code"), _text(row, "name")
    if not code:
        errors.append(RowError(index, "code", "bắt buộc"))
    elif len(code) > 40:
        errors.append(RowError(index, "code", "dài quá 40 ký tự"))
    if not name:
        errors.append(RowError(index, "name", "bắt buộc"))
    levels = row.get("levels") or ([row["level"]] if row.get("level") else [])
    for level in levels:
        if level not in Level.ALL:
            errors.append(RowError(index, "level", f"“{level}” không phải một trong {', '.join(Level.ALL)}"))
    days = _number(index, row, "processing_days", errors, decimal=True)
    fee = _number(index, row, "fee_vnd", errors, decimal=False)
    online = _text(row, "online_level").lower() or None
    online = {"toàn trình": OnlineLevel.FULL, "một phần": OnlineLevel.PARTIAL}.get(online, online)
    if online is not None and online not in OnlineLevel.ALL:
        errors.append(RowError(index, "online_level", f"“{online}” không phải full, partial hoặc none"))
    documents = []
    for position, item in enumerate(row.get("required_documents") or [], start=1):
        if not isinstance(item, dict) or not _text(item, "name"):
            errors.append(RowError(index, f"required_documents[{position}]", "mỗi giấy tờ cần có “name”"))
            continue
        documents.append(RequiredDocument(name=_text(item, "name"), copies=_text(item, "copies"),
                                          group=_text(item, "group"), form=_text(item, "form")))
    process = _process(index, row, days, errors)
    form = row.get("form") or {}
    if not isinstance(form, dict):
        errors.append(RowError(index, "form", "biểu mẫu điện tử phải là một đối tượng JSON"))
    elif form:
        errors.extend(RowError(index, "form", message) for check in FORM_CHECKS for message in check(form))
    if errors:
        return None
    processing_text, fee_text = _text(row, "processing_time_text"), _text(row, "fee_text")
    # The words may give each channel its time limit ("7 Ngày làm việc (Trực tuyến, Trực tiếp)") even where the row
    # gives the counter's in `processing_days`: the online channel's is stated too (found by exploratory testing: "—").
    stated = _working_days_stated(processing_text)
    if stated and days is None:  # the number of days only in the words: taken where they say working days
        days = stated.get(Channel.COUNTER, min(stated.values()))
    # The fee per channel where the words give one ("Trực tuyến: 160,000 Việt Nam Đồng (…); Trực tiếp: 200,000 …"):
    # online is often cheaper, and a dossier pays its channel's fee (services.dossiers.version_fee_for).
    fees = _fees_stated(fee_text)
    # Each channel keeps its own part of the words, not the whole text of every channel.
    time_parts, fee_parts = _channel_parts(processing_text), _channel_parts(fee_text)
    channels = [ChannelTerms(channel=Channel.COUNTER, processing_days=days,
                             processing_text=time_parts.get(Channel.COUNTER, processing_text),
                             fee_vnd=fee if fee is not None else fees.get(Channel.COUNTER),
                             fee_text=fee_parts.get(Channel.COUNTER, fee_text))]
    channels += [ChannelTerms(channel=channel, processing_days=stated.get(channel),
                              processing_text=time_parts.get(channel, processing_text) if channel in stated else "",
                              fee_vnd=fees.get(channel), fee_text=fee_parts.get(channel, fee_text) if channel in fees else "")
                 for channel in (Channel.ONLINE, Channel.POST) if channel in stated or channel in fees]
    return ProcedureData(
        code=code, name=name, field=_text(row, "field"), levels=list(levels), agency=_text(row, "agency"),
        channels=channels, processing_days=days, processing_text=processing_text, fee_vnd=fee, fee_text=fee_text,
        online_level=online, required_documents=documents, process=process, form=form, result=_text(row, "result"),
        legal_basis=_text(row, "legal_basis"), source="curated", source_url=_national_portal_url(_text(row, "source")),
    )


_CHANNEL_WORDS = {"trực tiếp": Channel.COUNTER, "trực tuyến": Channel.ONLINE, "dịch vụ bưu chính": Channel.POST}
_WORKING_DAYS = r"(\d+(?:[.,]\d+)?)\s*ngày làm việc"


def _working_days_stated(text: str) -> dict[str, float]:
    """The working days a time-limit text states, by channel: "Trực tuyến: 17 Ngày làm việc; Trực tiếp: 27 Ngày làm
    việc", or one figure for the channels in brackets, "3 Ngày làm việc (Trực tuyến, Trực tiếp)". Nothing for a
    figure without its unit ("1 (Trực tuyến, …)": days or hours? the text stays, the desk gives the limit) or in
    another unit (calendar days, hours: not working days)."""
    text = " ".join(text.split()).casefold()
    stated = {}
    for part in text.split(";"):
        name, colon, rest = part.partition(":")
        match = re.fullmatch(_WORKING_DAYS, rest.strip()) if colon else None
        if match and name.strip() in _CHANNEL_WORDS:
            stated[_CHANNEL_WORDS[name.strip()]] = float(match[1].replace(",", "."))
    if stated:
        return stated
    match = re.fullmatch(_WORKING_DAYS + r"\s*(?:\((.*)\))?", text.strip())
    if match is None:
        return {}
    named = [_CHANNEL_WORDS.get(word.strip()) for word in (match[2] or "").split(",")]
    return dict.fromkeys([channel for channel in named if channel] or [Channel.COUNTER], float(match[1].replace(",", ".")))


def _channel_parts(text: str, *, listed: bool = True) -> dict[str, str]:
    """Each channel's own words in a text naming channels: "Trực tuyến: 10,000 Việt Nam Đồng (…); Trực tiếp: 20,000 …"
    → the part after each name; and where `listed`, "7 Ngày làm việc (Trực tuyến, Trực tiếp)" → "7 Ngày làm việc" for
    both. A channel's
    name counts only outside the notes' brackets, where notes may name channels too."""
    starts, depth = [], 0
    for position, character in enumerate(text):
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth == 0:
            for name, channel in _CHANNEL_WORDS.items():
                if text[position:position + len(name) + 1].casefold() == name + ":":
                    starts.append((position, position + len(name) + 1, channel))
    if starts:
        return {channel: text[end:starts[index + 1][0] if index + 1 < len(starts) else len(text)].strip(" ;")
                for index, (_start, end, channel) in enumerate(starts)}
    match = re.fullmatch(r"(.*?)\s*\(([^()]*)\)", " ".join(text.split())) if listed else None
    named = [_CHANNEL_WORDS.get(word.strip().casefold()) for word in match[2].split(",")] if match else []
    if named and all(named):
        return dict.fromkeys(named, match[1])
    return {}


def _fees_stated(text: str) -> dict[str, int]:
    """The fee in đồng each channel's part of a fee text states ("Trực tuyến: 10,000 Việt Nam Đồng (note); Trực tiếp:
    20,000 Việt Nam Đồng (note)"), read as the national portal's pages are (dichvucong): a note that contradicts "Miễn
    phí" or names other amounts (a re-issue's, a class's) leaves that channel's fee unstated — its words stay in the
    text. A channel's name counts only outside the notes' brackets, where notes may name channels too."""
    from one_stop.catalogue.dichvucong import _FEE_FREE, _balanced_note, _parse_fee

    fees = {}
    for channel, part in _channel_parts(text, listed=False).items():
        head = _FEE_FREE if part.startswith(_FEE_FREE) else part.split("(", 1)[0].strip()
        amount, _issues = _parse_fee(head, _balanced_note(part[len(head):].strip()))
        if amount is not None:
            fees[channel] = amount
    return fees


def _national_portal_url(source: str) -> str:
    """The national portal's page a source names: the curated file gives the crawler's copy on GitHub "(crawled from
    https://dichvucong.gov.vn/…)" — the link for citizens is the portal's own page, not the crawler's file."""
    match = re.search(r"https://dichvucong\.gov\.vn/[^\s)]*", source)
    if match:
        return match[0]
    return source if "dichvucong.gov.vn" in source.split("/")[2:3] else ""


# Checks of an online form's schema, registered by the app that renders forms (public_services), so the
# catalogue refuses a broken form at import without depending on it.
FORM_CHECKS: list = []

AGENCY_CODE = re.compile(r"^[A-Z0-9]{3}\.[A-Z0-9]{2}\.[A-Z0-9]{2}\.[A-Z0-9]{3}$")


def _process(index: int, row: dict, total_days, errors: list[RowError]) -> list[ProcessStep]:
    """The internal process: each step's role must exist, its agency be known, and the shares of the
    working days add up to no more than the procedure's time limit."""
    from egov.accounts.roles import Role

    steps = []
    for position, item in enumerate(row.get("process") or [], start=1):
        where = f"process[{position}]"
        if not isinstance(item, dict) or not _text(item, "name"):
            errors.append(RowError(index, where, "mỗi bước cần có “name”"))
            continue
        role = _text(item, "role")
        if role not in Role.values:
            errors.append(RowError(index, f"{where}.role", f"“{role}” không phải một trong {', '.join(Role.values)}"))
        agency = _text(item, "agency") or "competent"
        if agency not in ("receiving", "competent") and not AGENCY_CODE.match(agency):
            errors.append(RowError(index, f"{where}.agency", f"“{agency}” phải là receiving, competent hoặc mã cơ quan"))
        days = _number(index, item, "days", errors, decimal=True) or 0
        steps.append(ProcessStep(name=_text(item, "name"), role=role, agency=agency, days=days))
    if steps and total_days is not None and sum(step.days for step in steps) > total_days:
        errors.append(RowError(index, "process", f"tổng số ngày các bước vượt thời hạn giải quyết ({total_days:g} ngày)"))
    return steps


def _number(index, row, key, errors, *, decimal: bool):
    """A number of days (decimal) or đồng: refused by its row and field when it is not a finite number, is negative or
    exceeds what the catalogue allows (MAX_PROCESSING_DAYS, MAX_FEE_VND — beyond them the database column itself
    would refuse the row and end the import)."""
    from one_stop.services.catalogue import MAX_FEE_VND, MAX_PROCESSING_DAYS

    value = row.get(key)
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).replace(",", ".")) if decimal else int(str(value).replace(".", "").replace(",", ""))
    except (InvalidOperation, ValueError):
        errors.append(RowError(index, key, f"“{value}” không phải là số"))
        return None
    if decimal and not number.is_finite():  # "NaN", "Infinity": Decimal reads them
        errors.append(RowError(index, key, f"“{value}” không phải là số"))
        return None
    if number < 0:
        errors.append(RowError(index, key, "không được âm"))
        return None
    maximum = MAX_PROCESSING_DAYS if decimal else MAX_FEE_VND
    if number > maximum:
        errors.append(RowError(index, key, f"tối đa {maximum:,}".replace(",", ".")))
        return None
    return float(number) if decimal else number
