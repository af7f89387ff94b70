"""A procedure whose fee and time limit differ by channel (1.004222 Đăng ký thường trú: online 10.000 đồng, at the
counter 20.000): the catalogue keeps each channel's own terms, and the portal and the desk show the channel's."""

import json

import pytest
from django.utils import translation

from egov.accounts.roles import Role
from one_stop.catalogue.data import Channel
from one_stop.catalogue.project_format import read_project_json
from one_stop.models import Procedure
from one_stop.services.catalogue import procedures_import
from one_stop.services.dossiers import dossier_submit_online
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ONLINE_NOTE = "Trường hợp công dân nộp hồ sơ qua cổng dịch vụ công trực tuyến thu 10.000 đồng/lần đăng ký."
COUNTER_NOTE = "Trường hợp công dân thuộc diện được miễn phí thì phải xuất trình giấy tờ chứng minh"
# As data/procedures.json gives it.
RESIDENCE = {
    "code": "1.004222", "name": "Đăng ký thường trú", "field": "Đăng ký, quản lý cư trú", "level": "commune",
    "processing_time_text": "7 Ngày làm việc (Trực tuyến, Trực tiếp)", "processing_days": 7,
    "fee_text": f"Trực tuyến: 10,000 Việt Nam Đồng ({ONLINE_NOTE}); Trực tiếp: 20,000 Việt Nam Đồng ({COUNTER_NOTE})",
    "fee_vnd": 20000, "online_level": "partial",
}


def _residence():
    items, errors = read_project_json(json.dumps([RESIDENCE]).encode())
    assert errors == []
    return items[0]


def test_each_channel_keeps_its_own_time_limit_and_fee_words():
    channels = {terms.channel: terms for terms in _residence().channels}

    online, counter = channels[Channel.ONLINE], channels[Channel.COUNTER]
    assert (online.processing_days, online.fee_vnd) == (7, 10_000)  # the online deadline was "—"
    assert (counter.processing_days, counter.fee_vnd) == (7, 20_000)
    assert online.fee_text == f"10,000 Việt Nam Đồng ({ONLINE_NOTE})"
    assert counter.fee_text == f"20,000 Việt Nam Đồng ({COUNTER_NOTE})"
    assert online.processing_text == counter.processing_text == "7 Ngày làm việc"


def test_the_procedure_page_names_each_channel_s_fee_and_repeats_no_text_in_the_rows(client):
    procedures_import(items=[_residence()])

    with translation.override("vi"):
        page = client.get("/dich-vu-cong/thu-tuc/1.004222/").content.decode()

    assert "Trực tuyến: 10.000 đồng; Trực tiếp: 20.000 đồng" in page
    assert page.count(ONLINE_NOTE) == 1  # once, under the headline; the rows give the amounts
    table = page[page.index("Theo hình thức nộp"):]
    table = table[:table.index("</table>")]
    assert table.count("7 ngày làm việc") == 2 and "—" not in table
    assert "10.000 đồng" in table and "20.000 đồng" in table


def test_the_staff_dossier_page_shows_the_online_fee_before_receipt(client, staff, agency):
    procedures_import(items=[_residence()])
    procedure = Procedure.objects.get(code="1.004222")
    submitted = dossier_submit_online(citizen=UserFactory(citizen=True), procedure=procedure, handling_agency=agency)
    client.force_login(staff[Role.ONE_STOP_CLERK])

    with translation.override("vi"):
        page = client.get(f"/mot-cua/ho-so/{submitted.code}/").content.decode()

    fee = page[page.index("Phí, lệ phí"):]
    fee = fee[:fee.index("</dd>")]
    assert "10.000 đồng" in fee and COUNTER_NOTE not in fee
