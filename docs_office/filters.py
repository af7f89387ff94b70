"""The lists' filters beside the search: a document type and a range of document dates (the pages' form and the
API's query parameters `type`, `from`, `to`)."""

import re
import time
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

# Document types change in the admin, a few times a year: read them at most this often per process.
TYPES_SECONDS = 60
_types: list = [0.0, ()]
_DATE = re.compile(r"^(?:(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})|(?P<d2>\d{1,2})/(?P<m2>\d{1,2})/(?P<y2>\d{4}))$")


@dataclass(frozen=True)
class ListFilters:
    document_type: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def __bool__(self) -> bool:
        return bool(self.document_type or self.date_from or self.date_to)


def document_type_choices() -> tuple[tuple[str, str], ...]:
    """(code, name) of the active document types, in their order."""
    from docs_office.models import DocumentType

    read_at, choices = _types
    if time.monotonic() - read_at > TYPES_SECONDS or not choices:
        choices = tuple(DocumentType.objects.filter(is_active=True).values_list("code", "name"))
        _types[:] = [time.monotonic(), choices]
    return choices


def document_types_forget(**_kwargs) -> None:
    """Read the types again at the next list (a type saved in this process; the others wait TYPES_SECONDS)."""
    _types[:] = [0.0, ()]


def _date(text: str) -> date | None:
    found = _DATE.match(text.strip())
    if not found:
        raise ValueError(text)
    year, month, day = (int(found["y"] or found["y2"]), int(found["m"] or found["m2"]), int(found["d"] or found["d2"]))
    if not 1900 <= year <= 2100:
        raise ValueError(text)
    return date(year, month, day)


def list_filters_parse(params) -> tuple[ListFilters, dict[str, list[str]]]:
    """The filters of a query (`type`, `from`, `to`: dates as yyyy-mm-dd or dd/mm/yyyy) and, per parameter, what is
    wrong with it; a wrong value filters nothing."""
    errors: dict[str, list[str]] = {}
    document_type = (params.get("type") or "").strip()
    if document_type and document_type not in dict(document_type_choices()):
        errors["type"] = [_("Loại văn bản không có trong danh mục.")]
        document_type = ""
    dates = {}
    for name in ("from", "to"):
        text = (params.get(name) or "").strip()
        if not text:
            dates[name] = None
            continue
        try:
            dates[name] = _date(text)
        except ValueError:
            errors[name] = [_("Ngày không hợp lệ: nhập theo dạng năm-tháng-ngày (YYYY-MM-DD) hoặc ngày/tháng/năm "
                              "(DD/MM/YYYY).")]
            dates[name] = None
    if dates["from"] and dates["to"] and dates["from"] > dates["to"]:
        errors["to"] = [_("Đến ngày phải sau từ ngày.")]
        dates["to"] = None
    return ListFilters(document_type=document_type, date_from=dates["from"], date_to=dates["to"]), errors
