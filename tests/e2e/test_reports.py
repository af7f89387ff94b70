"""Statistics in the browser: the public page and the leader's dashboard draw their charts, and the
exports download with the right rows."""

import base64
import csv
import io

import pytest
from playwright.sync_api import Page, expect

from egov.accounts.roles import Role
from tests.e2e.test_sign_in import _sign_in
from tests.factories import UserFactory
from tests.reports.conftest import birth, commune, department, land, province  # noqa: F401  (fixtures)
from tests.reports.fixtures import october

pytestmark = pytest.mark.e2e

OCTOBER = "?ky=thang&nam=2026&thang=10"


@pytest.fixture(autouse=True)
def _fresh_figures(settings):
    settings.EGOV_REPORTS_CACHE_SECONDS = 0


def _charts_drawn(page: Page) -> None:
    charts = page.locator("svg.chart")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 3
    # Drawn, not empty: bars or points with a size.
    assert page.locator("svg.chart rect[width]").count() > 0
    box = charts.first.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 50


def test_the_public_statistics_draw_charts_and_export_the_table(page: Page, commune, department, birth, land):  # noqa: F811
    october(commune=commune, department=department, birth=birth, land=land)
    page.goto("/thong-ke/" + OCTOBER)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tình hình giải quyết hồ sơ")
    expect(page.locator("#bang-co-quan")).to_contain_text("UBND phường Đông Kinh")
    _charts_drawn(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    with open(info.value.path(), encoding="utf-8-sig") as handle:
        rows = {r[0]: r for r in csv.reader(handle)}
    assert rows["UBND phường Đông Kinh"][1] == "7" and rows["Tổng cộng"][1] == "8"


def test_a_leader_opens_the_dashboard_and_downloads_the_late_dossiers(page: Page, totp, province, commune,  # noqa: F811
                                                                       department, birth, land):  # noqa: F811
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from openpyxl import load_workbook

    data = october(commune=commune, department=department, birth=birth, land=land)
    leader = UserFactory(agency=province, roles=[Role.LEADER])
    device = TOTPDevice.objects.create(user=leader, name="app", confirmed=True)

    page.goto("/tai-khoan/dang-nhap/?next=/bang-dieu-khien/" + OCTOBER)
    _sign_in(page, leader.username)
    page.get_by_label("Mã xác thực 6 chữ số").fill(totp(base64.b32encode(bytes.fromhex(device.key)).decode()))
    page.get_by_role("button", name="Xác nhận").click()
    page.goto("/bang-dieu-khien/" + OCTOBER)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bảng điều khiển của lãnh đạo")
    expect(page.locator("#chi-so")).to_contain_text("/100 điểm")
    expect(page.locator("#bang-don-vi")).to_contain_text("Sở Tư pháp")
    _charts_drawn(page)
    expect(page.locator("#bang-tre-han").get_by_role("link", name=data["d6"].code)).to_have_attribute(
        "href", f"/mot-cua/ho-so/{data['d6'].code}/")

    section = page.locator("section", has=page.locator("#tre-han"))
    with page.expect_download() as info:
        section.get_by_role("link", name="XLSX").click()
    sheet = load_workbook(io.BytesIO(open(info.value.path(), "rb").read())).active
    codes = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert codes == {data["d2"].code, data["d3"].code, data["d6"].code}
