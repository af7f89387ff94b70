"""eOffice figures of the leaders' dashboard against hand-counted documents made with the eOffice services.

Department A (Sở Tư pháp) issues one decision (both signatures, sent to B inside the system and exported as
edXML), registers three paper scans today and one forty days ago, gives three tasks. Department B (Sở Y tế)
receives that decision twice (the exchange copy and the edXML import) and one paper scan.
"""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from docs_office.constants import Confidentiality
from docs_office.models import Division, Task
from docs_office.services.edxml import incoming_import_edxml, outgoing_edxml_export
from docs_office.services.outgoing import outgoing_issue, outgoing_review, outgoing_sign_request
from docs_office.services.tasks import task_create, task_report
from egov.accounts.roles import Role
from reports import office as office_figures_module
from reports import selectors
from tests.docs_office.conftest import office_registers, office_staff
from tests.docs_office.factories import assign_to, doc_type, ensure_document_types, register_scan
from tests.docs_office.signing import certificates_for, confirm, pdf_upload
from tests.factories import AgencyFactory
from tests.reports.conftest import verified_client
from tests.signatures.conftest import demo_pki  # noqa: F401

pytestmark = pytest.mark.django_db


def _scan(clerk, *, number, deadline=None, when=None, **extra):
    return register_scan(clerk, when=when, number=str(number), deadline=deadline,
                         issued_on=(when or timezone.now()).date() - timedelta(days=60), **extra)


@pytest.fixture
def documents(province, demo_pki, django_capture_on_commit_callbacks):  # noqa: F811 (the imported fixture)
    ensure_document_types()
    a = AgencyFactory(parent=province, name="Sở Tư pháp", short_name="STP", exchange_code="000.01.00.H41")
    b = AgencyFactory(parent=province, name="Sở Y tế", short_name="SYT", exchange_code="000.02.00.H41")
    for agency in (a, b):
        office_registers(agency)
    staff_a, staff_b = office_staff(a), office_staff(b)
    leader, clerk = staff_a[Role.LEADER], staff_a[Role.RECORDS_CLERK]
    today = timezone.localdate()

    # One outgoing decision through the whole chain: signed by the leader, issued and sealed by the clerk.
    from docs_office.services.outgoing import outgoing_create

    personal, seal = certificates_for(demo_pki, leader=leader, records_clerk=clerk)
    document = outgoing_create(drafter=staff_a[Role.SPECIALIST], document_type=doc_type("quyet-dinh"),
                               summary="Về việc công bố thủ tục hành chính", upload=pdf_upload(),
                               recipient_agencies=[b])
    outgoing_review(user=staff_a[Role.SPECIALIST], document=document, action="submit")
    outgoing_review(user=staff_a[Role.HEAD_OF_DIVISION], document=document, action="head_approve")
    document = outgoing_review(user=leader, document=document, action="leader_approve")
    document = outgoing_sign_request(leader=leader, document=document, certificate=personal)
    confirm(document.leader_signature, leader, django_capture_on_commit_callbacks)
    document.refresh_from_db()
    document = outgoing_issue(clerk=clerk, document=document, certificate=seal)
    confirm(document.agency_signature, clerk, django_capture_on_commit_callbacks)
    document.refresh_from_db()
    # Exported twice: still one document sent by edXML. B imports the package besides the exchange copy.
    to_b = {"recipient_code": b.exchange_code, "recipient_name": b.name}
    package = outgoing_edxml_export(user=clerk, document=document, **to_b)
    outgoing_edxml_export(user=clerk, document=document, **to_b)
    incoming_import_edxml(clerk=staff_b[Role.RECORDS_CLERK], data=package)
    _scan(staff_b[Role.RECORDS_CLERK], number=1, deadline=today - timedelta(days=1))  # B: overdue, registered

    # A's incoming paper: overdue and assigned; not due yet; secret and overdue; old (outside the period), overdue.
    late = _scan(clerk, number=10, deadline=today - timedelta(days=5), summary="Về việc báo cáo quá hạn")
    assign_to(leader, late, lead=staff_a[Role.SPECIALIST])
    _scan(clerk, number=11, deadline=today + timedelta(days=5))
    _scan(clerk, number=12, deadline=today - timedelta(days=2), confidentiality=Confidentiality.SECRET,
          summary="Nội dung mật không được lộ", readers=[leader])
    _scan(clerk, number=13, deadline=today - timedelta(days=1), when=timezone.now() - timedelta(days=40))

    division = Division.objects.create(agency=a, name="Văn phòng", short_name="VP")
    division.members.add(staff_a[Role.SPECIALIST])
    overdue = task_create(leader=leader, title="Rà soát thủ tục", division=division, deadline=today + timedelta(days=1))
    task_create(leader=leader, title="Báo cáo năm", division=division, deadline=today + timedelta(days=30))
    done = task_create(leader=leader, title="Họp giao ban", division=division, deadline=today + timedelta(days=1))
    task_report(user=staff_a[Role.SPECIALIST], task=done, progress=100, text="Đã xong")
    # As if three days had passed for these two (a task cannot be given with a past deadline).
    Task.objects.filter(pk__in=[overdue.pk, done.pk]).update(deadline=today - timedelta(days=3))
    return {"a": a, "b": b, "leader_a": leader, "leader_b": staff_b[Role.LEADER], "late": late}


def _period():
    today = timezone.localdate()
    return selectors.period_custom(today - timedelta(days=1), today)


def test_the_figures_of_each_agency_match_the_hand_count(documents):
    period = _period()
    figures_a = _figures([documents["a"].pk], period)
    assert {k: figures_a[k] for k in ("issued", "issued_exchanged", "issued_edxml", "issued_signed")} == {
        "issued": 1, "issued_exchanged": 1, "issued_edxml": 1, "issued_signed": 1}
    assert (figures_a["exchanged_pct"], figures_a["edxml_pct"], figures_a["signed_pct"]) == (100.0, 100.0, 100.0)
    # Three scans today; the fourth was registered forty days ago.
    assert (figures_a["received"], figures_a["received_electronic"], figures_a["received_paper"]) == (3, 0, 3)
    assert figures_a["received_electronic_pct"] == 0.0
    # Overdue now, whatever the period: #10, the secret #12, the old #13; two tasks past due, one of them done.
    assert (figures_a["overdue_documents"], figures_a["overdue_tasks"]) == (3, 1)

    figures_b = _figures([documents["b"].pk], period)
    assert (figures_b["issued"], figures_b["exchanged_pct"], figures_b["signed_pct"]) == (0, None, None)
    assert (figures_b["received"], figures_b["received_exchange"], figures_b["received_edxml"],
            figures_b["received_paper"]) == (3, 1, 1, 1)
    assert round(figures_b["received_electronic_pct"], 1) == 66.7
    assert (figures_b["overdue_documents"], figures_b["overdue_tasks"]) == (1, 0)

    both = _figures(None, period)
    assert (both["issued"], both["received"], both["overdue_documents"], both["overdue_tasks"]) == (1, 6, 4, 1)


def _figures(agency_ids, period):
    return office_figures_module.office_figures(start=period.start, end=period.end, agency_ids=agency_ids)


def test_the_drill_down_lists_overdue_documents_and_tasks_most_overdue_first_without_secret_summaries(documents):
    rows = office_figures_module.office_overdue(agency_ids=[documents["a"].pk])
    assert [(r["reference"], r["days_late"]) for r in rows] == [
        ("10/QĐ-UBND", 5), ("—", 3), ("12/QĐ-UBND", 2), ("13/QĐ-UBND", 1)]
    assert rows[0]["url"] == f"/van-ban/den/{documents['late'].pk}/"
    task = Task.objects.get(title="Rà soát thủ tục")
    assert rows[1]["summary"] == task.title and rows[1]["url"] == f"/van-ban/nhiem-vu/#nhiem-vu-{task.pk}"
    assert rows[2]["summary"] == "(Văn bản mật)"
    assert office_figures_module.office_overdue(agency_ids=[documents["a"].pk], limit=2) == rows[:2]


def test_an_agency_leader_sees_only_the_agencys_documents_on_the_page(client, documents):
    period = _period()
    query = {"ky": "tuy-chon", "tu": period.start.isoformat(), "den": period.end.isoformat()}
    html = verified_client(client, documents["leader_a"]).get("/bang-dieu-khien/", query).content.decode()
    assert 'data-figure="issued">1<' in html and 'data-figure="received">3<' in html
    assert 'data-figure="overdue-documents">3<' in html and 'data-figure="overdue-tasks">1<' in html
    assert "Về việc báo cáo quá hạn" in html and "Nội dung mật không được lộ" not in html
    client.logout()
    html = verified_client(client, documents["leader_b"]).get("/bang-dieu-khien/", query).content.decode()
    # B issued nothing: the shares of issued documents have no denominator.
    assert 'data-figure="issued">0<' in html and 'data-figure="signed-pct">—<' in html
    assert 'data-figure="exchanged-pct">—<' in html and 'data-figure="received">3<' in html
    assert "Về việc báo cáo quá hạn" not in html and "Rà soát thủ tục" not in html


def test_with_nothing_at_all_every_share_is_a_dash(client, province, leader_of):
    empty = AgencyFactory(parent=province, name="Sở Xây dựng")
    html = verified_client(client, leader_of(empty)).get("/bang-dieu-khien/").content.decode()
    for name in ("exchanged-pct", "edxml-pct", "signed-pct", "received-electronic-pct"):
        assert f'data-figure="{name}">—<' in html
    assert "Không có văn bản, nhiệm vụ quá hạn." in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_overdue_table_exports_with_the_same_rows(client, documents, fmt):
    response = verified_client(client, documents["leader_a"]).get(f"/bang-dieu-khien/xuat/van-ban-qua-han.{fmt}")
    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        from openpyxl import load_workbook

        rows = [list(r) for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    assert rows[0][0] == "Loại" and len(rows) == 5
    assert [r[1] for r in rows[1:]] == ["10/QĐ-UBND", "—", "12/QĐ-UBND", "13/QĐ-UBND"]
    assert [int(r[6]) for r in rows[1:]] == [5, 3, 2, 1]
    assert "(Văn bản mật)" in [r[2] for r in rows[1:]]


def test_the_rolled_up_figures_equal_the_live_ones(documents):
    from reports.models import OfficeDailyStat
    from reports.services import rollup_days

    today = timezone.localdate()
    period = selectors.period_custom(today - timedelta(days=45), today)
    scopes = ((documents["a"].pk,), (documents["b"].pk,), None)

    def figures():
        return {ids: _figures(list(ids) if ids else None, period) for ids in scopes}

    live = figures()
    # Hand count over the 45 days: A's three scans today and the one forty days ago, B's three.
    assert (live[scopes[0]]["received"], live[scopes[1]]["received"], live[None]["received"]) == (4, 3, 7)
    rollup_days(start=today - timedelta(days=45), end=today - timedelta(days=1))
    # The old scan is rolled up on its day; today's documents are still counted live.
    old = OfficeDailyStat.objects.get(agency=documents["a"], day=today - timedelta(days=40))
    assert (old.received, old.issued) == (1, 0)
    assert figures() == live
    rollup_days(start=today, end=today)
    assert figures() == live


def test_an_export_days_after_the_issue_reaches_the_issue_days_roll_up(documents):
    from docs_office.models import OutgoingDocument, OutgoingEvent
    from reports.models import OfficeDailyStat
    from reports.services import rollup_days

    today = timezone.localdate()
    issued_on = today - timedelta(days=3)
    document = OutgoingDocument.objects.get(agency=documents["a"])
    OutgoingDocument.objects.filter(pk=document.pk).update(issued_at=timezone.now() - timedelta(days=3))
    OutgoingEvent.objects.filter(document=document, action="export_edxml").delete()
    rollup_days(start=issued_on, end=today - timedelta(days=1))
    row = OfficeDailyStat.objects.get(agency=documents["a"], day=issued_on)
    assert (row.issued, row.issued_edxml, row.issued_signed) == (1, 0, 1)

    OutgoingEvent.objects.create(document=document, action="export_edxml", to_state="issued", at=timezone.now())
    rollup_days(start=today, end=today)  # the night after the export
    assert OfficeDailyStat.objects.get(agency=documents["a"], day=issued_on).issued_edxml == 1
    period = selectors.period_custom(issued_on, today)
    assert _figures([documents["a"].pk], period)["edxml_pct"] == 100.0


def _pdf_rows(report) -> dict[str, str]:
    """The eOffice table of a stored monthly PDF as text: label → the rest of its line."""
    import re
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) is not installed")
    text = subprocess.run(["pdftotext", "-layout", report.file.path, "-"], capture_output=True, text=True,  # noqa: S607
                          check=True).stdout
    section = text.split("Văn phòng điện tử", 1)[1]
    rows = {}
    for line in section.splitlines():
        match = re.match(r"\s*(—?\s?[^\d—]+?)\s{2,}(.+)$", line)
        if match:
            rows[match.group(1).strip()] = " ".join(match.group(2).split())
    return rows


def test_the_monthly_pdf_holds_the_eoffice_figures_of_the_dashboard(documents, django_capture_on_commit_callbacks):
    from reports.services import monthly_report_create

    with django_capture_on_commit_callbacks(execute=True):
        report = monthly_report_create(agency=documents["a"], month=timezone.localdate())
    rows = _pdf_rows(report)
    # A, counted by hand (the scan forty days ago is never in this month): one decision issued, sent inside
    # the system, exported as edXML and signed twice; three paper scans; three documents and a task overdue.
    assert rows["Văn bản đi đã phát hành"] == "1"
    assert rows["— gửi liên thông trong hệ thống"] == "1 100,0 %"
    assert rows["— gửi qua gói edXML"] == "1 100,0 %"
    assert rows["— ký số đủ chữ ký lãnh đạo và cơ quan"] == "1 100,0 %"
    assert rows["Văn bản đến đã tiếp nhận"] == "3"
    assert rows["— nhận điện tử (liên thông, edXML)"] == "0 (0 + 0) 0,0 %"
    assert rows["— vào sổ từ bản giấy (bản quét)"] == "3"
    assert rows["Văn bản đến đang xử lý quá hạn"] == "3"
    assert rows["Nhiệm vụ quá hạn"] == "1"

    other = monthly_report_create(agency=documents["b"], month=timezone.localdate())
    rows = _pdf_rows(other)
    assert rows["Văn bản đi đã phát hành"] == "0" and rows["— ký số đủ chữ ký lãnh đạo và cơ quan"] == "0 —"
    assert rows["— nhận điện tử (liên thông, edXML)"] == "2 (1 + 1) 66,7 %"
    assert (rows["Văn bản đến đang xử lý quá hạn"], rows["Nhiệm vụ quá hạn"]) == ("1", "0")
