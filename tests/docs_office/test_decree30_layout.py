"""A draft composed on the system, as printed: the head of the Decree 30/2020 layout (appendix I) and an official
letter's "V/v" line. Found by exploratory testing: "V/v V/v …" when the drafter typed the "V/v", the national title
broken over two lines, and no rules under the agency's name and the motto."""

import io
import re
import shutil
import subprocess

import pytest

from docs_office.pdf.compose import letter_subject
from docs_office.services.outgoing import outgoing_create
from egov.accounts.roles import Role
from tests.conftest import service_missing
from tests.docs_office.factories import doc_type
from tests.docs_office.test_outgoing import _composition

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def _poppler(tool: str) -> None:
    if not shutil.which(tool):
        service_missing(f"poppler-utils ({tool}) is not installed")


def _pdf(staff, *, type_code: str, summary: str) -> bytes:
    document = outgoing_create(drafter=staff[Role.SPECIALIST], document_type=doc_type(type_code), summary=summary,
                               composition=_composition())
    with document.versions.get().file.open("rb") as handle:
        return handle.read()


def _text(pdf: bytes, tmp_path) -> str:
    _poppler("pdftotext")
    path = tmp_path / "v.pdf"
    path.write_bytes(pdf)
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())


def _words(pdf: bytes, tmp_path) -> list[tuple[str, float, float, float, float]]:
    """(word, x min, y min, x max, y max) in points from the top left of page 1."""
    _poppler("pdftotext")
    path = tmp_path / "w.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in re.findall(pattern, out)]


@pytest.mark.parametrize("typed", ["V/v báo cáo tình hình", "v/v báo cáo tình hình", "V/V. báo cáo tình hình",
                                   "V/vbáo cáo tình hình", "  V/v.  báo cáo tình hình", "báo cáo tình hình"])
def test_an_official_letter_reads_v_v_once_whether_or_not_the_drafter_typed_it(typed):
    assert letter_subject(typed) == "V/v báo cáo tình hình"


def test_an_official_letter_summary_typed_with_v_v_is_printed_with_one(staff, tmp_path):
    text = _text(_pdf(staff, type_code="cong-van", summary="V/v báo cáo tình hình cải cách hành chính"), tmp_path)
    assert "V/v báo cáo tình hình cải cách hành chính" in text
    assert len(re.findall(r"v/v", text, re.IGNORECASE)) == 1


def test_the_compose_form_says_v_v_is_added(client, staff):
    from django.urls import reverse

    from tests.docs_office.test_views import signed_in

    page = signed_in(client, staff[Role.SPECIALIST]).get(reverse("docs_office:outgoing_create")).content.decode()
    assert 'id="id_summary_helptext"' in page and "“V/v”" in page


def test_the_national_title_is_one_line_and_the_head_has_its_two_rules(staff, tmp_path):
    from PIL import Image

    pdf = _pdf(staff, type_code="cong-van", summary="báo cáo tình hình cải cách hành chính")
    words = _words(pdf, tmp_path)
    title = [w for w in words if w[0] in NATIONAL_TITLE.split()][:len(NATIONAL_TITLE.split())]
    assert [w[0] for w in title] == NATIONAL_TITLE.split()
    assert len({round(w[2]) for w in title}) == 1  # one line
    motto = [w for w in words if w[0] in MOTTO.split()][:len(MOTTO.split())]
    assert [w[0] for w in motto] == MOTTO.split()
    number = next(w for w in words if w[0] == "Số:")
    agency = [w for w in words if w[3] < title[0][1] and w[4] <= number[2]]  # the left column above the number
    agency_last = max(agency, key=lambda w: w[4])  # the agency name's last line

    _poppler("pdftoppm")
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    png = subprocess.run(["pdftoppm", "-r", "144", "-f", "1", "-l", "1", "-gray", "-png", str(path)],
                         capture_output=True, check=True).stdout
    image = Image.open(io.BytesIO(png)).convert("L")
    scale = 2  # 144 dpi: two pixels a point

    def longest_rule(x_min: float, x_max: float, y_min: float, y_max: float) -> tuple[float, float]:
        """The longest dark horizontal run between the heights given (points): its start and end in points."""
        best = (0.0, 0.0)
        for y in range(int(y_min * scale), int(y_max * scale)):
            start = None
            for x in range(int(x_min * scale), int(x_max * scale) + 1):
                dark = image.getpixel((x, y)) < 160
                if dark and start is None:
                    start = x
                if not dark and start is not None:
                    if x - start > (best[1] - best[0]) * scale:
                        best = (start / scale, x / scale)
                    start = None
        return best

    left, right = min(w[1] for w in agency), max(w[3] for w in agency)  # the name's widest line (no parent agency here)
    start, end = longest_rule(left - 20, right + 20, agency_last[4], number[2])
    assert 0.25 * (right - left) < end - start < 0.5 * (right - left), (start, end, left, right)  # about a third
    assert abs((start + end) / 2 - (left + right) / 2) < 3  # centred under the name

    below_motto = min(w[2] for w in words if w[2] > motto[0][4] and w[1] > title[0][1] - 5)
    start, end = longest_rule(title[0][1], title[-1][3], motto[0][4], below_motto)
    assert abs(start - motto[0][1]) < 3 and abs(end - motto[-1][3]) < 3, (start, end)  # as wide as the motto
