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
