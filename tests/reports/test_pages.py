"""Who sees what, exports with the right rows, and constant query counts."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from egov.accounts.roles import Role
from tests.factories import UserFactory
from tests.reports.conftest import at, make_dossier, verified_client
from tests.reports.fixtures import october

pytestmark = pytest.mark.django_db

OCT = {"ky": "thang", "nam": 2026, "thang": 10}


@pytest.fixture
def data(commune, department, birth, land):
    return october(commune=commune, department=department, birth=birth, land=land)


def test_the_public_page_shows_counts_but_no_personal_data(client, data):
    response = client.get("/thong-ke/", OCT)
    body = response.content.decode()
    assert response.status_code == 200
    assert "UBND phường Đông Kinh" in body and "<svg" in body
    assert "Nguyễn Văn An" not in body and "020095001234" not in body
    assert data["d1"].code not in body


def test_a_bad_period_is_a_400_with_a_vietnamese_message(client, db):
    response = client.get("/thong-ke/", {"ky": "tuy-chon", "tu": "2026-10-10", "den": "2026-10-01"})
    assert response.status_code == 400
    assert "Ngày kết thúc phải sau ngày bắt đầu." in response.content.decode()
    assert client.get("/thong-ke/", {"ky": "thang", "thang": 13}).status_code == 400


def test_the_dashboard_is_for_leaders_only(client, commune, data):
    assert client.get("/bang-dieu-khien/").status_code == 302  # to sign in
    clerk = UserFactory(agency=commune, roles=[Role.ONE_STOP_CLERK])
    client.force_login(clerk)
    assert client.get("/bang-dieu-khien/").status_code == 404
    citizen = UserFactory(citizen=True)
    client.force_login(citizen)
    assert client.get("/bang-dieu-khien/").status_code == 404
    assert client.get("/bang-dieu-khien/xuat/don-vi.csv", OCT).status_code == 404


def test_an_agency_leader_sees_only_the_agency_subtree(client, commune, department, leader_of, data):
    verified_client(client, leader_of(commune))
    response = client.get("/bang-dieu-khien/", OCT)
    assert response.status_code == 200
    units = {u["agency"] for u in response.context["units"]}
    assert units == {"UBND phường Đông Kinh"}
    late_codes = {d.code for d in response.context["late"]}
    assert late_codes == {data["d2"].code, data["d3"].code, data["d6"].code}
    body = response.content.decode()
    assert f"/mot-cua/ho-so/{data['d6'].code}/" in body
    assert "Sở Tư pháp" not in body


def test_a_province_leader_sees_every_agency(client, province, leader_of, data):
    verified_client(client, leader_of(province))
    response = client.get("/bang-dieu-khien/", OCT)
    assert {u["agency"] for u in response.context["units"]} == {"UBND phường Đông Kinh", "Sở Tư pháp"}
    index = response.context["overall"]["index"]
    assert index["measurable_points"] == 76
    lines = {line["criterion"].code: line for line in index["lines"]}
    assert lines["2.1"]["share"] == pytest.approx(60.0) and lines["2.1"]["score"] == pytest.approx(14 * 0.6)
    assert lines["1.3"]["measurable"] is False and lines["1.3"]["score"] == 0
    assert "không đo được" in response.content.decode()


def test_the_public_export_has_one_row_per_agency_and_a_total(client, data):
    response = client.get("/thong-ke/xuat/co-quan.csv", OCT)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Cơ quan", "Tiếp nhận", "Trực tiếp"]
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {"Sở Tư pháp", "UBND phường Đông Kinh", "Tổng cộng"}
    assert by_name["UBND phường Đông Kinh"][1:4] == ["7", "4", "2"]
    assert by_name["Sở Tư pháp"][8] == "—"  # on-time share with nothing resolved


def test_the_dashboard_exports_parse_as_xlsx_with_the_right_rows(client, commune, leader_of, data):
    from openpyxl import load_workbook

    verified_client(client, leader_of(commune))
    response = client.get("/bang-dieu-khien/xuat/tre-han.xlsx", OCT)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Mã hồ sơ"
    assert {row[0] for row in values[1:]} == {data["d2"].code, data["d3"].code, data["d6"].code}

    index = load_workbook(io.BytesIO(client.get("/bang-dieu-khien/xuat/chi-so.xlsx", OCT).content)).active
    codes = [row[0] for row in index.iter_rows(min_row=2, values_only=True)]
    assert len(codes) == 15 and codes[0] == "1.1"
    units = load_workbook(io.BytesIO(client.get("/bang-dieu-khien/xuat/don-vi.xlsx", OCT).content)).active
    assert [row[0] for row in units.iter_rows(min_row=2, values_only=True)] == ["UBND phường Đông Kinh"]
    assert client.get("/bang-dieu-khien/xuat/khong-co.csv", OCT).status_code == 404


def test_a_formula_like_name_is_exported_as_text(client, commune, db):
    from one_stop.catalogue.data import ProcedureData
    from one_stop.services.catalogue import procedure_upsert

    odd = procedure_upsert(data=ProcedureData(code="9.9", name="=HYPERLINK(\"x\")", processing_days=1),
                           effective_from=at(2025, 7, 1, 0, 0))[0]
    make_dossier(procedure=odd, agency=commune, received_at=at(2026, 10, 2, 9, 0), due_at=at(2026, 10, 3, 9, 0))
    leader = UserFactory(agency=commune, roles=[Role.LEADER])
    verified_client(client, leader)
    rows = list(csv.reader(io.StringIO(client.get("/bang-dieu-khien/xuat/thu-tuc.csv", OCT).content.decode("utf-8-sig"))))
    assert rows[1][1].startswith("'=")


def _many(commune, department, birth, land, n):
    now = timezone.now()
    for i in range(n):
        make_dossier(procedure=birth if i % 2 else land, agency=commune if i % 3 else department,
                     channel="online" if i % 2 else "counter", state="in_progress",
                     received_at=at(2026, 10, 1 + i % 28, 9, 0), due_at=now - timedelta(days=1))


def _many_office_documents(agency, n):
    """n overdue incoming documents and n overdue tasks, each in the drill-down list."""
    from docs_office.models import Division, Task
    from docs_office.services.tasks import task_create
    from tests.docs_office.conftest import office_registers, office_staff
    from tests.docs_office.factories import ensure_document_types, register_scan

    ensure_document_types()
    office_registers(agency)
    staff = office_staff(agency)
    today = timezone.localdate()
    division = Division.objects.create(agency=agency, name="Văn phòng", short_name="VP")
    for i in range(n):
        register_scan(staff[Role.RECORDS_CLERK], number=str(100 + i), issued_on=today - timedelta(days=30),
                      deadline=today - timedelta(days=1 + i % 5))
        task_create(leader=staff[Role.LEADER], title=f"Nhiệm vụ {i}", division=division,
                    deadline=today + timedelta(days=1))
    Task.objects.filter(agency=agency).update(deadline=today - timedelta(days=2))  # as if the days had passed


@pytest.mark.parametrize("n", [1, 30])
def test_the_public_page_runs_a_constant_number_of_queries(client, commune, department, birth, land, n,
                                                           django_assert_num_queries):
    _many(commune, department, birth, land, n)
    # Live counts (6 GROUP BY) + roll-up marker, snapshot and names, for the month and for the 12-month trend.
    with django_assert_num_queries(16):
        assert client.get("/thong-ke/", OCT).status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_the_dashboard_runs_a_constant_number_of_queries(client, province, commune, department, birth, land, n,
                                                         leader_of, django_assert_num_queries):
    _many(commune, department, birth, land, n)
    _many_office_documents(commune, n)
    verified_client(client, leader_of(province))
    # 29 for the dossiers and feedback (the staff menu's certificate check and the leader's two-factor device
    # come with the signed-in user); 7 for eOffice: the roll-up marker, 2 live GROUP BY (nothing is rolled up
    # here), 2 overdue counts, 2 for the overdue list.
    with django_assert_num_queries(36):
        assert client.get("/bang-dieu-khien/", OCT).status_code == 200


def test_the_api_gives_the_public_figures_and_refuses_the_index_to_others(client, commune, data):
    response = client.get("/api/v1/reports/statistics/", OCT)
    assert response.status_code == 200
    agencies = {a["agency"]: a for a in response.json()["agencies"]}
    assert agencies["UBND phường Đông Kinh"]["received"] == 7
    assert agencies["Sở Tư pháp"]["on_time_pct"] is None
    assert client.get("/api/v1/reports/statistics/", {"ky": "quy", "quy": 5}).status_code == 400
    clerk = UserFactory(agency=commune, roles=[Role.ONE_STOP_CLERK])
    client.force_login(clerk)
    assert client.get("/api/v1/reports/dashboard/", OCT).status_code == 403


def test_the_api_gives_a_leader_the_index(client, commune, leader_of, data):
    verified_client(client, leader_of(commune))
    body = client.get("/api/v1/reports/dashboard/", OCT).json()
    assert [g["points"] for g in body["groups"]] == [18, 20, 12, 10, 18, 22]
    assert {c["code"]: c["share"] for c in body["criteria"]}["2.1"] == pytest.approx(60.0)


def test_the_dashboard_counts_overdue_feedback_of_the_leaders_agencies_only(client, commune, department, leader_of, data):
    from unittest import mock

    from portal.services.feedback import feedback_submit

    citizen = UserFactory(citizen=True)
    long_ago = timezone.now() - timedelta(days=60)
    with mock.patch("django.utils.timezone.now", return_value=long_ago):
        for agency in (commune, commune, department):
            feedback_submit(sender=citizen, subject_kind="regulation", regulation="Điều 3", title="Giờ tiếp nhận",
                            content="Đề nghị tiếp nhận đến 17 giờ.", agency=agency)
    verified_client(client, leader_of(commune))
    response = client.get("/bang-dieu-khien/", OCT)
    assert response.context["feedback_overdue"] == 2
    assert 'data-figure="feedback-overdue">2<' in response.content.decode()


def test_rolled_up_pages_run_as_many_queries_at_thirty_times_the_data(client, province, commune, department, birth,
                                                                      land, leader_of):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.services import rollup_days

    verified_client(client, leader_of(province))

    def queries() -> tuple[int, int]:
        rollup_days(start=date(2026, 9, 1), end=date(2026, 10, 31))
        counted = []
        for path in ("/thong-ke/", "/bang-dieu-khien/"):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path, OCT).status_code == 200
            counted.append(len(captured))
        return tuple(counted)

    _many(commune, department, birth, land, 1)
    _many_office_documents(commune, 1)
    queries()  # the staff menu is cached after the first page: compare warm pages
    small = queries()
    _many(commune, department, birth, land, 30)
    big = queries()
    assert small == big


@pytest.mark.django_db
def test_the_period_form_comes_with_the_cached_figures_and_shows_the_chosen_period(client, settings):
    settings.EGOV_REPORTS_CACHE_SECONDS = 60
    for _ in range(2):  # computed, then from the cache
        page = client.get("/thong-ke/", {"ky": "nam", "nam": 2025}).content.decode()
        assert '<option value="nam" selected>' in page and 'name="nam" id="id_nam" value="2025"' in page
    other = client.get("/thong-ke/", {"ky": "thang", "nam": 2025, "thang": 3}).content.decode()
    assert '<option value="thang" selected>' in other and 'value="3"' in other
    # An invalid period still shows the form with its error, and nothing is cached for it.
    bad = client.get("/thong-ke/", {"ky": "thang", "nam": 2025, "thang": 13})
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.content.decode()


def test_the_page_lists_the_50_most_overdue_and_the_export_all_of_them(client, commune, birth, leader_of):
    import re

    from tests.reports.conftest import make_dossier

    for day in range(60):  # overdue now, each a day later than the one before
        make_dossier(procedure=birth, agency=commune, received_at=at(2026, 9, 1, 8, 0),
                     due_at=at(2026, 9, 2, 17, 0) + timedelta(days=day))
    verified_client(client, leader_of(commune))
    page = client.get("/bang-dieu-khien/", OCT).content.decode()
    table = page[page.index('id="bang-tre-han"'):]
    table = table[:table.index("</table>")]
    assert len(re.findall(r"<tr><td><a ", table)) == 50
    assert "Trang này liệt kê 50 hồ sơ đầu; bảng tải về có đủ 60 hồ sơ." in page
    rows = list(csv.reader(io.StringIO(client.get("/bang-dieu-khien/xuat/tre-han.csv", OCT).content.decode("utf-8-sig"))))
    assert len(rows) == 61  # the header and every late dossier
    due = rows[0].index("Hạn trả")
    assert {row[due][-5:] for row in rows[1:]} == {"17:00"}  # Việt Nam's time, as on the page (UTC: 10:00)


@pytest.mark.parametrize("path", ["/thong-ke/", "/api/v1/reports/statistics/"])
def test_a_custom_period_outside_the_years_2000_to_2100_is_a_400(client, path):
    """A day of year 9999 overflowed into a 500; year 1 was accepted."""
    for start, end in (("9999-12-01", "9999-12-31"), ("0001-01-01", "0001-12-31")):
        response = client.get(path, {"ky": "tuy-chon", "tu": start, "den": end})
        assert response.status_code == 400, (start, response.status_code)
