"""edXML packages: the envelope of document exchange with agencies outside the system.

The header follows the fields of the national exchange standard (DESIGN.md §4; Decree 30 appendix VI
metadata): From/To (agency code and name), document id, code number and notation, promulgation place
and date, type, subject, signer (competence, position, name), due date, recipients, priority, page count,
the document it answers, and the trace of routing. This package carries the signed PDF inside the XML
(base64) rather than as a MIME part: one self-contained file to export, upload and check.
A separate status message reports delivery and handling back to the sender.
"""

import base64
import binascii
import io
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from xml.etree import ElementTree as ET

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from docs_office.constants import PAGE_COUNT_MAX
from docs_office.services.dates import deadline_problem, document_date_problem
from egov.agencies.models import EXCHANGE_CODE_RE
from egov.core.text import parse_int
from egov.core.uploads import DOCX, JPEG, PDF, PNG, sniff_content_type

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
P = f"{{{NS}}}"
ET.register_namespace("edXML", NS)

# Priority codes of the header: 0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc (our Urgency values map 1:1).
PRIORITY_CODES = {"normal": "0", "urgent": "1", "very_urgent": "2", "flash": "3"}
PRIORITY_BY_CODE = {v: k for k, v in PRIORITY_CODES.items()}
# Status message codes reported back to the sender. The names are the message's Description, in Vietnamese on the
# wire; marked (gettext_noop) so that pages show them translated ({% translate status.description %}).
STATUS_CODES = {
    "01": gettext_noop("Đã đến"), "02": gettext_noop("Từ chối tiếp nhận"), "03": gettext_noop("Đã tiếp nhận"),
    "04": gettext_noop("Đã phân công"), "05": gettext_noop("Đang xử lý"), "06": gettext_noop("Hoàn thành"),
    "13": gettext_noop("Lấy lại"), "15": gettext_noop("Cập nhật"),
}
# The exchanged document is the signed PDF (the builder declares it so); nothing else is taken in.
ATTACHMENT_TYPES = (PDF,)
# Its appendices (further Attachment elements, after the document's): what an incoming attachment may be.
APPENDIX_TYPES = (PDF, JPEG, PNG, DOCX)
CONTENT_TYPE_NAMES = {PDF: "application/pdf", JPEG: "image/jpeg", PNG: "image/png", DOCX: DOCX}
MAX_APPENDICES = 50
# The recipients list (ToPlaces) and routing trace of one package: beyond these it is not a document's envelope.
MAX_TO_PLACES, TO_PLACE_MAX_LENGTH = 200, 500
MAX_TRACE = 50
MAX_PACKAGE_BYTES = 60 * 1024 * 1024
MAX_STATUS_BYTES = 256 * 1024


@dataclass
class Agency:
    code: str
    name: str


@dataclass
class EdxmlFile:
    """An appendix carried in the package: the sender's name for it (display only) and its bytes."""

    name: str
    data: bytes


@dataclass
class EdxmlPackage:
    document_id: str
    sender: Agency
    recipients: list[Agency]
    code_number: str
    code_notation: str
    place: str
    promulgation_date: date
    type_code: str
    type_name: str
    subject: str
    signer_competence: str
    signer_position: str
    signer_name: str
    priority: str
    page_count: int | None
    due_date: date | None = None
    to_places: list[str] = field(default_factory=list)
    response_for: str = ""
    trace: list[str] = field(default_factory=list)
    attachment_name: str = ""
    attachment: bytes = b""
    # The document's appendices (phụ lục), each its own Attachment element after the document's.
    appendices: list[EdxmlFile] = field(default_factory=list)


@dataclass
class EdxmlStatus:
    """A status message: `sender` (the recipient of the document) reports to `recipient` (its sender)."""

    document_id: str
    sender: Agency
    recipient: Agency
    code: str
    description: str
    at: datetime
    staff: str = ""


class EdxmlError(Exception):
    """A malformed package: `problems` lists every reason, in Vietnamese, for the import report."""

    def __init__(self, problems: list[str]):
        # Each reason a sentence of the report: capitalised, whichever label it starts with ("ngày ban hành …").
        problems = [capfirst(problem) for problem in problems]
        super().__init__("; ".join(problems))
        self.problems = problems


def _sub(parent, tag: str, text=None):
    element = ET.SubElement(parent, P + tag)
    if text is not None:
        element.text = str(text)
    return element


def _agency(parent, tag: str, agency: Agency) -> None:
    element = _sub(parent, tag)
    _sub(element, "OrganId", agency.code)
    _sub(element, "OrganName", agency.name)


def edxml_build(package: EdxmlPackage) -> bytes:
    root = ET.Element(P + "edXMLEnvelope")
    header = _sub(root, "edXMLHeader")
    message = _sub(header, "MessageHeader")
    _agency(message, "From", package.sender)
    for recipient in package.recipients:
        _agency(message, "To", recipient)
    _sub(message, "DocumentId", package.document_id)
    code = _sub(message, "Code")
    _sub(code, "CodeNumber", package.code_number)
    _sub(code, "CodeNotation", package.code_notation)
    promulgation = _sub(message, "PromulgationInfo")
    _sub(promulgation, "Place", package.place)
    _sub(promulgation, "PromulgationDate", package.promulgation_date.isoformat())
    doc_type = _sub(message, "DocumentType")
    _sub(doc_type, "Type", package.type_code)
    _sub(doc_type, "TypeName", package.type_name)
    _sub(message, "Subject", package.subject)
    signer = _sub(message, "SignerInfo")
    _sub(signer, "Competence", package.signer_competence)
    _sub(signer, "Position", package.signer_position)
    _sub(signer, "FullName", package.signer_name)
    if package.due_date:
        _sub(message, "DueDate", package.due_date.isoformat())
    places = _sub(message, "ToPlaces")
    for place in package.to_places:
        _sub(places, "Place", place)
    other = _sub(message, "OtherInfo")
    _sub(other, "Priority", PRIORITY_CODES[package.priority])
    if package.page_count is not None:
        _sub(other, "PageAmount", package.page_count)
    if package.response_for:
        _sub(message, "ResponseFor", package.response_for)
    traces = _sub(header, "TraceHeaderList")
    for trace in package.trace:
        _sub(traces, "TraceHeader", trace)
    body = _sub(root, "edXMLBody")
    if package.attachment:
        attachment = _sub(body, "Attachment")
        attachment.set("name", package.attachment_name or "van-ban.pdf")
        attachment.set("contentType", "application/pdf")
        attachment.text = base64.b64encode(package.attachment).decode("ascii")
    for index, appendix in enumerate(package.appendices, start=1):
        element = _sub(body, "Attachment")
        content_type = sniff_content_type(io.BytesIO(appendix.data))
        element.set("name", appendix.name or f"phu-luc-{index}")
        element.set("contentType", CONTENT_TYPE_NAMES.get(content_type, "application/octet-stream"))
        element.set("description", "appendix")
        element.text = base64.b64encode(appendix.data).decode("ascii")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _text(parent, path: str) -> str:
    element = parent.find("/".join(P + part for part in path.split("/")))
    return (element.text or "").strip() if element is not None else ""


def _date(value: str, label: str, problems: list[str], *, required: bool) -> date | None:
    if not value:
        if required:
            problems.append(_("Thiếu %(f)s.") % {"f": label})
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(_("%(f)s không đúng định dạng ngày (YYYY-MM-DD): “%(v)s”.") % {"f": capfirst(label),
                                                                                   "v": value[:30]})
        return None


def _agency_read(element, label: str, problems: list[str]) -> Agency:
    code, name = _text(element, "OrganId"), _text(element, "OrganName")
    if not code:
        problems.append(_("Thiếu mã định danh của %(f)s.") % {"f": label})
    elif not re.match(EXCHANGE_CODE_RE, code):
        problems.append(_("Mã định danh của %(f)s không hợp lệ: “%(v)s” (dạng 000.00.00.H41).") % {"f": label,
                                                                                                   "v": code[:30]})
    if not name:
        problems.append(_("Thiếu tên cơ quan của %(f)s.") % {"f": label})
    return Agency(code=code, name=name)


def _xml_root(data: bytes, *, status: bool = False) -> ET.Element:
    """The root element of an uploaded file, once its size, encoding and the absence of any DTD are checked.
    The same checks serve packages and status messages; each kind reports in its own words."""
    if len(data) > (MAX_STATUS_BYTES if status else MAX_PACKAGE_BYTES):
        raise EdxmlError([_("Thông điệp trạng thái quá lớn.") if status else _("Gói tin quá lớn.")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise EdxmlError([_("Thông điệp trạng thái không được mã hóa UTF-8.") if status
                          else _("Gói tin không được mã hóa UTF-8.")]) from None
    declared = re.match(r"<\?xml[^>]*encoding=[\"']([A-Za-z0-9_-]+)[\"']", text.lstrip("\ufeff"))
    if declared and declared.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        message = (_("Thông điệp trạng thái khai báo bảng mã %(e)s; chỉ chấp nhận UTF-8.") if status
                   else _("Gói tin khai báo bảng mã %(e)s; chỉ chấp nhận UTF-8."))
        raise EdxmlError([message % {"e": declared.group(1)}])
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise EdxmlError([_("Thông điệp trạng thái không được chứa khai báo DOCTYPE hoặc ENTITY.") if status
                          else _("Gói tin không được chứa khai báo DOCTYPE hoặc ENTITY.")])
    try:
        # Safe without defusedxml: any DTD is refused above (so no entity expansion or external
        # resources), and ElementTree resolves no external entities anyway.
        return ET.fromstring(data)  # noqa: S314
    except ET.ParseError as exc:
        line, column = exc.position
        # The parser's own words are English ("syntax error: line 1, column 0"): a clerk gets what is wrong in
        # Vietnamese and where, the column counted from 1 as an editor shows it.
        message = (_("Thông điệp trạng thái không phải XML hợp lệ: %(e)s ở dòng %(l)s, cột %(c)s.") if status
                   else _("Tệp không phải XML hợp lệ: %(e)s ở dòng %(l)s, cột %(c)s."))
        raise EdxmlError([message % {"e": _xml_error_reason(exc.code), "l": line, "c": column + 1}]) from None


def _xml_error_reason(code: int) -> str:
    from xml.parsers.expat import errors

    reasons = {
        errors.codes[errors.XML_ERROR_NO_ELEMENTS]: _("tệp rỗng hoặc bị cắt cụt"),
        errors.codes[errors.XML_ERROR_INVALID_TOKEN]: _("có ký tự không hợp lệ"),
        errors.codes[errors.XML_ERROR_TAG_MISMATCH]: _("thẻ đóng không khớp với thẻ mở"),
        errors.codes[errors.XML_ERROR_UNCLOSED_TOKEN]: _("có thẻ chưa đóng"),
        errors.codes[errors.XML_ERROR_JUNK_AFTER_DOC_ELEMENT]: _("có nội dung thừa sau phần tử gốc"),
        errors.codes[errors.XML_ERROR_DUPLICATE_ATTRIBUTE]: _("có thuộc tính lặp lại"),
        errors.codes[errors.XML_ERROR_UNBOUND_PREFIX]: _("có tiền tố không gian tên chưa khai báo"),
    }
    return reasons.get(code, _("lỗi cú pháp"))


# Header values an import stores, and the incoming document's column each lands in: a value longer than that
# column's max_length is a problem of the package (reported with the others), not a database error.
# (The sender's OrganId needs no entry: its format, checked above, is shorter than its column.)
STORED_AS = {"DocumentId": "external_id", "Code/CodeNumber": "number", "Code/CodeNotation": "symbol",
             "SignerInfo/FullName": "signer_name", "From/OrganName": "issuer_name",
             "SignerInfo/Position": "signer_position", "SignerInfo/Competence": "signer_competence",
             "PromulgationInfo/Place": "place"}


def trace_hop(line: str) -> tuple[str, datetime] | None:
    """One hop of the routing trace, "<agency code>,<ISO 8601 time with its offset>" (as this system writes it):
    the code and the aware time, or None when the line is not of that form."""
    code, comma, moment = (line or "").partition(",")
    if not comma or not re.match(EXCHANGE_CODE_RE, code.strip()):
        return None
    try:
        at = datetime.fromisoformat(moment.strip())
    except ValueError:
        return None
    return (code.strip(), at) if not timezone.is_naive(at) else None


def trace_hop_line(code: str, at: datetime) -> str:
    """A hop as the trace holds it: the agency's code and the local time to the second, with its offset."""
    return f"{code},{timezone.localtime(at).isoformat(timespec='seconds')}"


def _check_lists(message, root, problems: list[str]) -> tuple[list[str], list[str]]:
    """ToPlaces and the trace, each line checked: a line too long, too many lines, or a hop that is not
    "<code>,<time>" is refused with its position (nothing is cut: a truncated recipient or hop would say
    something the sender did not)."""
    places = [" ".join((e.text or "").split()) for e in message.findall(f"{P}ToPlaces/{P}Place")]
    places = [place for place in places if place]
    if len(places) > MAX_TO_PLACES:
        problems.append(_("Gói tin có %(n)s nơi nhận (ToPlaces), vượt quá %(max)s.") % {"n": len(places),
                                                                                      "max": MAX_TO_PLACES})
    for index, place in enumerate(places[:MAX_TO_PLACES], start=1):
        if len(place) > TO_PLACE_MAX_LENGTH:
            problems.append(_("Nơi nhận thứ %(i)s (ToPlaces) dài %(n)s ký tự, vượt quá %(max)s ký tự cho phép.")
                            % {"i": index, "n": len(place), "max": TO_PLACE_MAX_LENGTH})
    trace = [(e.text or "").strip() for e in root.findall(f"{P}edXMLHeader/{P}TraceHeaderList/{P}TraceHeader")]
    if len(trace) > MAX_TRACE:
        problems.append(_("Vết chuyển văn bản (TraceHeader) có %(n)s bước, vượt quá %(max)s.") % {"n": len(trace),
                                                                                               "max": MAX_TRACE})
    for index, line in enumerate(trace[:MAX_TRACE], start=1):
        if trace_hop(line) is None:
            problems.append(_("Bước thứ %(i)s của vết chuyển văn bản (TraceHeader) không đúng dạng “mã định danh,"
                              "thời điểm ISO 8601” (ví dụ 000.00.00.H41,2026-11-23T09:00:00+07:00): “%(v)s”.")
                            % {"i": index, "v": line[:60]})
    return places, trace


def _check_lengths(values: dict[str, str], labels: dict[str, str], problems: list[str]) -> None:
    from docs_office.models import IncomingDocument

    for path, value in values.items():
        limit = IncomingDocument._meta.get_field(STORED_AS[path]).max_length
        if len(value) > limit:
            problems.append(_("%(f)s dài %(n)s ký tự, vượt quá %(max)s ký tự cho phép.")
                            % {"f": capfirst(labels[path]), "n": len(value), "max": limit})


def edxml_parse(data: bytes) -> EdxmlPackage:
    """Read and check a package; every problem found is reported at once (EdxmlError)."""
    root = _xml_root(data)
    if root.tag != P + "edXMLEnvelope":
        raise EdxmlError([_("Không phải gói tin edXML (thiếu edXMLEnvelope trong không gian tên %(ns)s).") % {"ns": NS}])
    message = root.find(f"{P}edXMLHeader/{P}MessageHeader")
    if message is None:
        raise EdxmlError([_("Thiếu phần MessageHeader.")])
    problems: list[str] = []
    sender_element = message.find(P + "From")
    if sender_element is None:
        problems.append(_("Thiếu nơi gửi (From)."))
        sender = Agency("", "")
    else:
        sender = _agency_read(sender_element, _("nơi gửi"), problems)
    recipients = [_agency_read(e, _("nơi nhận"), problems) for e in message.findall(P + "To")]
    if not recipients:
        problems.append(_("Thiếu nơi nhận (To)."))
    required = {
        "DocumentId": _("mã văn bản (DocumentId)"), "Code/CodeNumber": _("số văn bản (CodeNumber)"),
        "PromulgationInfo/Place": _("địa danh ban hành"), "DocumentType/Type": _("mã loại văn bản"),
        "DocumentType/TypeName": _("tên loại văn bản"), "Subject": _("trích yếu (Subject)"),
        "SignerInfo/FullName": _("họ tên người ký"), "OtherInfo/Priority": _("độ khẩn (Priority)"),
    }
    values = {path: _text(message, path) for path in required}
    for path, label in required.items():
        if not values[path]:
            problems.append(_("Thiếu %(f)s.") % {"f": label})
    promulgated = _date(_text(message, "PromulgationInfo/PromulgationDate"), _("ngày ban hành"), problems,
                        required=True)
    if promulgated and promulgated > timezone.localdate():
        problems.append(_("Ngày ban hành %(d)s sau ngày nhận gói.") % {"d": promulgated.strftime("%d/%m/%Y")})
    elif problem := document_date_problem(promulgated, label=_("ngày ban hành (PromulgationDate)")):
        problems.append(problem)
    due = _date(_text(message, "DueDate"), _("hạn xử lý"), problems, required=False)
    if problem := deadline_problem(due, label=_("hạn xử lý (DueDate)")):
        problems.append(problem)
    if due and promulgated and due < promulgated:
        # As the scan form refuses it: a deadline before the document's own date is a typo of the sender's.
        problems.append(_("Hạn xử lý (DueDate) %(h)s trước ngày ban hành %(d)s: hạn xử lý không thể trước ngày văn "
                          "bản.") % {"h": due.strftime("%d/%m/%Y"), "d": promulgated.strftime("%d/%m/%Y")})
    notation = _text(message, "Code/CodeNotation")
    competence, position = _text(message, "SignerInfo/Competence"), _text(message, "SignerInfo/Position")
    _check_lengths(
        {**{path: values[path] for path in ("DocumentId", "Code/CodeNumber", "SignerInfo/FullName",
                                            "PromulgationInfo/Place")},
         "Code/CodeNotation": notation, "From/OrganName": sender.name, "SignerInfo/Competence": competence,
         "SignerInfo/Position": position},
        {**required, "Code/CodeNotation": _("ký hiệu văn bản (CodeNotation)"),
         "From/OrganName": _("tên cơ quan của nơi gửi (OrganName)"),
         "SignerInfo/Competence": _("thẩm quyền ký (Competence)"),
         "SignerInfo/Position": _("chức vụ người ký (Position)")}, problems)
    to_places, trace = _check_lists(message, root, problems)
    priority_code = values["OtherInfo/Priority"]
    if priority_code and priority_code not in PRIORITY_BY_CODE:
        problems.append(_("Mã độ khẩn không hợp lệ: “%(v)s” (0–3).") % {"v": priority_code[:10]})
    pages_text = _text(message, "OtherInfo/PageAmount")
    page_count = None
    if pages_text:
        # ASCII digits only ('²' is a digit to isdigit(), not to int()), within what a register takes.
        page_count = parse_int(pages_text, max_digits=9)
        if page_count is None or not 0 < page_count <= PAGE_COUNT_MAX:
            page_count = None
            problems.append(_("Số trang không hợp lệ: “%(v)s”.") % {"v": pages_text[:10]})
    attachment, attachment_name = b"", ""
    # The first Attachment is the document itself; any further ones are its appendices (phụ lục).
    attachment_elements = root.findall(f"{P}edXMLBody/{P}Attachment")
    if attachment_elements:
        attachment_element = attachment_elements[0]
        # Kept for the record only: the import stores the file under a name of its own (the sender's name could
        # choose the type a browser renders, or point outside the storage).
        attachment_name = attachment_element.get("name", "")
        try:
            attachment = base64.b64decode((attachment_element.text or "").strip(), validate=True)
        except (binascii.Error, ValueError):
            problems.append(_("Tệp đính kèm không đúng mã hóa base64."))
        else:
            # By content, as every upload is (the declared contentType and name are the sender's say-so).
            if sniff_content_type(io.BytesIO(attachment)) not in ATTACHMENT_TYPES:
                problems.append(_("Tệp đính kèm không phải PDF."))
    appendices = _appendices_read(attachment_elements[1:], problems)
    if problems:
        raise EdxmlError(problems)
    return EdxmlPackage(
        document_id=values["DocumentId"], sender=sender, recipients=recipients,
        code_number=values["Code/CodeNumber"], code_notation=notation,
        place=values["PromulgationInfo/Place"], promulgation_date=promulgated, type_code=values["DocumentType/Type"],
        type_name=values["DocumentType/TypeName"], subject=values["Subject"],
        signer_competence=competence, signer_position=position,
        signer_name=values["SignerInfo/FullName"], priority=PRIORITY_BY_CODE[priority_code], page_count=page_count,
        due_date=due, to_places=to_places, response_for=_text(message, "ResponseFor"), trace=trace,
        attachment_name=attachment_name, attachment=attachment, appendices=appendices,
    )


def _appendices_read(elements, problems: list[str]) -> list[EdxmlFile]:
    """Every appendix, checked by content like the document; each bad one named by its position."""
    if len(elements) > MAX_APPENDICES:
        problems.append(_("Gói tin có %(n)s tệp phụ lục, vượt quá %(max)s tệp.") % {"n": len(elements),
                                                                                   "max": MAX_APPENDICES})
        return []
    appendices = []
    for index, element in enumerate(elements, start=1):
        name = " ".join(element.get("name", "").split())[:255]
        try:
            data = base64.b64decode((element.text or "").strip(), validate=True)
        except (binascii.Error, ValueError):
            problems.append(_("Tệp phụ lục thứ %(i)s không đúng mã hóa base64.") % {"i": index})
            continue
        if sniff_content_type(io.BytesIO(data)) not in APPENDIX_TYPES:
            problems.append(_("Tệp phụ lục thứ %(i)s không phải PDF, JPEG, PNG hoặc DOCX.") % {"i": index})
            continue
        appendices.append(EdxmlFile(name, data))
    return appendices


def edxml_status(*, document_id: str, sender: Agency, recipient: Agency, code: str, description: str = "",
                 staff: str = "", at: datetime | None = None) -> bytes:
    """The status message a recipient sends back (delivery and handling)."""
    if code not in STATUS_CODES:
        raise ValueError(f"unknown status code {code!r}")
    root = ET.Element(P + "Status")
    header = _sub(root, "Header")
    _agency(header, "From", sender)
    _agency(header, "To", recipient)
    _sub(header, "DocumentId", document_id)
    _sub(root, "StatusCode", code)
    _sub(root, "Description", description or STATUS_CODES[code])
    # Local time, as every other time we exchange (trace, promulgation): a clerk reading the message sees +07:00.
    _sub(root, "Timestamp", timezone.localtime(at or timezone.now()).isoformat(timespec="seconds"))
    _sub(root, "StaffInfo", staff)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def edxml_status_parse(data: bytes) -> EdxmlStatus:
    """Read and check a status message; every problem found is reported at once (EdxmlError)."""
    root = _xml_root(data, status=True)
    if root.tag != P + "Status":
        raise EdxmlError([_("Không phải thông điệp trạng thái edXML (thiếu Status trong không gian tên %(ns)s).")
                          % {"ns": NS}])
    problems: list[str] = []
    header = root.find(P + "Header")
    if header is None:
        raise EdxmlError([_("Thiếu phần Header của thông điệp trạng thái.")])
    agencies = {}
    for tag, label in (("From", _("nơi gửi")), ("To", _("nơi nhận"))):
        element = header.find(P + tag)
        if element is None:
            problems.append(_("Thiếu %(f)s (%(t)s).") % {"f": label, "t": tag})
            agencies[tag] = Agency("", "")
        else:
            agencies[tag] = _agency_read(element, label, problems)
    document_id = _text(header, "DocumentId")
    if not document_id:
        problems.append(_("Thiếu %(f)s.") % {"f": _("mã văn bản (DocumentId)")})
    code = _text(root, "StatusCode")
    if not code:
        problems.append(_("Thiếu %(f)s.") % {"f": _("mã trạng thái (StatusCode)")})
    elif code not in STATUS_CODES:
        problems.append(_("Mã trạng thái không hợp lệ: “%(v)s” (%(codes)s).")
                        % {"v": code[:10], "codes": ", ".join(STATUS_CODES)})
    stamp, at = _text(root, "Timestamp"), None
    if not stamp:
        problems.append(_("Thiếu %(f)s.") % {"f": _("thời điểm (Timestamp)")})
    else:
        try:
            at = datetime.fromisoformat(stamp)
        except ValueError:
            problems.append(_("Thời điểm không đúng định dạng (YYYY-MM-DDThh:mm:ss+07:00): “%(v)s”.") % {"v": stamp[:40]})
        else:
            if timezone.is_naive(at):
                at = timezone.make_aware(at)
            if at > timezone.now() + timedelta(hours=1):
                problems.append(_("Thời điểm ở tương lai: “%(v)s”.") % {"v": stamp[:40]})
    if problems:
        raise EdxmlError(problems)
    return EdxmlStatus(document_id=document_id, sender=agencies["From"], recipient=agencies["To"], code=code,
                       description=_text(root, "Description") or STATUS_CODES[code], at=at,
                       staff=_text(root, "StaffInfo"))


def new_document_id(agency_code: str) -> str:
    return f"{agency_code},{uuid.uuid4()}"
