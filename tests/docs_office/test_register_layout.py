"""The printed incoming register (Decree 30, appendix IV) on A4 landscape: the receiving unit, the signature of
receipt and the note have room — not one word a line while the summary takes the page (found by exploratory
testing)."""

import os
import shutil
import subprocess

import pytest
from django.utils import timezone

from docs_office.constants import RegisterKind
from docs_office.models import Division
from docs_office.pdf.register import COLUMN_WIDTHS_MM, PRINTABLE_WIDTH_MM, register_pdf
from egov.accounts.roles import Role
from tests.conftest import service_missing
from tests.docs_office.factories import assign_to, register_scan

pytestmark = pytest.mark.django_db

MM = 72 / 25.4


def test_the_columns_fill_the_printable_width_of_a4_landscape():
    for kind in (RegisterKind.INCOMING, RegisterKind.OUTGOING):
        assert sum(COLUMN_WIDTHS_MM[kind]) == PRINTABLE_WIDTH_MM


def _header_words(pdf: bytes, tmp_path) -> list[tuple[str, float, float, float]]:
    import re

    path = tmp_path / "so.pdf"
    path.write_bytes(pdf)
    if os.environ.get("EGOV_KEEP_PDF"):
        shutil.copy(path, os.environ["EGOV_KEEP_PDF"])
    html = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [(word, float(x1), float(y1), float(x2)) for x1, y1, x2, _y2, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]


def test_the_receiving_unit_and_the_signature_of_receipt_have_room(staff, registers, tmp_path):
    if not shutil.which("pdftotext"):
        service_missing("poppler-utils (pdftotext) is not installed")
    clerk = staff[Role.RECORDS_CLERK]
    division = Division.objects.create(agency=staff[Role.LEADER].agency, name="Phòng Hành chính tư pháp", short_name="HCTP")
    document = register_scan(clerk, number="7", summary="Về việc hướng dẫn thực hiện thủ tục hành chính liên thông "
                                                        "đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế")
    assign_to(staff[Role.LEADER], document, division=division)

    words = _header_words(register_pdf(register=registers["incoming"], year=timezone.localdate().year), tmp_path)

    def where(word):
        return next((x1, y1, x2) for w, x1, y1, x2 in words if w == word)
    # "Ký nhận" on one line, its column at least 25 mm wide; the unit's name on few lines, not one word each.
    (kx1, ky, _kx2), (_nx1, ny, _nx2) = where("Ký"), where("nhận")
    assert ky == ny
    note_x1 = where("Ghi")[0]
    assert note_x1 - kx1 >= 24 * MM
    unit_lines = {y for w, _x1, y, _x2 in words if w in ("Phòng", "Hành", "chính", "tư", "pháp") and y > ky + 5}
    assert len(unit_lines) <= 2
