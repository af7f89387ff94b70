"""The desk's six forms as printed: each a PDF whose text carries the dossier's code — and its due date where the
form states one —, set only in the bundled font; form 01's QR code, read by an independent decoder (zbar),
opens the public lookup of that dossier."""

import shutil
import subprocess
from unittest import mock

import pytest

from egov.accounts.roles import Role
from one_stop.services.dossiers import dossier_act, dossier_postpone
from tests.conftest import service_missing
from tests.one_stop.factories import at_local, pdf_fetch, pdf_text, receive_at_counter

pytestmark = pytest.mark.django_db

DUE = "09/03/2026"  # five working days from Monday 2 March 2026, 09:00


def _tool(name: str, package: str) -> str:
    if not shutil.which(name):
        service_missing(f"{name} ({package}) is not installed")
    return name


def _supplement(staff, dossier):
    return dossier_act(dossier=dossier, user=staff[Role.ONE_STOP_CLERK], action="request_supplement",
                       note="Giấy chứng sinh bản chính")


def _refuse(staff, dossier):
    return dossier_act(dossier=dossier, user=staff[Role.LEADER], action="refuse", note="Không thuộc thẩm quyền")


def _postpone(staff, dossier):
    dossier = dossier_act(dossier=dossier, user=staff[Role.SPECIALIST], action="start")
    with mock.patch("django.utils.timezone.now", return_value=at_local(2026, 3, 5, 10, 0)):
        return dossier_postpone(dossier=dossier, user=staff[Role.LEADER], new_due_at=at_local(2026, 3, 12, 17, 0),
                                reason="Chờ kết quả xác minh")


# (form, how the dossier gets there, its address, what of the due date it must state)
FORMS = [
    ("01", None, "/mot-cua/ho-so/{code}/giay-tiep-nhan.pdf", [f"17 giờ 00 phút, ngày {DUE}"]),
    ("02", _supplement, "/mot-cua/ho-so/{code}/phieu-thong-bao.pdf", []),
    ("03", _refuse, "/mot-cua/ho-so/{code}/phieu-thong-bao.pdf", []),
    ("04", _postpone, "/mot-cua/ho-so/{code}/phieu-xin-loi.pdf", [f"ngày {DUE}", "ngày 12/03/2026"]),
    ("05", None, "/mot-cua/ho-so/{code}/phieu-kiem-soat.pdf", [f"17:00 {DUE}"]),
    ("06", None, "/mot-cua/so-theo-doi/2026-03-02.pdf", [f"17:00 {DUE}"]),
]


@pytest.mark.parametrize(("form", "prepare", "url", "due_texts"), FORMS, ids=[form[0] for form in FORMS])
def test_each_desk_form_states_the_code_and_due_date_in_the_bundled_font_only(client, staff, procedure, tmp_path,
                                                                               form, prepare, url, due_texts):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    if prepare:
        dossier = prepare(staff, dossier)
    client.force_login(staff[Role.ONE_STOP_CLERK])
    path = pdf_fetch(client, url.format(code=dossier.code), tmp_path, f"form{form}.pdf")
    text = pdf_text(path)
    assert dossier.code in text
    for due in due_texts:
        assert due in text, (due, text)
    listing = subprocess.run([_tool("pdffonts", "poppler-utils"), str(path)], capture_output=True, text=True,
                             check=True).stdout
    fonts = [line.split()[0] for line in listing.splitlines()[2:] if line.strip()]
    # WeasyPrint names embedded @font-face fonts by their CSS family: only the bundled one may appear.
    assert fonts and all(name.split("+", 1)[1].startswith("EgovSerif") for name in fonts), listing


def test_the_receipts_qr_code_scans_to_the_public_lookup_of_the_dossier(client, staff, procedure, tmp_path):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    client.force_login(staff[Role.ONE_STOP_CLERK])
    pdf = pdf_fetch(client, f"/mot-cua/ho-so/{dossier.code}/giay-tiep-nhan.pdf", tmp_path, "receipt.pdf")
    # The first page as a 200-dpi image, as a phone's camera would see the printed slip.
    subprocess.run([_tool("pdftoppm", "poppler-utils"), "-r", "200", "-png", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(tmp_path / "page")], check=True)
    scanned = subprocess.run([_tool("zbarimg", "zbar-tools"), "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable",
                              str(tmp_path / "page.png")], capture_output=True, text=True, check=True).stdout.split()
    assert len(scanned) == 1
    url = scanned[0]
    assert url.startswith(("http://", "https://")) and dossier.code in url
    client.logout()
    path = url.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200
    content = page.content.decode()
    assert dossier.code in content and "Đặng Văn Công" not in content and "020095001234" not in content
