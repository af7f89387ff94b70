"""Form 01, the receipt and appointment slip: a PDF whose text carries the code and the due date."""

import shutil
import subprocess

import pytest

from egov.accounts.roles import Role
from tests.conftest import service_missing
from tests.factories import AgencyFactory, UserFactory
from tests.one_stop.factories import at_local, receive_at_counter

pytestmark = pytest.mark.django_db


def _tool(name):
    if not shutil.which(name):
        service_missing(f"{name} (poppler-utils) is not installed")
    return name


def test_the_receipt_carries_the_code_due_date_and_applicant(client, staff, procedure, tmp_path):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 2, 13, 10, 15))
    client.force_login(staff[Role.ONE_STOP_CLERK])
    response = client.get(f"/mot-cua/ho-so/{dossier.code}/giay-tiep-nhan.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "receipt.pdf"
    path.write_bytes(response.content)
    text = subprocess.run([_tool("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert dossier.code in text
    assert "10 giờ 15 phút, ngày 13/02/2026" in text
    assert "17 giờ 00 phút, ngày 27/02/2026" in text
    assert "Đặng Văn Công" in text and "Thủ tục đăng ký khai sinh" in text


def test_the_receipt_uses_only_the_bundled_font(client, staff, procedure, tmp_path):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 2, 13, 10, 15))
    client.force_login(staff[Role.ONE_STOP_CLERK])
    path = tmp_path / "receipt.pdf"
    path.write_bytes(client.get(f"/mot-cua/ho-so/{dossier.code}/giay-tiep-nhan.pdf").content)
    listing = subprocess.run([_tool("pdffonts"), str(path)], capture_output=True, text=True, check=True).stdout
    fonts = [line.split()[0] for line in listing.splitlines()[2:] if line.strip()]
    # WeasyPrint names embedded @font-face fonts by their CSS family: only the bundled one may appear.
    assert fonts and all(name.split("+", 1)[1].startswith("EgovSerif") for name in fonts), listing


def test_staff_of_another_agency_cannot_print_the_receipt(client, staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 2, 13, 10, 15))
    client.force_login(UserFactory(agency=AgencyFactory(), roles=[Role.ONE_STOP_CLERK]))
    assert client.get(f"/mot-cua/ho-so/{dossier.code}/giay-tiep-nhan.pdf").status_code == 404
