"""Shared helpers of the one-stop tests."""

import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from unittest import mock

from django.utils import timezone

from egov.accounts.roles import Role
from one_stop.services.dossiers import ApplicantData, dossier_receive_at_counter

APPLICANT = ApplicantData(full_name="Đặng Văn Công", id_number="020095001234", phone="+84 912 345 678",
                          address="Phường Đông Kinh, Lạng Sơn")


def at_local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def receive_at_counter(staff, procedure, when):
    with mock.patch("django.utils.timezone.now", return_value=when):
        return dossier_receive_at_counter(clerk=staff[Role.ONE_STOP_CLERK], procedure=procedure, applicant=APPLICANT)


def pdf_fetch(client, url: str, tmp_path: Path, name: str = "form.pdf") -> Path:
    """The desk's PDF at `url`, checked as a PDF answer and saved under `tmp_path` for poppler's tools."""
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / name
    path.write_bytes(response.content)
    return path


def pdf_text(path: Path) -> str:
    """The PDF's text as pdftotext extracts it, whitespace folded to single spaces."""
    from tests.conftest import service_missing

    if not shutil.which("pdftotext"):
        service_missing("poppler-utils (pdftotext) is not installed")
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())
