"""What the eOffice pages, composed drafts and register exports show: labels rather than stored codes, the Decree 30
layout's signer block and recipients, the dashboard's columns, the two register exports agreeing."""

import html
import re
from pathlib import Path

import pytest
from django.urls import reverse

from docs_office.constants import (
    INCOMING_EVENT_ACTIONS,
    OUTGOING_EVENT_ACTIONS,
    DeliveryState,
    IncomingState,
    OutgoingState,
)
from docs_office.models import OutgoingEvent
from docs_office.services.incoming import incoming_close, incoming_opinion_add
from egov.accounts.roles import Role
from tests.docs_office.factories import assign_to, register_scan
from tests.docs_office.test_outgoing import approved
from tests.docs_office.test_views import signed_in

pytestmark = pytest.mark.django_db


def _history(page: str) -> list[list[str]]:
    """The cells of the "Lịch sử xử lý" table, row by row, as the reader sees them."""
    table = page.split("Lịch sử xử lý", 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)]


def test_the_incoming_history_shows_each_step_and_state_by_its_label(client, staff):
    clerk, leader, specialist = staff[Role.RECORDS_CLERK], staff[Role.LEADER], staff[Role.SPECIALIST]
    document = assign_to(leader, register_scan(clerk), lead=specialist)
    incoming_opinion_add(user=specialist, document=document, text="Đang xử lý", progress=40)
    incoming_close(user=specialist, document=document, result="Đã trả lời")
    events = list(document.events.all())
    assert {e.action for e in events} >= {"register", "assign", "start", "close"}

    rows = _history(signed_in(client, leader).get(reverse("docs_office:incoming_detail", args=[document.pk])).content
                    .decode())

    # The progress report is a step of the history too, read from the opinion (before the start it caused).
    assert [(r[1], r[3], r[4]) for r in rows if r[1] != "Báo cáo tiến độ"] == [
        (str(INCOMING_EVENT_ACTIONS[e.action]), IncomingState(e.from_state).label if e.from_state else "—",
         IncomingState(e.to_state).label) for e in events]
    assert [r[1] for r in rows][2:4] == ["Báo cáo tiến độ", str(INCOMING_EVENT_ACTIONS["start"])]
    codes = {e.action for e in events} | {e.to_state for e in events}
    assert not codes & {cell for row in rows for cell in row}


def test_the_outgoing_history_shows_labels_and_a_delivery_report_by_its_delivery_states(client, staff):
    document = approved(staff)
    OutgoingEvent.objects.create(document=document, action="edxml_status", from_state=DeliveryState.SENT,
                                 to_state=DeliveryState.REGISTERED, at=document.created_at)
    OutgoingEvent.objects.create(document=document, action="legacy_step", from_state="approved",
                                 to_state="legacy_state", at=document.created_at)

    rows = _history(signed_in(client, staff[Role.LEADER]).get(reverse("docs_office:outgoing_detail",
                                                                      args=[document.pk])).content.decode())

    steps = {r[1]: (r[3], r[4]) for r in rows}
    for action, from_state, to_state in [("create", "", "draft"), ("submit", "draft", "head_review"),
                                         ("head_approve", "head_review", "leader_review"),
                                         ("leader_approve", "leader_review", "approved")]:
        assert steps[str(OUTGOING_EVENT_ACTIONS[action])] == (
            OutgoingState(from_state).label if from_state else "—", OutgoingState(to_state).label)
    assert steps[str(OUTGOING_EVENT_ACTIONS["edxml_status"])] == (DeliveryState.SENT.label,
                                                                   DeliveryState.REGISTERED.label)
    # A code without a label is shown as stored, not dropped.
    assert steps["legacy_step"] == (OutgoingState.APPROVED.label, "legacy_state")


def test_every_step_the_services_record_has_a_label():
    import docs_office
    from docs_office.services.outgoing import REVIEW_ACTIONS

    sources = (Path(docs_office.__file__).parent / "services").glob("*.py")
    recorded = {code for path in sources for code in re.findall(r'\baction="([a-z_]+)"', path.read_text())}
    assert recorded >= {"register", "arrive", "import_edxml", "export_edxml", "edxml_status"}
    assert recorded | set(REVIEW_ACTIONS) <= set(INCOMING_EVENT_ACTIONS) | set(OUTGOING_EVENT_ACTIONS)


def _recipients_on_page(client, document) -> str:
    page = client.get(reverse("docs_office:outgoing_detail", args=[document.pk])).content.decode()
    return html.unescape(re.search(r'<dd data-field="recipients">(.*?)</dd>', page, flags=re.S).group(1))


def test_the_detail_lists_other_recipients_alone_without_a_leading_separator(client, staff):
    from tests.docs_office.test_outgoing import draft

    document = draft(staff, recipients_text="Bộ Tư pháp;\nVăn phòng Chính phủ")

    shown = _recipients_on_page(signed_in(client, staff[Role.LEADER]), document)

    assert shown == "Bộ Tư pháp; Văn phòng Chính phủ"


def test_the_detail_lists_the_system_agencies_then_the_other_recipients(client, staff, other_agency):
    from tests.docs_office.test_outgoing import draft

    document = draft(staff, recipient_agencies=[other_agency], recipients_text="Bộ Tư pháp")

    shown = _recipients_on_page(signed_in(client, staff[Role.LEADER]), document)

    assert shown == f"{other_agency.name}; Bộ Tư pháp"


def _pdf_text(data: bytes, tmp_path) -> str:
    import shutil
    import subprocess

    from tests.conftest import service_missing

    if not shutil.which("pdftotext"):
        service_missing("poppler-utils (pdftotext) is not installed")
    path = tmp_path / "composed.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _composed(agency, tmp_path, **fields) -> str:
    from docs_office.pdf.compose import Composition, compose_pdf
    from tests.docs_office.factories import doc_type

    composition = Composition(**{"body": "Sở thông báo như sau.", "place": "Lạng Sơn", "signer_title": "Phó Giám đốc",
                                 "signer_name": "Hoàng Văn Nam", **fields})
    data, _box, _fields = compose_pdf(agency=agency, document_type=doc_type("thong-bao"), symbol="TB-STP",
                             summary="Về việc nghỉ Tết", composition=composition)
    return _pdf_text(data, tmp_path)


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize(("prefix", "signer_title", "head_title", "expected"), [
    ("KT.", "Phó Giám đốc", "Giám đốc", ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]),
    ("KT.", "Phó Giám đốc", "", ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]),  # a deputy signs for the head of their title
    ("Q.", "Phó Giám đốc", "", ["Q. GIÁM ĐỐC"]),
    ("TL.", "Chánh Văn phòng", "Giám đốc", ["TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"]),
    ("TUQ.", "Trưởng phòng Tổ chức", "Giám đốc", ["TUQ. GIÁM ĐỐC", "TRƯỞNG PHÒNG TỔ CHỨC"]),
    ("TM.", "Chủ tịch", "", ["TM. {agency}", "CHỦ TỊCH"]),
    # A vice-chair signs for the chair on behalf of the committee: three lines.
    ("TM.", "Phó Chủ tịch", "", ["TM. {agency}", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
    ("TM.", "Phó Chủ tịch Thường trực", "Chủ tịch", ["TM. {agency}", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH THƯỜNG TRỰC"]),
    ("", "Giám đốc", "", ["GIÁM ĐỐC"]),
])
def test_the_signer_block_names_the_body_only_after_tm_and_else_the_heads_title(
        agency, tmp_path, prefix, signer_title, head_title, expected):
    text = " ".join(_lines(_composed(agency, tmp_path, signer_prefix=prefix, signer_title=signer_title,
                                     head_title=head_title)))

    block = " ".join(line.format(agency=agency.name.upper()) for line in expected)
    assert f"Sở thông báo như sau. {block} Hoàng Văn Nam" in text


@pytest.mark.parametrize("prefix", ["KT.", "TL.", "TUQ."])
def test_a_draft_signed_for_the_head_without_the_heads_title_is_refused(staff, prefix):
    from docs_office.pdf.compose import Composition
    from docs_office.services.outgoing import outgoing_create
    from egov.core.errors import ApplicationError
    from tests.docs_office.factories import doc_type

    composition = Composition(body="Sở thông báo.", place="Lạng Sơn", signer_title="Chánh Văn phòng",
                              signer_name="Hoàng Văn Nam", signer_prefix=prefix)
    with pytest.raises(ApplicationError) as refused:
        outgoing_create(drafter=staff[Role.SPECIALIST], document_type=doc_type("thong-bao"), summary="Về việc nghỉ Tết",
                        composition=composition)
    assert "head_title" in refused.value.fields


def test_typed_recipients_end_with_one_semicolon_and_the_drafters_archive_line_is_the_only_one(agency, tmp_path):
    lines = _lines(_composed(agency, tmp_path, recipients=["Như Điều 3;", "- Sở Tài chính;;", "Lưu: VT, VP"]))

    block = lines[lines.index("Nơi nhận:") + 1:lines.index("Nơi nhận:") + 4]
    assert block == ["- Như Điều 3;", "- Sở Tài chính;", "- Lưu: VT, VP."]
    assert sum("Lưu:" in line for line in lines) == 1


def test_recipients_without_an_archive_line_close_with_the_records_office(agency, tmp_path):
    lines = _lines(_composed(agency, tmp_path, recipients=["Như Điều 3."]))

    assert lines[lines.index("Nơi nhận:") + 1:lines.index("Nơi nhận:") + 3] == ["- Như Điều 3;", "- Lưu: VT."]


def test_a_draft_composed_through_the_api_lists_its_system_recipients(staff, other_agency, tmp_path):
    from docs_office.models import OutgoingDocument
    from tests.docs_office.test_api import OUTGOING, client_for

    response = client_for(staff[Role.SPECIALIST]).post(OUTGOING, {
        "document_type": "thong-bao", "summary": "Về việc nghỉ Tết", "recipient_agencies": [other_agency.exchange_code],
        "recipients_text": "Bộ Tư pháp", "composition": {
            "body": "Ủy ban nhân dân tỉnh thông báo.", "place": "Lạng Sơn", "signer_prefix": "TM.",
            "signer_title": "Chủ tịch", "signer_name": "Hoàng Văn Nam", "recipients": ["Như Điều 3;"]}}, format="json")
    assert response.status_code == 201, response.content

    version = OutgoingDocument.objects.get().versions.get()
    with version.file.open("rb") as handle:
        lines = _lines(_pdf_text(handle.read(), tmp_path))
    start = lines.index("Nơi nhận:") + 1
    assert lines[start:start + 4] == [f"- {other_agency.name};", "- Bộ Tư pháp;", "- Như Điều 3;", "- Lưu: VT."]


def _squeezed(text: str) -> str:
    """Text without spaces and hyphens: a narrow cell wraps its text, and pdftotext joins "QĐ-" + "UBND" as "QĐUBND"."""
    return "".join(text.split()).replace("-", "")


def _register_exports(client, register) -> tuple[list[list], bytes]:
    """The register's entries as the spreadsheet holds them (openpyxl) and the printed book's text (pdftotext)."""
    import io

    import openpyxl
    from django.utils import timezone

    year = timezone.localdate().year
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(reverse(
        "docs_office:register_export_xlsx", args=[register.pk, year])).content)).active
    rows = [["" if value is None else value for value in row] for row in sheet.iter_rows(min_row=2, values_only=True)]
    # A day is a date cell shown as the book prints it (found by exploratory testing: text before); compared as text.
    days = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.is_date]
    assert days or not rows
    assert all(cell.number_format == "dd/mm/yyyy" for cell in days)
    rows = [[f"{value:%d/%m/%Y}" if hasattr(value, "strftime") else value for value in row] for row in rows]
    pdf = client.get(reverse("docs_office:register_export", args=[register.pk, year])).content
    return rows, pdf


def test_both_incoming_register_exports_show_the_same_number_and_note(client, staff, registers, tmp_path):
    from docs_office.constants import Urgency
    from docs_office.exports import INCOMING_COLUMNS

    clerk = staff[Role.RECORDS_CLERK]
    document = register_scan(clerk, number="7", urgency=Urgency.URGENT)
    rows, pdf = _register_exports(signed_in(client, clerk), registers["incoming"])
    text = _squeezed(_pdf_text(pdf, tmp_path))

    entry = dict(zip(INCOMING_COLUMNS, rows[0], strict=True))
    assert entry["Số đến"] == f"{document.arrival_number:02d}"  # text, as printed: not the number 1
    assert entry["Ghi chú"] == Urgency.URGENT.label
    from django.utils import timezone

    assert entry["Ngày đến"] == f"{timezone.localdate():%d/%m/%Y}"
    for value in rows[0]:
        assert _squeezed(str(value)) in text, value


def test_both_outgoing_register_exports_show_the_same_recipients(client, staff, registers, tmp_path, other_agency):
    from docs_office.exports import OUTGOING_COLUMNS
    from docs_office.models import OutgoingDocument
    from tests.docs_office.test_outgoing import draft

    document = draft(staff, recipient_agencies=[other_agency], recipients_text="Bộ Tư pháp;\nVăn phòng Chính phủ")
    # Entered as issued: the register lists the year's numbered documents.
    OutgoingDocument.objects.filter(pk=document.pk).update(register=registers["outgoing"], number=3, symbol="QĐ-UBND",
                                                          year=document.created_at.year, issued_at=document.created_at)
    rows, pdf = _register_exports(signed_in(client, staff[Role.RECORDS_CLERK]), registers["outgoing"])
    text = _squeezed(_pdf_text(pdf, tmp_path))

    entry = dict(zip(OUTGOING_COLUMNS, rows[0], strict=True))
    assert entry["Số, ký hiệu văn bản"] == "03/QĐ-UBND"
    assert entry["Nơi nhận văn bản"] == f"{other_agency.name}; Bộ Tư pháp; Văn phòng Chính phủ"
    for value in rows[0]:
        assert _squeezed(str(value)) in text, value


def _dashboard_rows(page: str) -> list[str]:
    table = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr[^>]*>.*?</tr>", table, flags=re.S)


def test_the_dashboard_shows_the_latest_reported_progress_apart_from_the_deadline_status(client, staff):
    from datetime import timedelta

    from django.utils import timezone

    clerk, leader, specialist = staff[Role.RECORDS_CLERK], staff[Role.LEADER], staff[Role.SPECIALIST]
    document = assign_to(leader, register_scan(clerk), lead=specialist,
                         deadline=timezone.localdate() + timedelta(days=1))
    for text, progress in [("Bắt đầu", 30), ("Đã có dự thảo", 60), ("Chờ ý kiến phòng", None)]:
        incoming_opinion_add(user=specialist, document=document, text=text, progress=progress)

    page = signed_in(client, specialist).get(reverse("docs_office:dashboard")).content.decode()

    [row] = _dashboard_rows(page)
    assert re.search(r'<td data-progress="60">60%</td>', row)
    legend = dict(re.findall(r'<span class="due due-(\w+)">(.*?)</span>', page.split("</p>", 1)[0]))
    assert f'<span class="due due-due_soon">{legend["due_soon"]}</span>' in row


def test_a_records_clerk_sees_the_documents_waiting_to_be_registered_in_constant_queries(
        client, staff, agency, django_assert_max_num_queries):
    from docs_office.edxml import Agency, edxml_build
    from docs_office.services.edxml import incoming_import_edxml
    from tests.docs_office.test_edxml import package

    clerk = staff[Role.RECORDS_CLERK]

    def arrive(number: int):
        data = edxml_build(package(recipients=[Agency(agency.exchange_code, agency.name)], code_number=str(number),
                                   document_id=f"000.00.09.H41,2026-11-23,{number}/QĐ-UBND"))
        return incoming_import_edxml(clerk=clerk, data=data)

    waiting = [arrive(15)]
    signed_in(client, clerk)
    with django_assert_max_num_queries(30) as one:
        page = client.get(reverse("docs_office:dashboard")).content.decode()
    assert "Không có văn bản đến nào cần bạn xử lý." not in page
    waiting += [arrive(n) for n in range(16, 20)]
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("docs_office:dashboard")).content.decode()

    rows = [row for row in _dashboard_rows(page) if 'data-waiting="register"' in row]
    assert len(rows) == len(waiting)
    for document, row in zip(waiting, rows, strict=True):
        assert document.state == IncomingState.RECEIVED
        assert f'href="{reverse("docs_office:incoming_detail", args=[document.pk])}" data-action="accept"' in row
        assert str(IncomingState.RECEIVED.label) in row


def test_the_documents_waiting_to_be_registered_are_the_records_clerks_alone(client, staff, agency):
    from docs_office.edxml import Agency, edxml_build
    from docs_office.services.edxml import incoming_import_edxml
    from tests.docs_office.test_edxml import package

    incoming_import_edxml(clerk=staff[Role.RECORDS_CLERK],
                          data=edxml_build(package(recipients=[Agency(agency.exchange_code, agency.name)])))

    page = signed_in(client, staff[Role.LEADER]).get(reverse("docs_office:dashboard")).content.decode()

    assert 'data-waiting="register"' not in page
