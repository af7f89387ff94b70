"""The smallest real PDF the tests upload: one blank A4 page, with a cross-reference table whose offsets are right.

Uploads are parsed, not only sniffed (egov/core/uploads.validate_upload): the stand-in tests used before,
`%PDF-1.4 1 0 obj<<>>endobj trailer<<>> %%EOF`, has no page and no cross-reference and is refused like any damaged file.
"""


def _minimal_pdf() -> bytes:
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


MINIMAL_PDF = _minimal_pdf()
