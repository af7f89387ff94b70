"""Upload checks shared by every app: size, count and type by content (never by name or header)."""

import zipfile
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"

DEFAULT_ALLOWED = (PDF, JPEG, PNG, DOCX)
# The blank forms (mẫu đơn, tờ khai) a procedure publishes: Vietnamese forms come as Word, Excel or PDF files, the old
# binary Office formats included. Only administrators upload these; citizens' uploads keep DEFAULT_ALLOWED.
FORM_TEMPLATE_ALLOWED = (DOCX, DOC, PDF, XLSX, XLS)
TYPE_LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", DOCX: "DOCX", XLSX: "XLSX", DOC: "DOC", XLS: "XLS"}
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", DOCX: "docx", XLSX: "xlsx", DOC: "doc", XLS: "xls"}

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Stream names in an OLE2 (compound file) directory: UTF-16LE, at the start of a 128-byte directory entry.
_OLE2_STREAMS = ((DOC, "WordDocument".encode("utf-16-le")), (XLS, "Workbook".encode("utf-16-le")),
                 (XLS, "Book\x00".encode("utf-16-le")))


def sniff_content_type(upload: UploadedFile) -> str | None:
    """The file's type from its first bytes; None when it is none of the types we accept."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        # Not only BadZipFile: an unsupported "version needed to extract" raises NotImplementedError, a name flagged
        # UTF-8 that is not UnicodeDecodeError (a ValueError), a cut-off archive EOFError or OSError (found in review:
        # an anonymous 500 on the public verification upload). Any of them is a file of no type we accept.
        except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError, OSError):
            return None
        finally:
            upload.seek(0)
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return DOCX
        if "xl/workbook.xml" in names and "[Content_Types].xml" in names:
            return XLSX
    if head == _OLE2_MAGIC:
        return _ole2_kind(upload)
    return None


def _ole2_kind(upload: UploadedFile) -> str | None:
    """A Word 97-2003 or Excel 97-2003 file by the name of its main stream; None for any other compound file (an
    MSI installer, an Outlook message). Directory entries begin at multiples of 128 bytes, which keeps a cell or
    paragraph that happens to spell a stream name from deciding the type."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    for content_type, name in _OLE2_STREAMS:
        at = data.find(name)
        while at != -1:
            if at % 128 == 0:
                return content_type
            at = data.find(name, at + 1)
    return None


def validate_upload(upload: UploadedFile, *, allowed: Sequence[str] = DEFAULT_ALLOWED,
                    max_mb: int | None = None, check_pdf: bool = True) -> str:
    """Check one file; returns its sniffed content type or raises a ValidationError in Vietnamese.

    `check_pdf`: a PDF must also parse (pdf_readable). Off only where the file is not kept and reading it is the point:
    the signature verification pages answer a damaged PDF with their own "unreadable" verdict."""
    max_mb = max_mb or settings.EGOV_MAX_UPLOAD_MB
    if not upload.size:
        # Said apart from a wrong type: an empty file (a failed download or scan) needs a new copy, not another format.
        raise ValidationError(
            _("Tệp “%(name)s” trống (0 byte): hãy chọn lại tệp có nội dung."), code="file_empty",
            params={"name": upload.name},
        )
    if upload.size > max_mb * 1024 * 1024:
        raise ValidationError(
            _("Tệp “%(name)s” quá lớn: tối đa %(mb)s MB."), code="file_too_large",
            params={"name": upload.name, "mb": max_mb},
        )
    content_type = sniff_content_type(upload)
    if content_type not in allowed:
        raise ValidationError(
            _("Tệp “%(name)s” không đúng định dạng cho phép (%(types)s)."), code="file_type",
            params={"name": upload.name, "types": ", ".join(TYPE_LABELS.get(t, t) for t in allowed)},
        )
    if content_type == PDF and check_pdf and not pdf_readable(upload):
        raise ValidationError(
            _("Tệp “%(name)s” là tệp PDF hỏng hoặc không đầy đủ, không mở được: hãy quét hoặc xuất lại tệp PDF."),
            code="file_damaged", params={"name": upload.name},
        )
    return content_type


def pdf_readable(upload: UploadedFile) -> bool:
    """Whether a file that starts like a PDF is one: its cross-reference, catalogue and page tree read (pyHanko, in its
    lenient mode), with at least one page. The first bytes alone let through a truncated download or "%PDF-1.4 garbage",
    which no one could open later. An encrypted PDF is taken as it is: its objects cannot be read without the password,
    and the apps that must sign a file refuse it themselves."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            return True
        return int(reader.root["/Pages"]["/Count"]) >= 1
    except Exception:  # any parse failure (malformed syntax, missing objects, wrong types) is a damaged file
        return False


def validate_upload_batch(uploads: Iterable[UploadedFile], *, max_files: int | None = None,
                          max_total_mb: int | None = None) -> None:
    """Per-request limits: how many files, and how many megabytes together."""
    uploads = list(uploads)
    max_files = max_files or settings.DATA_UPLOAD_MAX_NUMBER_FILES
    max_total_mb = max_total_mb or settings.EGOV_MAX_REQUEST_MB
    if len(uploads) > max_files:
        raise ValidationError(_("Quá nhiều tệp: tối đa %(n)s tệp mỗi lần gửi."), code="too_many_files",
                              params={"n": max_files})
    if sum(u.size for u in uploads) > max_total_mb * 1024 * 1024:
        raise ValidationError(_("Tổng dung lượng tệp vượt quá %(mb)s MB."), code="request_too_large",
                              params={"mb": max_total_mb})


def stored_file_response(field, *, stem: str, allowed: Sequence[str] = DEFAULT_ALLOWED, as_attachment: bool = False):
    """A stored file served as what its first bytes say it is, under `stem` and that type's extension.

    Never by its stored name: a name given by someone outside (an edXML package, an upload) must not choose the
    type a browser renders from the portal's origin. A file that is none of `allowed` is only offered for download
    as opaque bytes. nosniff is set here too, not left to the settings alone, since the type is the whole defence.
    """
    from django.http import FileResponse, Http404

    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = sniff_content_type(handle)
    if content_type in allowed:
        response = FileResponse(handle, content_type=content_type, as_attachment=as_attachment,
                                filename=f"{stem}.{EXTENSIONS[content_type]}")
    else:
        response = FileResponse(handle, content_type="application/octet-stream", as_attachment=True,
                                filename=f"{stem}.bin")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def file_delete_on_commit(field) -> None:
    """Delete a stored file (a FileField's value) once the transaction that removed its row commits, never before:
    a rollback would keep a row whose file is gone."""
    from django.db import transaction

    storage, name = field.storage, field.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))
