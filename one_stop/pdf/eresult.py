"""E-results: the verification block (QR code and a short text) stamped on page 1 of a result before it
is signed, and the empty field the leader's signature fills.

The block is drawn in a revision of its own before the signature, so the QR code is part of the
signed content: changing or removing it afterwards breaks the signature. It is rendered by WeasyPrint
(the bundled font has every Vietnamese letter; pyHanko's own stamp text would need one with 1000 units
per em) and placed on the page as a form XObject with pyHanko's incremental writer.
"""

import io

from egov.core.errors import ApplicationError

# The block and the signature field sit in the bottom margin of page 1 (2 cm on an administrative
# document, Decree 30): left the QR code and text, right the leader's signature.
BLOCK_WIDTH, BLOCK_HEIGHT = 250.0, 62.0
FIELD_WIDTH, FIELD_HEIGHT = 170.0, 62.0
MARGIN_X, MARGIN_Y = 20.0, 6.0
RESULT_FIELD = "LanhDaoKyKetQua"


def result_verification_block_pdf(*, url: str, lines: list[str]) -> bytes:
    import base64

    from egov.core.pdf import render_pdf
    from egov.core.qr import qr_svg

    svg = qr_svg(url, scale=2)
    return render_pdf("one_stop/pdf/eresult_block.html", {
        "width": int(BLOCK_WIDTH), "height": int(BLOCK_HEIGHT), "url": url, "lines": lines,
        "qr_data_uri": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode(),
    })


def result_pdf_prepare(*, pdf: bytes, url: str, lines: list[str], field_name: str = RESULT_FIELD) -> bytes:
    """The result with the verification block on page 1 and an empty signature field, in one new revision."""
    from django.utils.translation import gettext as _
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.rw_common import find_inherited_value_in_tree

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        if writer.prev.encrypted:
            raise ValueError("encrypted")
        if list(writer.prev.embedded_signatures):
            # Drawing on a signed page would break the signatures already there.
            raise ApplicationError("already_signed", _("Tệp kết quả đã có chữ ký số; hãy tải lên bản chưa ký để trình ký."),
                                   status=409)
        page_ref, _resources = writer.find_page_for_modification(0)
        media_box = find_inherited_value_in_tree(page_ref.get_object(), "/MediaBox", "/Parent")
        x1, y1, x2, _y2 = (float(v) for v in media_box)
    except ApplicationError:
        raise
    except Exception as exc:  # a file pyHanko cannot update is refused, not a 500
        raise ApplicationError("unreadable_pdf", _("Không đọc được tệp PDF kết quả để đóng mã QR xác thực."),
                               status=400) from exc
    if x2 - x1 < BLOCK_WIDTH + FIELD_WIDTH + 3 * MARGIN_X:
        raise ApplicationError("page_too_small", _("Trang đầu của tệp kết quả quá nhỏ để đặt mã QR và chữ ký."),
                               status=400)
    try:
        return _block_drawn(writer, url=url, lines=lines, field_name=field_name, box=(x1, y1, x2))
    except PdfError as exc:
        # The file's objects are read as they are needed: a damaged stream (a wrong /Length) shows only now.
        raise ApplicationError("unreadable_pdf", _("Không đọc được tệp PDF kết quả để đóng mã QR xác thực."),
                               status=400) from exc


def _block_drawn(writer, *, url: str, lines: list[str], field_name: str, box: tuple[float, float, float]) -> bytes:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    x1, y1, x2 = box
    block = PdfFileReader(io.BytesIO(result_verification_block_pdf(url=url, lines=lines)))
    xobject = writer.import_page_as_xobject(block, 0)
    # Wrap the page's own content in q … Q so whatever graphics state it leaves does not move the block.
    writer.add_stream_to_page(0, writer.add_object(generic.StreamObject(stream_data=b"q")), prepend=True)
    writer.add_stream_to_page(0, writer.add_object(generic.StreamObject(stream_data=b"Q")))
    paint = b"q 1 0 0 1 %g %g cm /EgovEResult Do Q" % (x1 + MARGIN_X, y1 + MARGIN_Y)
    writer.add_stream_to_page(0, writer.add_object(generic.StreamObject(stream_data=paint)),
                              resources=generic.DictionaryObject({
                                  generic.pdf_name("/XObject"): generic.DictionaryObject(
                                      {generic.pdf_name("/EgovEResult"): xobject})}))
    field_box = (x2 - MARGIN_X - FIELD_WIDTH, y1 + MARGIN_Y, x2 - MARGIN_X, y1 + MARGIN_Y + FIELD_HEIGHT)
    append_signature_field(writer, SigFieldSpec(sig_field_name=field_name, on_page=0,
                                                box=tuple(int(round(v)) for v in field_box)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
