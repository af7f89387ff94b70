"""The agency's seal on an issued composed document (Decree 30, appendix I): over about a third of the leader's
signature on its left, the caption of the signer block (title, name) not hidden, and the seal's own lines readable —
a human date, on a light band rather than on the red seal (found by exploratory testing)."""

import os
import shutil
import subprocess

import pytest

from docs_office.pdf.compose import Composition
from docs_office.services.outgoing import outgoing_create, outgoing_review
from egov.accounts.roles import Role
from tests.conftest import service_missing
from tests.docs_office.factories import doc_type
from tests.docs_office.signing import certificates_for
from tests.docs_office.test_outgoing import signed_and_issued

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued_composed(staff, demo_pki, django_capture_on_commit_callbacks):
    leader = staff[Role.LEADER]
    leader.full_name, leader.position_title = "Hoàng Văn Nam", "Giám đốc Sở"
    leader.save(update_fields=["full_name", "position_title"])
    personal, seal = certificates_for(demo_pki, leader=leader, records_clerk=staff[Role.RECORDS_CLERK])
    composition = Composition(body="Sở Tư pháp hướng dẫn như sau.", place="Lạng Sơn", signer_title="GIÁM ĐỐC",
                              signer_name="Hoàng Văn Nam")
    document = outgoing_create(drafter=staff[Role.SPECIALIST], document_type=doc_type("cong-van"),
                               summary="hướng dẫn liên thông thủ tục hành chính", composition=composition)
    outgoing_review(user=staff[Role.SPECIALIST], document=document, action="submit")
    outgoing_review(user=staff[Role.HEAD_OF_DIVISION], document=document, action="head_approve")
    document = outgoing_review(user=leader, document=document, action="leader_approve")
    document = signed_and_issued(staff, document, personal, seal, django_capture_on_commit_callbacks)
    with document.signed_file.open("rb") as handle:
        return document, handle.read()


def _keep(pdf: bytes, tmp_path):
    path = tmp_path / "issued.pdf"
    path.write_bytes(pdf)
    if os.environ.get("EGOV_KEEP_PDF"):
        shutil.copy(path, os.environ["EGOV_KEEP_PDF"])
    return path


def _rects(pdf: bytes) -> dict[str, tuple[float, float, float, float]]:
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import enumerate_sig_fields

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    return {name: tuple(float(v) for v in ref.get_object()["/Rect"]) for name, _value, ref in enumerate_sig_fields(reader)}


def _words(path) -> list[tuple[str, float, float, float, float]]:
    import html
    import re

    out = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return [(html.unescape(word), float(x1), float(y1), float(x2), float(y2)) for x1, y1, x2, y2, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out)]


def test_the_seal_covers_the_left_third_of_the_leaders_field_and_hides_neither_caption_nor_name(issued_composed,
                                                                                                   tmp_path):
    if not shutil.which("pdftotext"):
        service_missing("poppler-utils (pdftotext) is not installed")
    _document, pdf = issued_composed
    path = _keep(pdf, tmp_path)
    rects = _rects(pdf)
    lx1, ly1, lx2, _ly2 = rects["LanhDaoKy"]
    sx1, sy1, sx2, _sy2 = rects["VanThuDongDau"]
    page_height = 842

    assert abs(sx2 - (lx1 + (lx2 - lx1) / 3)) <= 1 and sx1 < lx1  # over the left third, reaching out to its left
    assert sy1 >= ly1 - 0.5  # not down over the name printed under the field
    words = _words(path)
    # The leader's stamp lines (name, title, signing time) start right of the seal.
    caption = [w for w in words if w[0] in ("Hoàng Văn Nam", "Giám đốc Sở") and w[4] - w[2] < 10]
    assert len(caption) == 2 and all(x1 >= sx2 for _w, x1, _y1, _x2, _y2 in caption), (caption, sx2)
    # The name printed in the document (14 pt) stays below the seal.
    printed = [w for w in words if w[0] == "Hoàng" and w[4] - w[2] > 10]
    assert printed and all(y1 >= page_height - sy1 for _w, _x1, y1, _x2, _y2 in printed)


def test_the_seals_lines_read_number_and_a_human_date(issued_composed, tmp_path):
    import re

    if not shutil.which("pdftotext"):
        service_missing("poppler-utils (pdftotext) is not installed")
    document, pdf = issued_composed
    text = " ".join(w[0] for w in _words(_keep(pdf, tmp_path)))

    assert f"Số: {document.number_symbol}" in text
    assert re.search(r"\b\d{2}/\d{2}/\d{4} \d{2}:\d{2}\b", text)
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text)  # no ISO time on the page


def test_pdfsig_finds_both_signatures_valid(issued_composed, tmp_path):
    if not shutil.which("pdfsig"):
        service_missing("poppler-utils (pdfsig) is not installed")
    _document, pdf = issued_composed
    out = subprocess.run(["pdfsig", str(_keep(pdf, tmp_path))], capture_output=True, text=True, timeout=60).stdout

    # pdfsig exits 0 even on a digest mismatch: the verdict is in its output (DESIGN.md §6).
    assert out.count("Signature is Valid.") == 2, out
