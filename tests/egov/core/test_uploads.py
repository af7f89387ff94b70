import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.core.uploads import DOCX, JPEG, PDF, PNG, validate_upload, validate_upload_batch
from tests.pdfs import MINIMAL_PDF


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("content", "expected"), [
    (MINIMAL_PDF, PDF),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", JPEG),
    (b"\x89PNG\r\n\x1a\n\x00\x00", PNG),
    (_docx(), DOCX),
])
def test_the_type_is_read_from_the_content(content, expected):
    assert validate_upload(SimpleUploadedFile("ten-bat-ky.bin", content)) == expected


def test_a_renamed_executable_is_refused_whatever_its_name():
    with pytest.raises(ValidationError) as info:
        validate_upload(SimpleUploadedFile("don.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"))
    assert "không đúng định dạng" in info.value.messages[0]


def test_a_zip_that_is_not_a_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.sh", "rm -rf /")
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile("don.docx", buffer.getvalue()))


def docx_with_version_needed(version: int) -> bytes:
    """A DOCX-looking zip whose central directory says 'version needed to extract' = `version`."""
    data = bytearray(_docx())
    at = data.find(b"PK\x01\x02")
    data[at + 6:at + 8] = version.to_bytes(2, "little")
    return bytes(data)


def zip_with_bad_utf8_name() -> bytes:
    """A zip whose entry name is flagged UTF-8 but is not."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    data = bytearray(buffer.getvalue())
    at = data.find(b"PK\x01\x02")
    flags = int.from_bytes(data[at + 8:at + 10], "little") | 0x800  # "file name is UTF-8"
    data[at + 8:at + 10] = flags.to_bytes(2, "little")
    data[at + 46] = 0xFF  # the name's first byte: not UTF-8
    return bytes(data)


MALFORMED_ZIPS = pytest.mark.parametrize("payload", [docx_with_version_needed(255), zip_with_bad_utf8_name()],
                                         ids=["zip-version", "zip-utf8-name"])


@MALFORMED_ZIPS
def test_a_malformed_zip_is_refused_as_of_no_accepted_type(payload):
    """zipfile raises more than BadZipFile (found in review): NotImplementedError for an unsupported 'version needed',
    UnicodeDecodeError for a name flagged UTF-8 that is not — a refusal, never a 500."""
    with pytest.raises(ValidationError) as info:
        validate_upload(SimpleUploadedFile("don.docx", payload))
    assert "không đúng định dạng" in info.value.messages[0]


def test_a_file_over_the_size_limit_is_refused(settings):
    with pytest.raises(ValidationError) as info:
        validate_upload(SimpleUploadedFile("scan.pdf", b"%PDF-" + b"0" * (1024 * 1024)), max_mb=1)
    assert "quá lớn" in info.value.messages[0]


def test_a_request_with_too_many_files_or_bytes_is_refused():
    files = [SimpleUploadedFile(f"{i}.pdf", b"%PDF-" + b"0" * 600_000) for i in range(3)]
    with pytest.raises(ValidationError):
        validate_upload_batch(files, max_files=2)
    with pytest.raises(ValidationError):
        validate_upload_batch(files, max_total_mb=1)
    validate_upload_batch(files, max_files=3, max_total_mb=2)


@pytest.mark.parametrize("allowed", [(PDF,), (PDF, JPEG, PNG, DOCX)])
def test_an_empty_file_is_called_empty_not_of_the_wrong_type(allowed):
    with pytest.raises(ValidationError) as info:
        validate_upload(SimpleUploadedFile("giay-chung-sinh.pdf", b""), allowed=allowed)

    assert info.value.code == "file_empty"
    assert info.value.messages == ["Tệp “giay-chung-sinh.pdf” trống (0 byte): hãy chọn lại tệp có nội dung."]


@pytest.mark.parametrize("content", [b"%PDF-1.4\ngarbage", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n",
                                     MINIMAL_PDF[: len(MINIMAL_PDF) // 2]])
def test_a_pdf_that_cannot_be_parsed_is_refused_in_vietnamese(content):
    """Found by exploratory testing: 16 bytes, "%PDF-1.4 garbage", passed as an incoming document's attachment."""
    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile("hong.pdf", content))
    assert refused.value.code == "file_damaged"
    assert "hong.pdf" in str(refused.value.messages[0]) and "PDF hỏng" in str(refused.value.messages[0])


def test_a_readable_pdf_is_accepted_and_left_at_its_start():
    upload = SimpleUploadedFile("ok.pdf", MINIMAL_PDF)
    assert validate_upload(upload) == PDF
    assert upload.read() == MINIMAL_PDF
