"""PAdES signing with pyHanko: signature fields, visible stamps, levels B-B to B-LTA.

Decree 30/2020 (appendix I) puts two signatures on an issued document: the leader's (personal
certificate, blue signature image between the title and the name) and then the agency's
(organisation certificate, its red seal at real size over the left third of the leader's image).
Both fields are created in one revision before the first signature, so each signature afterwards
only fills a form field: nothing is drawn on page content after the first signature, and the
leader's signature stays valid (pyHanko's difference analysis accepts form filling).
"""

import io
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from signatures.constants import PadesLevel

# Noto Serif cut down to Latin and Vietnamese (fonts/README.md): pyHanko re-reads and subsets the
# font for every stamp, and the full 590 KB font cost ~200 ms per signature against ~35 ms for this one.
FONT_PATH = Path(__file__).resolve().parent / "fonts" / "NotoSerif-Regular-vi.ttf"
# A People's Committee seal is about 35–36 mm across; 36 mm = 102 pt.
SEAL_DIAMETER_PT = 102.0
# Room for the CMS container: hex-encoded, so twice its DER size. Big enough for a 4096-bit key,
# the chain, a timestamp token and signed revocation data; reserving it skips pyHanko's dry run.
BYTES_RESERVED = 32 * 1024


class SigningUnavailable(Exception):
    """A service the signature depends on (TSA, OCSP/CRL, HSM, remote signer) is unreachable: retry."""


@dataclass(frozen=True)
class FieldSpec:
    name: str
    page: int  # 0-based
    box: tuple[float, float, float, float]  # x1, y1, x2, y2 in PDF points, origin bottom-left
    # The last signature a document receives (the agency's): once it is signed, no change is allowed but archival
    # updates (the field's /Lock with DocMDP P=1, PDF 2.0). Any validator that reads it then reports a number or a
    # date filled in afterwards, not only ours. The lock names its own field only: FieldMDP "All" also made pyHanko
    # refuse the seal's own B-LTA timestamp revision, which touches the form (the number's field, already filled).
    locks_document: bool = False


def decree30_boxes(*, page: int, leader_box: tuple[float, float, float, float],
                   leader_field: str = "LanhDaoKy", seal_field: str = "VanThuDongDau") -> list[FieldSpec]:
    """The leader's field, and the seal's field over the left third of it (Decree 30, appendix I).

    The seal is centred on the field's height, but never below its bottom: the signer's name is printed right under
    the field, and a seal (taller than the gap between the title and the name) centred on it covered the name's
    first letters."""
    x1, y1, x2, y2 = leader_box
    bottom = max(y1, (y1 + y2) / 2 - SEAL_DIAMETER_PT / 2)
    seal_right = x1 + (x2 - x1) / 3
    seal = (seal_right - SEAL_DIAMETER_PT, bottom, seal_right, bottom + SEAL_DIAMETER_PT)
    return [FieldSpec(leader_field, page, leader_box), FieldSpec(seal_field, page, seal, locks_document=True)]


def decree30_attachment_field(*, page_width: float, page_height: float, name: str = "VanThuKyPhuLuc") -> FieldSpec:
    """An attachment in a separate file: the agency signature, without image, top right of page 1."""
    margin, width, height = 20.0, 190.0, 42.0
    return FieldSpec(name, 0, (page_width - margin - width, page_height - margin - height,
                               page_width - margin, page_height - margin), locks_document=True)


@dataclass(frozen=True)
class TextFieldSpec:
    """An empty text field filled after the signatures began (`pdf_fill_text_fields`): the number and the date
    of issue, which a document signed by its leader before the records clerk numbers it cannot print. Digits only,
    in a standard font (Times, metric-compatible with the documents' Liberation Serif)."""

    name: str
    page: int  # 0-based
    box: tuple[float, float, float, float]  # x1, y1, x2, y2 in PDF points, origin bottom-left
    font_size: float = 13.0
    italic: bool = False
    align: str = "center"  # or "right": a number runs up to the "/" of its symbol


_TEXT_FONTS = {False: ("/TiRo", "/Times-Roman"), True: ("/TiIt", "/Times-Italic")}


def pdf_add_signature_fields(pdf: bytes, fields: list[FieldSpec], text_fields: list[TextFieldSpec] = ()) -> bytes:
    """Add empty signature fields, and the text fields to fill at issue, in one incremental revision.

    The text fields must exist before the first signature: filling a field afterwards is form filling, which
    pyHanko's difference analysis accepts (a signature stays valid); adding one is not."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import FieldMDPAction, FieldMDPSpec, MDPPerm, SigFieldSpec, append_signature_field

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    for spec in fields:
        lock = {"field_mdp_spec": FieldMDPSpec(action=FieldMDPAction.INCLUDE, fields=[spec.name]),
                "doc_mdp_update_value": MDPPerm.NO_CHANGES} if spec.locks_document else {}
        append_signature_field(writer, SigFieldSpec(sig_field_name=spec.name, on_page=spec.page,
                                                    box=tuple(int(round(v)) for v in spec.box), **lock))
    for spec in text_fields:
        _append_text_field(writer, spec)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _append_text_field(writer, spec: TextFieldSpec) -> None:
    """A read-only text field and its widget, merged in one dictionary, on its page and in the form's fields."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name, pdf_string

    font_key, base_font = _TEXT_FONTS[spec.italic]
    root = writer.root
    if "/AcroForm" not in root:
        root[pdf_name("/AcroForm")] = writer.add_object(generic.DictionaryObject({pdf_name("/Fields"): generic.ArrayObject()}))
        writer.update_root()
    form = root["/AcroForm"]
    writer.update_container(form)
    if "/DR" not in form:
        form[pdf_name("/DR")] = generic.DictionaryObject()
    if "/Font" not in form["/DR"]:
        form["/DR"][pdf_name("/Font")] = generic.DictionaryObject()
    fonts = form["/DR"]["/Font"]
    writer.update_container(fonts)
    fonts[pdf_name(font_key)] = generic.DictionaryObject({
        pdf_name("/Type"): pdf_name("/Font"), pdf_name("/Subtype"): pdf_name("/Type1"),
        pdf_name("/BaseFont"): pdf_name(base_font), pdf_name("/Encoding"): pdf_name("/WinAnsiEncoding")})
    page_ref, _resources = writer.find_page_for_modification(spec.page)
    field = generic.DictionaryObject({
        pdf_name("/FT"): pdf_name("/Tx"), pdf_name("/T"): pdf_string(spec.name),
        # Read-only: a reader's viewer must not let anyone type a number into the signed document.
        pdf_name("/Ff"): generic.NumberObject(1),
        pdf_name("/DA"): pdf_string(f"{font_key} {spec.font_size:g} Tf 0 g"),
        pdf_name("/Q"): generic.NumberObject(2 if spec.align == "right" else 1),
        pdf_name("/Type"): pdf_name("/Annot"), pdf_name("/Subtype"): pdf_name("/Widget"),
        pdf_name("/F"): generic.NumberObject(4),  # printed
        pdf_name("/Rect"): generic.ArrayObject(generic.FloatObject(round(v, 2)) for v in spec.box),
        pdf_name("/P"): page_ref,
    })
    field_ref = writer.add_object(field)
    form["/Fields"].append(field_ref)
    writer.update_container(form["/Fields"])
    page = page_ref.get_object()
    if "/Annots" in page:
        page["/Annots"].append(field_ref)
        writer.update_container(page["/Annots"])
    else:
        page[pdf_name("/Annots")] = generic.ArrayObject([field_ref])
        writer.update_container(page)


def pdf_text_field_names(pdf: bytes) -> set[str]:
    """The names of the text fields of `pdf`'s form."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    try:
        fields = reader.root["/AcroForm"]["/Fields"]
    except KeyError:
        return set()
    return {str(f.get_object()["/T"]) for f in fields if f.get_object().get("/FT") == "/Tx" and "/T" in f.get_object()}


def pdf_fill_text_fields(pdf: bytes, values: dict[str, str]) -> bytes:
    """Fill the named text fields (digits and "/", "-", spaces) in one incremental revision, each with its value and
    an appearance of its own; fields the PDF does not have are left out, and a PDF with none of them is returned
    unchanged. Earlier signatures stay valid: this is form filling (pyHanko's FORM_FILLING level)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name, pdf_string
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    try:
        fields = writer.root["/AcroForm"]["/Fields"]
    except KeyError:
        return pdf
    filled = 0
    for ref in fields:
        field = ref.get_object()
        name = str(field.get("/T", ""))
        if field.get("/FT") != "/Tx" or name not in values:
            continue
        text = str(values[name])
        if not all(c.isascii() and (c.isalnum() or c in " /-.") for c in text):
            raise ValueError(f"{name}: only ASCII letters, digits, space, '/', '-', '.' are drawn")
        font_key, base_font = next(v for v in _TEXT_FONTS.values() if f"{v[0]} " in str(field["/DA"]))
        size = float(str(field["/DA"]).split()[1])
        x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
        width, height = x2 - x1, y2 - y1
        # Times digits are half an em wide; a space a quarter, a slash 0.28 (the font's metrics).
        advance = sum(0.5 if c.isdigit() else 0.25 if c == " " else 0.28 if c == "/" else 0.55 for c in text) * size
        x = width - advance - 1 if field.get("/Q") == 2 else (width - advance) / 2
        y = (height - size * 0.68) / 2  # the digits' height centred
        # No escaping needed: the characters allowed above are none of PDF's string delimiters.
        content = f"/Tx BMC q BT {font_key} {size:g} Tf 0 g {x:.2f} {y:.2f} Td ({text}) Tj ET Q EMC".encode()
        stream = generic.StreamObject({
            pdf_name("/Type"): pdf_name("/XObject"), pdf_name("/Subtype"): pdf_name("/Form"),
            pdf_name("/BBox"): generic.ArrayObject(generic.FloatObject(v) for v in (0, 0, round(width, 2), round(height, 2))),
            pdf_name("/Resources"): generic.DictionaryObject({pdf_name("/Font"): generic.DictionaryObject({
                pdf_name(font_key): generic.DictionaryObject({
                    pdf_name("/Type"): pdf_name("/Font"), pdf_name("/Subtype"): pdf_name("/Type1"),
                    pdf_name("/BaseFont"): pdf_name(base_font), pdf_name("/Encoding"): pdf_name("/WinAnsiEncoding")})})}),
        }, stream_data=content)
        field[pdf_name("/V")] = pdf_string(text)
        field[pdf_name("/AP")] = generic.DictionaryObject({pdf_name("/N"): writer.add_object(stream)})
        writer.mark_update(ref)
        filled += 1
    if not filled:
        return pdf
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass(frozen=True)
class StampSpec:
    """What the visible stamp shows. `lines` are printed under (or over) the image.

    `text_align`: "center", or "right" — the leader's lines, clear of the agency's seal that covers the left third
    of the leader's field (Decree 30, appendix I). `text_band`: the lines sit on a light band over the image — the
    seal's own lines, unreadable in black on its red ring."""

    lines: list[str]
    image_png: bytes | None = None
    text_align: str = "center"
    text_band: bool = False


FONT_SIZE, LEADING = 6, 7
# Pixels per point of a composed stamp image (the seal and its band): sharp when printed at 300 dpi.
_STAMP_PX_PER_PT = 4


def _banded_image(stamp: StampSpec, size: tuple[float, float]):
    """The stamp's image laid out in its field (`size`, points, margins of 2 pt) on a transparent canvas of the
    field's proportions, with a rounded, nearly opaque white band behind the lines at the bottom, as wide as the
    longest line: the lines read in black while the rest of the seal stays as it is."""
    from PIL import Image, ImageDraw, ImageFont

    scale = _STAMP_PX_PER_PT
    width, height = max(1, round(size[0] * scale)), max(1, round(size[1] * scale))
    canvas = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    image = Image.open(io.BytesIO(stamp.image_png)).convert("RGBA")
    margin = 2 * scale
    ratio = min((width - 2 * margin) / image.width, (height - 2 * margin) / image.height)
    image = image.resize((max(1, round(image.width * ratio)), max(1, round(image.height * ratio))), Image.LANCZOS)
    canvas.alpha_composite(image, ((width - image.width) // 2, (height - image.height) // 2))
    font = ImageFont.truetype(str(FONT_PATH), FONT_SIZE * scale)
    lines = [unicodedata.normalize("NFC", line) for line in stamp.lines]
    text_width = max((font.getlength(line) for line in lines), default=0)
    band_width, band_height = text_width + 4 * scale, (len(lines) * LEADING + 2.5) * scale
    band = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    ImageDraw.Draw(band).rounded_rectangle(
        ((width - band_width) / 2, height - band_height, (width + band_width) / 2, height - 0.5 * scale),
        radius=2 * scale, fill=(255, 255, 255, 225))
    canvas.alpha_composite(band)
    return canvas


def _stamp_style(stamp: StampSpec, field_size: tuple[float, float] | None = None):
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    background, background_margin = None, 2
    if stamp.image_png and stamp.text_band and stamp.lines and field_size:
        background, background_margin = PdfImage(_banded_image(stamp, field_size)), 0  # the canvas is the field
    elif stamp.image_png:
        from PIL import Image

        background = PdfImage(Image.open(io.BytesIO(stamp.image_png)))
    x_align = AxisAlignment.ALIGN_MAX if stamp.text_align == "right" else AxisAlignment.ALIGN_MID
    return TextStampStyle(
        # Noto Serif has 1000 units per em: pyHanko lays its glyph widths out right (DESIGN.md §6).
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(FONT_PATH)), font_size=FONT_SIZE, leading=LEADING),
        # NFC: the subset font has the precomposed Vietnamese letters (ầ, ự…), not every combination.
        stamp_text="\n".join(unicodedata.normalize("NFC", line).replace("%", "%%") for line in stamp.lines),
        border_width=0,
        # The text sits at the bottom, under the image, so the signature itself stays readable.
        inner_content_layout=SimpleBoxLayoutRule(x_align=x_align, y_align=AxisAlignment.ALIGN_MIN,
                                                 margins=Margins(left=1, right=2 if x_align == AxisAlignment.ALIGN_MAX
                                                                 else 1, top=1, bottom=1)),
        background=background,
        background_opacity=1.0,
        background_layout=SimpleBoxLayoutRule(x_align=AxisAlignment.ALIGN_MID, y_align=AxisAlignment.ALIGN_MID,
                                              margins=Margins.uniform(background_margin)),
    )


def _field_size(writer, name: str) -> tuple[float, float] | None:
    """The width and height (points) of the signature field `name`'s widget, to lay a composed stamp image out."""
    from pyhanko.sign.fields import enumerate_sig_fields

    for field_name, _value, ref in enumerate_sig_fields(writer):
        if field_name == name:
            rect = [float(v) for v in ref.get_object().get("/Rect", [])]
            return (abs(rect[2] - rect[0]), abs(rect[3] - rect[1])) if len(rect) == 4 else None
    return None


def validation_context(*, trust_roots, other_certs=(), allow_fetching: bool = True, hard_fail: bool = True,
                       fetch_certificates: bool = True):
    """A pyHanko validation context over our trust anchors.

    `fetch_certificates=False` stops the context from downloading issuer certificates from the
    caIssuers URLs the certificates carry: needed for files anyone may upload, whose certificates
    could point the server anywhere. Revocation data is still fetched (only for chains that reach a
    trust anchor).
    """
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend

    # The requests-based fetchers hold no event-loop-bound session, so a context can be used from
    # any sync code (views, tasks) and needs no explicit closing.
    context = ValidationContext(trust_roots=list(trust_roots), other_certs=list(other_certs),
                                allow_fetching=allow_fetching, revocation_mode="hard-fail" if hard_fail else "soft-fail",
                                fetcher_backend=RequestsFetcherBackend(per_request_timeout=10))
    if not fetch_certificates:
        context.certificate_registry.fetcher = None
    return context


def pdf_sign(*, pdf: bytes, signer, field_name: str, level: str, trust_roots, tsa_url: str = "",
             stamp: StampSpec | None = None, key_usage: set[str] | None = None, signer_name: str = "",
             reason: str = "", location: str = "") -> tuple[bytes, str]:
    """Sign the existing field `field_name`; return the signed PDF and the PAdES level reached.

    B-T and above need `tsa_url`; without it the level falls back to B-B. B-LT and B-LTA embed the
    certificate chain and revocation data, fetched from the OCSP/CRL URLs in the certificates: when
    those cannot be reached, SigningUnavailable asks the caller to retry later rather than silently
    producing a weaker signature.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps
    from pyhanko.sign.general import SigningError

    wanted = PadesLevel(level)
    if not tsa_url:
        wanted = PadesLevel.B_B
    timestamper = timestamps.HTTPTimeStamper(tsa_url, timeout=10) if wanted != PadesLevel.B_B else None
    long_term = wanted in (PadesLevel.B_LT, PadesLevel.B_LTA)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=long_term,
        use_pades_lta=wanted == PadesLevel.B_LTA,
        validation_context=validation_context(trust_roots=trust_roots) if long_term else None,
        # Organisation certificates often carry digitalSignature only; pyHanko's default demands
        # nonRepudiation and would refuse to embed validation info for them.
        signer_key_usage=key_usage or {"digital_signature"},
        name=signer_name or None,
        reason=reason or None,
        location=location or None,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    field_size = _field_size(writer, field_name) if stamp and stamp.text_band else None
    pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=timestamper,
                                   stamp_style=_stamp_style(stamp, field_size) if stamp else None)
    out = io.BytesIO()
    try:
        pdf_signer.sign_pdf(writer, existing_fields_only=True, bytes_reserved=BYTES_RESERVED, output=out)
    except SigningError as exc:
        if _is_unreachable(exc):
            raise SigningUnavailable(str(exc)) from exc
        raise
    except OSError as exc:  # connection refused, timeouts of the TSA
        raise SigningUnavailable(str(exc)) from exc
    return out.getvalue(), wanted.value


def _is_unreachable(exc: BaseException) -> bool:
    """Whether a signing failure comes from a service we could not reach (worth retrying).

    Decided on exception types along the cause chain, never on message text: a network error, a
    failed fetch of a certificate, CRL or OCSP response, or revocation data that could not be had at
    all. Stale revocation data, a revoked or untrusted certificate are answers, not outages.
    """
    from pyhanko_certvalidator.errors import (
        CertificateFetchError,
        CRLFetchError,
        InsufficientRevinfoError,
        OCSPFetchError,
        StaleRevinfoError,
    )

    transient = (OSError, TimeoutError, CertificateFetchError, CRLFetchError, OCSPFetchError)
    seen, depth = exc, 0
    while seen is not None and depth < 20:
        if isinstance(seen, transient):
            return True
        if isinstance(seen, InsufficientRevinfoError) and not isinstance(seen, StaleRevinfoError):
            return True
        seen, depth = seen.__cause__ or seen.__context__, depth + 1
    return False


def vietnam_time(moment: datetime) -> str:
    """'10:35:07 23/11/2026' in Vietnam time, as people read it on a stamp."""
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%H:%M:%S %d/%m/%Y")


def stamp_time(moment: datetime) -> str:
    """'08/12/2026 07:01' in Vietnam time: the seal's line, read by people (the signature keeps the exact time)."""
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%d/%m/%Y %H:%M")


def iso_time(moment: datetime) -> str:
    """ISO 8601 with the Vietnam offset, as Decree 30 asks for the agency signature."""
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).isoformat(timespec="seconds")
