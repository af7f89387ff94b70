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


# --- form 01 rendered once at receipt and served from storage -------------------------------------------

def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "receipt-text.pdf"
    path.write_bytes(content)
    return subprocess.run([_tool("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True).stdout


def _no_rendering(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the receipt was laid out again")

    monkeypatch.setattr("one_stop.pdf.receipt.render_pdf", refuse)


def test_receiving_at_the_counter_stores_the_receipt_and_the_print_click_serves_it(client, staff, procedure, monkeypatch,
                                                                                  django_assert_max_num_queries):
    from one_stop.models import Dossier, DossierReceipt

    client.force_login(staff[Role.ONE_STOP_CLERK])
    response = client.post("/mot-cua/tiep-nhan/", {"procedure": procedure.code, "full_name": "Đặng Văn Công",
                                                   "id_number": "020095001234", "checklist_shown": "1"})
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    stored = DossierReceipt.objects.get(dossier=dossier)
    stored_bytes = stored.file.read()
    assert stored_bytes.startswith(b"%PDF") and len(stored.fingerprint) == 64

    _no_rendering(monkeypatch)
    with django_assert_max_num_queries(4):  # the user, the dossier with its agencies, the stored receipt
        printed = client.get(f"/mot-cua/ho-so/{dossier.code}/giay-tiep-nhan.pdf")
    assert printed.status_code == 200 and printed.content == stored_bytes


def test_the_receipt_is_laid_out_again_when_the_due_date_changes(client, staff, procedure, tmp_path, monkeypatch,
                                                                  django_capture_on_commit_callbacks):
    from one_stop.models import DossierReceipt
    from one_stop.services.dossiers import dossier_act, dossier_postpone

    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))  # due Monday 9 March 17:00
    client.force_login(staff[Role.ONE_STOP_CLERK])
    url = f"/mot-cua/ho-so/{dossier.code}/giay-tiep-nhan.pdf"
    first = client.get(url).content  # no receipt stored yet (received by the service): rendered and stored
    stored = DossierReceipt.objects.get(dossier=dossier)
    assert "17 giờ 00 phút, ngày 09/03/2026" in _pdf_text(first, tmp_path)
    old_path = stored.file.path

    dossier = dossier_act(dossier=dossier, user=staff[Role.SPECIALIST], action="start")
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=at_local(2026, 3, 5, 10, 0)):
        dossier_postpone(dossier=dossier, user=staff[Role.LEADER], new_due_at=at_local(2026, 3, 12, 17, 0),
                         reason="Chờ kết quả xác minh")
    with django_capture_on_commit_callbacks(execute=True):  # the old file goes once the new row is committed
        again = client.get(url).content
    assert "17 giờ 00 phút, ngày 12/03/2026" in _pdf_text(again, tmp_path)
    refreshed = DossierReceipt.objects.get(dossier=dossier)
    assert refreshed.fingerprint != stored.fingerprint and refreshed.file.read() == again
    import os

    assert not os.path.exists(old_path)  # the outdated form does not linger in storage

    _no_rendering(monkeypatch)
    assert client.get(url).content == again  # unchanged since: served as stored


def test_a_stored_receipt_whose_file_is_gone_is_rendered_again(client, staff, procedure, tmp_path):
    import os

    from one_stop.models import DossierReceipt

    dossier = receive_at_counter(staff, procedure, at_local(2026, 2, 13, 10, 15))
    client.force_login(staff[Role.ONE_STOP_CLERK])
    url = f"/mot-cua/ho-so/{dossier.code}/giay-tiep-nhan.pdf"
    client.get(url)
    os.remove(DossierReceipt.objects.get(dossier=dossier).file.path)
    response = client.get(url)
    assert response.status_code == 200 and dossier.code in _pdf_text(response.content, tmp_path)
    assert DossierReceipt.objects.get(dossier=dossier).file.read() == response.content


def test_accepting_an_online_dossier_prepares_its_receipt(client, staff, procedure):
    from one_stop.models import DossierReceipt
    from one_stop.services.dossiers import ApplicantData, dossier_submit_online

    citizen = UserFactory(roles=[Role.CITIZEN])
    applicant = ApplicantData(full_name="Đặng Văn Công", id_number="020095001234")
    dossier = dossier_submit_online(citizen=citizen, applicant=applicant, procedure=procedure,
                                    handling_agency=staff[Role.ONE_STOP_CLERK].agency)
    client.force_login(staff[Role.ONE_STOP_CLERK])
    client.post(f"/mot-cua/ho-so/{dossier.code}/thao-tac/receive/", {"note": ""})
    dossier.refresh_from_db()
    assert dossier.state == "received"
    assert DossierReceipt.objects.get(dossier=dossier).file.read().startswith(b"%PDF")


def test_staff_cannot_print_a_receipt_for_an_online_dossier_not_yet_received(client, staff, procedure):
    """Found in review: form 01 was printed for a submission still waiting at the desk, dated the moment of
    printing, as if it had been received."""
    from one_stop.services.dossiers import ApplicantData, dossier_submit_online

    citizen = UserFactory(roles=[Role.CITIZEN])
    dossier = dossier_submit_online(citizen=citizen, procedure=procedure,
                                    handling_agency=staff[Role.ONE_STOP_CLERK].agency,
                                    applicant=ApplicantData(full_name="Đặng Văn Công", id_number="020095001234"))
    client.force_login(staff[Role.ONE_STOP_CLERK])

    assert client.get(f"/mot-cua/ho-so/{dossier.code}/giay-tiep-nhan.pdf").status_code == 404


def test_the_receipt_form_refuses_a_dossier_never_received(staff, procedure):
    from egov.core.errors import ApplicationError
    from one_stop.pdf.receipt import receipt_context
    from one_stop.services.dossiers import ApplicantData, dossier_submit_online

    dossier = dossier_submit_online(citizen=UserFactory(roles=[Role.CITIZEN]), procedure=procedure,
                                    handling_agency=staff[Role.ONE_STOP_CLERK].agency,
                                    applicant=ApplicantData(full_name="Đặng Văn Công", id_number="020095001234"))

    with pytest.raises(ApplicationError) as refused:
        receipt_context(dossier=dossier, base_url="http://testserver/")
    assert refused.value.status == 409
