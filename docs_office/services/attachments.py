"""Attachments (phụ lục, tài liệu kèm theo): files of their own beside a document's main file.

Incoming: any accepted type, added by the records clerk at registration or while the document is open, and
brought in by the internal exchange and edXML packages. Outgoing: PDFs added to a draft, signed at issue with
the agency's signature without image (Decree 30, appendix I).
"""

import io
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from docs_office.constants import IncomingState, OutgoingState
from docs_office.models import IncomingAttachment, IncomingDocument, IncomingEvent, OutgoingAttachment, OutgoingDocument
from docs_office.services.common import checked_upload, require, same_agency
from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from egov.core.uploads import (
    DEFAULT_ALLOWED,
    EXTENSIONS,
    PDF,
    file_delete_on_commit,
    sniff_content_type,
    validate_upload_batch,
)

INCOMING_ATTACHMENT_TYPES = DEFAULT_ALLOWED  # PDF, JPEG, PNG, DOCX: an appendix may be a table or a photo
OUTGOING_ATTACHMENT_TYPES = (PDF,)  # signed like the document, so a PDF
ORIGINAL_NAME_MAX = 255
# An incoming document takes attachments while someone still works on it.
INCOMING_OPEN = (IncomingState.RECEIVED, IncomingState.REGISTERED, IncomingState.ASSIGNED, IncomingState.IN_PROGRESS)
# A draft takes attachments until the leader signs: what is signed and issued is what was approved.
OUTGOING_EDITABLE = (OutgoingState.DRAFT, OutgoingState.HEAD_REVIEW, OutgoingState.LEADER_REVIEW)


def _original_name(name: str) -> str:
    """The name as the uploader gave it, for display only (never a storage path): its last part, trimmed."""
    from egov.core.text import xml_safe

    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return xml_safe(base).strip()[:ORIGINAL_NAME_MAX]


def _checked_batch(uploads: Sequence, *, allowed, field: str) -> list[str]:
    """Every file checked by content and size, and the request's count and total: every type first."""
    try:
        validate_upload_batch(uploads)
    except ValidationError as exc:
        raise ApplicationError("invalid_file", exc.messages[0], fields={field: exc.messages}) from None
    return [checked_upload(upload, allowed=allowed, field=field) for upload in uploads]


def incoming_attachments_store(*, document: IncomingDocument, files: Sequence[tuple[str, str, object]], by=None,
                               at=None) -> list[IncomingAttachment]:
    """Store already-checked files as the document's attachments: (original name, content type, file)."""
    at = at or timezone.now()
    attachments = []
    for original_name, content_type, content in files:
        attachment = IncomingAttachment(document=document, original_name=_original_name(original_name),
                                        content_type=content_type, size=content.size, uploaded_by=by, uploaded_at=at)
        # Under a name of ours by its sniffed type, as the main file is: the uploader's name chooses nothing.
        attachment.file.save(f"phu-luc.{EXTENSIONS[content_type]}", content, save=False)
        attachments.append(attachment)
    return IncomingAttachment.objects.bulk_create(attachments)


def incoming_attachments_check(*, uploads: Sequence, secret: bool, field: str = "attachments") -> list[str]:
    """The checks of attachments given at registration; their content types."""
    if uploads and secret:
        raise ApplicationError("secret_file", _("Văn bản mật chỉ được vào sổ thông tin, không lưu tệp trên hệ thống."),
                               fields={field: [_("Không đính kèm tệp cho văn bản mật.")]})
    return _checked_batch(uploads, allowed=INCOMING_ATTACHMENT_TYPES, field=field)


def incoming_attachment_allowed(*, user, document: IncomingDocument) -> bool:
    return (user.has_role(Role.RECORDS_CLERK) and same_agency(user, document.agency_id) and not document.is_secret
            and document.state in INCOMING_OPEN)


@transaction.atomic
def incoming_attachment_add(*, clerk, document: IncomingDocument, uploads: Sequence) -> list[IncomingAttachment]:
    """The records clerk adds attachments to an open document (a late appendix, a page scanned apart)."""
    document = IncomingDocument.objects.select_for_update(of=("self",)).get(pk=document.pk)
    require(clerk.has_role(Role.RECORDS_CLERK) and same_agency(clerk, document.agency_id),
            _("Chỉ văn thư của cơ quan nhận được thêm tệp đính kèm."))
    if document.is_secret:
        raise ApplicationError("secret_file", _("Văn bản mật không lưu tệp trên hệ thống."), status=409)
    if document.state not in INCOMING_OPEN:
        raise ApplicationError("closed", _("Văn bản đã kết thúc, không thêm được tệp đính kèm."), status=409)
    uploads = [u for u in uploads if u is not None]
    if not uploads:
        raise ApplicationError("file_required", _("Chọn ít nhất một tệp đính kèm."), fields={"attachments": [_("Bắt buộc.")]})
    types = _checked_batch(uploads, allowed=INCOMING_ATTACHMENT_TYPES, field="attachments")
    now = timezone.now()
    attachments = incoming_attachments_store(document=document, by=clerk, at=now,
                                             files=[(u.name, t, u) for u, t in zip(uploads, types, strict=True)])
    IncomingEvent.objects.create(document=document, action="attachment_add", from_state=document.state,
                                 to_state=document.state, actor=clerk, at=now,
                                 note=", ".join(a.original_name for a in attachments))
    return attachments


# Before a leader assigns it, nobody but the records clerk has worked from the document's files.
INCOMING_UNASSIGNED = (IncomingState.RECEIVED, IncomingState.REGISTERED)


def incoming_attachment_removable(*, user, document: IncomingDocument, attachment: IncomingAttachment) -> bool:
    return (incoming_attachment_allowed(user=user, document=document) and document.state in INCOMING_UNASSIGNED
            and attachment.uploaded_by_id is not None)


@transaction.atomic
def incoming_attachment_remove(*, clerk, document: IncomingDocument, attachment_id: int) -> IncomingAttachment:
    """The records clerk removes a file added by mistake (at registration or later) before the document is assigned.
    What the sender sent (exchange, edXML: no uploader) is the sender's record and stays. Recorded as an event."""
    document = IncomingDocument.objects.select_for_update(of=("self",)).get(pk=document.pk)
    require(clerk.has_role(Role.RECORDS_CLERK) and same_agency(clerk, document.agency_id),
            _("Chỉ văn thư của cơ quan nhận được gỡ tệp đính kèm."))
    attachment = IncomingAttachment.objects.filter(document=document, pk=attachment_id).first()
    if attachment is None:
        raise ApplicationError("not_found", _("Không tìm thấy tệp đính kèm."), status=404)
    if attachment.uploaded_by_id is None:
        raise ApplicationError("sender_file", _("Tệp do nơi gửi chuyển đến, không gỡ được."), status=409)
    if document.state not in INCOMING_UNASSIGNED:
        raise ApplicationError("assigned", _("Văn bản đã được phân công xử lý, không gỡ được tệp đính kèm."), status=409)
    attachment.delete()
    file_delete_on_commit(attachment.file)
    IncomingEvent.objects.create(document=document, action="attachment_remove", from_state=document.state,
                                 to_state=document.state, actor=clerk, at=timezone.now(),
                                 note=attachment.original_name or str(attachment_id))
    return attachment


def incoming_attachment_copy(*, document: IncomingDocument, name: str, data: bytes, at=None) -> IncomingAttachment | None:
    """A received file (exchange, edXML) as an attachment; a file of a type we do not keep is left out."""
    content_type = sniff_content_type(io.BytesIO(data))
    if content_type not in INCOMING_ATTACHMENT_TYPES:
        return None
    return incoming_attachments_store(document=document, at=at, files=[(name, content_type, ContentFile(data))])[0]


# ---------------------------------------------------------------------------------------------- outgoing


def outgoing_attachment_pdf_check(data: bytes) -> None:
    """An appendix is signed at issue: a PDF pyHanko cannot read (or encrypted) is refused now, not then."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        encrypted = reader.encrypted
        int(reader.root["/Pages"]["/Count"])
        reader.find_page_for_modification(0)
    except Exception:  # any parse failure of an uploaded file is the drafter's to fix, not a 500
        raise ApplicationError("invalid_pdf", _("Không đọc được tệp PDF phụ lục."),
                               fields={"attachments": [_("Không đọc được tệp PDF phụ lục.")]}) from None
    if encrypted:
        raise ApplicationError("invalid_pdf", _("Tệp PDF phụ lục có mật khẩu: không ký số được."),
                               fields={"attachments": [_("Tệp PDF phụ lục có mật khẩu: không ký số được.")]})


def outgoing_attachment_allowed(*, user, document: OutgoingDocument) -> bool:
    from docs_office.services.outgoing import _reviewer_of_state

    return document.state in OUTGOING_EDITABLE and _reviewer_of_state(user, document)


def outgoing_attachments_check(uploads: Sequence) -> list[tuple[str, bytes]]:
    """Appendix PDFs checked by content, size and readability: (name, bytes) of each, or every file refused."""
    _checked_batch(uploads, allowed=OUTGOING_ATTACHMENT_TYPES, field="attachments")
    contents = []
    for upload in uploads:
        upload.seek(0)
        data = upload.read()
        outgoing_attachment_pdf_check(data)
        contents.append((upload.name, data))
    return contents


def outgoing_attachments_store(*, document: OutgoingDocument, contents: Sequence[tuple[str, bytes]], user,
                               at=None) -> list[OutgoingAttachment]:
    at = at or timezone.now()
    attachments = []
    for name, data in contents:
        attachment = OutgoingAttachment(document=document, original_name=_original_name(name), size=len(data),
                                        uploaded_by=user, uploaded_at=at)
        attachment.file.save("phu-luc.pdf", ContentFile(data), save=False)
        attachments.append(attachment)
    return OutgoingAttachment.objects.bulk_create(attachments)


@transaction.atomic
def outgoing_attachment_add(*, user, document: OutgoingDocument, uploads: Sequence) -> list[OutgoingAttachment]:
    """The drafter (or the reviewer who holds the draft) adds appendix PDFs, before the leader signs."""
    from docs_office.models import OutgoingEvent
    from docs_office.services.outgoing import _locked, _may_read

    document = _locked(document)
    require(same_agency(user, document.agency_id) and _may_read(user, document),
            _("Bạn không được sửa dự thảo ở bước này."))
    if document.state not in OUTGOING_EDITABLE:
        raise ApplicationError("not_editable", _("Văn bản đã trình ký, không thêm được phụ lục."), status=409)
    require(outgoing_attachment_allowed(user=user, document=document), _("Bạn không được sửa dự thảo ở bước này."))
    uploads = [u for u in uploads if u is not None]
    if not uploads:
        raise ApplicationError("file_required", _("Chọn ít nhất một tệp phụ lục (PDF)."),
                               fields={"attachments": [_("Bắt buộc.")]})
    contents = outgoing_attachments_check(uploads)
    now = timezone.now()
    attachments = outgoing_attachments_store(document=document, contents=contents, user=user, at=now)
    OutgoingEvent.objects.create(document=document, action="attachment_add", from_state=document.state,
                                 to_state=document.state, actor=user, at=now,
                                 note=", ".join(a.original_name for a in attachments))
    return attachments


# Once numbered, what is issued is what was signed; between the leader's approval and issue nobody edits the draft
# (a leader's "return" makes it editable again).
OUTGOING_ISSUED = (OutgoingState.ISSUING, OutgoingState.ISSUED, OutgoingState.RECALLED)


@transaction.atomic
def outgoing_attachment_remove(*, user, document: OutgoingDocument, attachment_id: int) -> OutgoingAttachment:
    """The drafter (or the reviewer who holds the draft) removes an appendix added by mistake, while the draft may
    be edited — never once the document is issued: what was issued and signed stays as it was. Recorded as an
    event: who, when, which file."""
    from docs_office.models import OutgoingEvent
    from docs_office.services.outgoing import _locked, _may_read

    document = _locked(document)
    require(same_agency(user, document.agency_id) and _may_read(user, document),
            _("Bạn không được sửa dự thảo ở bước này."))
    attachment = OutgoingAttachment.objects.filter(document=document, pk=attachment_id).first()
    if attachment is None:
        raise ApplicationError("not_found", _("Không tìm thấy phụ lục."), status=404)
    if document.state in OUTGOING_ISSUED:
        raise ApplicationError("issued", _("Văn bản đã phát hành, không gỡ được phụ lục."), status=409)
    if document.state not in OUTGOING_EDITABLE:
        raise ApplicationError("not_editable", _("Văn bản đã trình ký, không gỡ được phụ lục; trả lại dự thảo để sửa."),
                               status=409)
    require(outgoing_attachment_allowed(user=user, document=document), _("Bạn không được sửa dự thảo ở bước này."))
    attachment.delete()
    file_delete_on_commit(attachment.file)
    OutgoingEvent.objects.create(document=document, action="attachment_remove", from_state=document.state,
                                 to_state=document.state, actor=user, at=timezone.now(),
                                 note=attachment.original_name or str(attachment_id))
    return attachment


def outgoing_attachment_prepare(pdf: bytes) -> bytes:
    """The attachment's empty agency-signature field, top right of page 1 (signatures.decree30_attachment_field)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    from signatures.services import decree30_attachment_field, pdf_add_signature_fields

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    page_ref, _resources = reader.find_page_for_modification(0)
    box = page_ref.get_object().get("/MediaBox") or [0, 0, 595, 842]
    width, height = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
    return pdf_add_signature_fields(pdf, [decree30_attachment_field(page_width=width, page_height=height,
                                                                    name=ATTACHMENT_FIELD)])


ATTACHMENT_FIELD = "VanThuKyPhuLuc"
