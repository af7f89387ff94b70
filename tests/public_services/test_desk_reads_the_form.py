"""The desk reads an online dossier's form as the citizen does: labels in the form's order, Có/Không,
dates as dd/mm/yyyy, and each file under its upload's label."""

import pytest
from django.urls import reverse

from egov.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_the_desk_sees_the_form_with_labels_order_booleans_and_dates(client, submitted, desk):
    client.force_login(desk[Role.ONE_STOP_CLERK])

    body = client.get(reverse("one_stop_staff:dossier", args=[submitted.code])).content.decode()

    assert "Họ, chữ đệm và tên của trẻ" in body and "ho_ten_tre" not in body
    assert "01/11/2026" in body and "2026-11-01" not in body
    assert "<dd>Cha</dd>" in body and "<dd>Không</dd>" in body and ">False<" not in body
    assert body.index("Họ, chữ đệm và tên của trẻ") < body.index("Ngày, tháng, năm sinh")


def test_the_desk_sees_an_online_file_under_its_upload_label(client, submitted, desk):
    client.force_login(desk[Role.ONE_STOP_CLERK])

    body = client.get(reverse("one_stop_staff:dossier", args=[submitted.code])).content.decode()

    assert "Giấy chứng sinh (hoặc văn bản xác nhận việc sinh)" in body
    assert ": giay_chung_sinh" not in body


def test_the_citizen_sees_dates_as_day_month_year(client, citizen, submitted):
    client.force_login(citizen)

    body = client.get(reverse("public_services:dossier", args=[submitted.code])).content.decode()

    assert "01/11/2026" in body and "2026-11-01" not in body


def test_the_queue_shows_an_online_dossier_not_yet_received_as_such_not_as_on_time(client, submitted, desk):
    client.force_login(desk[Role.ONE_STOP_CLERK])

    body = client.get(reverse("one_stop_staff:queue")).content.decode()

    row = next(line for line in body.splitlines() if submitted.code in line)
    assert "Chưa tiếp nhận" in row and "Trong hạn" not in row


def test_fees_read_with_thousands_dots_on_the_desk_and_citizen_pages(client, commune, desk):
    from one_stop.services.dossiers import dossier_receive_at_counter
    from tests.one_stop.factories import APPLICANT
    from tests.public_services.conftest import make_procedure

    procedure = make_procedure(code="1.000999", online_level="partial", processing_days=5, fee_vnd=200_000)
    dossier = dossier_receive_at_counter(clerk=desk[Role.ONE_STOP_CLERK], procedure=procedure, applicant=APPLICANT)
    client.force_login(desk[Role.ONE_STOP_CLERK])

    desk_page = client.get(reverse("one_stop_staff:dossier", args=[dossier.code])).content.decode()
    procedure_page = client.get(reverse("public_services:procedure", args=[procedure.code])).content.decode()

    assert "200.000 đồng" in desk_page and "200000" not in desk_page
    assert "200.000 đồng" in procedure_page
