"""The catalogue's exchange format: what an importer hands to the procedure services.

Every source (the project's JSON/CSV, the national portal's raw pages) is read into `ProcedureData`;
`procedure_upsert` stores it. Values a source does not give stay None — never guessed.
"""

import dataclasses
from dataclasses import dataclass


class Channel:
    COUNTER = "counter"  # Trực tiếp
    ONLINE = "online"  # Trực tuyến
    POST = "post"  # Dịch vụ bưu chính

    ALL = (COUNTER, ONLINE, POST)


class Level:
    COMMUNE = "commune"
    DISTRICT = "district"  # before the 1 July 2025 reform; kept for old records
    PROVINCE = "province"
    CENTRAL = "central"

    ALL = (COMMUNE, DISTRICT, PROVINCE, CENTRAL)


class OnlineLevel:
    FULL = "full"  # toàn trình (old level 4)
    PARTIAL = "partial"  # một phần (old level 3)
    NONE = "none"

    ALL = (FULL, PARTIAL, NONE)


@dataclass
class ChannelTerms:
    """Time limit and fee for one way of submitting."""

    channel: str
    processing_days: float | None = None  # working days; 0 = same day; None = not stated
    processing_text: str = ""  # the source's words, always kept
    fee_vnd: int | None = None  # đồng; 0 = free; None = not stated or not parseable
    fee_text: str = ""


@dataclass
class RequiredDocument:
    name: str
    copies: str = ""  # as written: "1 bản chính", "01 bản sao"
    group: str = ""  # heading in the source: "* Giấy tờ phải nộp:"
    form: str = ""  # file name of the form template, if any


@dataclass
class ProcessStep:
    """A step of the internal process: who handles it, where, and its share of the working days."""

    name: str
    role: str  # an egov.accounts.roles.Role value
    agency: str = "competent"  # "receiving", "competent" or an agency exchange code (joint procedures)
    days: float = 0


@dataclass
class ProcedureData:
    code: str
    name: str
    field: str = ""
    levels: list[str] = dataclasses.field(default_factory=list)  # Level values
    agency: str = ""  # the competent/implementing agency as written
    channels: list[ChannelTerms] = dataclasses.field(default_factory=list)
    processing_days: float | None = None  # the general time limit when one is stated
    processing_text: str = ""
    fee_vnd: int | None = None
    fee_text: str = ""
    online_level: str | None = None  # None = the source does not say (an existing level is kept)
    required_documents: list[RequiredDocument] = dataclasses.field(default_factory=list)
    steps: list[str] = dataclasses.field(default_factory=list)  # the public description of the steps
    process: list[ProcessStep] = dataclasses.field(default_factory=list)  # the internal process, when declared
    form: dict = dataclasses.field(default_factory=dict)  # the online form (public_services.forms format)
    result: str = ""
    legal_basis: str = ""
    conditions: str = ""
    source: str = ""  # "curated", "dichvucong", "csv"
    source_url: str = ""
    raw: dict = dataclasses.field(default_factory=dict)  # fields kept as text where parsing could not be trusted
    issues: list[str] = dataclasses.field(default_factory=list)  # what could not be parsed, for the import report
