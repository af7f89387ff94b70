"""Helpers of the eOffice tests: documents in a given state, built through the services."""

from datetime import date, datetime
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from docs_office.constants import AssignmentRole, Confidentiality
from docs_office.models import DocumentType
from docs_office.services.incoming import AssignmentData, IncomingData, incoming_assign, incoming_register_scan
from tests.pdfs import MINIMAL_PDF

# The smallest thing the upload checks accept as a PDF (checked by its first bytes).
TINY_PDF = MINIMAL_PDF


def at_local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def doc_type(code: str) -> DocumentType:
    return DocumentType.objects.get(code=code)


def scan(name: str = "scan.pdf", content: bytes = TINY_PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def incoming_data(**overrides) -> IncomingData:
    fields = {"number": "15", "symbol": "QĐ-UBND", "issuer_name": "Ủy ban nhân dân tỉnh Lạng Sơn",
              "issued_on": date(2026, 11, 20), "document_type": doc_type("quyet-dinh"),
              "summary": "Về việc phê duyệt kế hoạch cải cách hành chính năm 2027", "signer_name": "Hoàng Văn Nam",
              "page_count": 2}
    fields.update(overrides)
    return IncomingData(**fields)


def register_scan(clerk, *, when=None, readers=(), upload=None, attachments=(), **overrides):
    data = incoming_data(**overrides)
    if data.confidentiality == Confidentiality.NORMAL and upload is None:
        upload = scan()
    if when is None:
        return incoming_register_scan(clerk=clerk, data=data, upload=upload, readers=readers, confirm_duplicate=True,
                                      attachments=attachments)
    with mock.patch("django.utils.timezone.now", return_value=when):
        return incoming_register_scan(clerk=clerk, data=data, upload=upload, readers=readers, confirm_duplicate=True,
                                      attachments=attachments)


def another_leader(agency):
    """A leader of `agency` besides the staff's own: named among a secret document's readers (one must be) where a
    test needs the staff's leader not to read it."""
    from egov.accounts.roles import Role
    from tests.factories import UserFactory

    return UserFactory(agency=agency, roles=[Role.LEADER])


def assign_to(leader, document, *, lead=None, division=None, support=(), deadline=None):
    items = [AssignmentData(role=AssignmentRole.LEAD, user=lead, division=division, deadline=deadline,
                            instruction="Đề nghị nghiên cứu, tham mưu văn bản trả lời.")]
    items += [AssignmentData(role=AssignmentRole.SUPPORT, user=u, deadline=deadline) for u in support]
    return incoming_assign(leader=leader, document=document, assignments=items)


def ensure_document_types() -> None:
    """The types come from a data migration; a transactional test before this one may have flushed them."""
    import importlib

    from django.apps import apps

    importlib.import_module("docs_office.migrations.0002_document_types").load(apps, None)
