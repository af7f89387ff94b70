"""The blank forms (mẫu đơn, tờ khai) of a procedure: uploaded by the province's administrators, replaced in place.

A template belongs to the procedure under the form name its required documents give (ProcedureFormTemplate), so
publishing a corrected blank form is not a change of terms and makes no new version."""

import hashlib
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.errors import ApplicationError
from egov.core.uploads import FORM_TEMPLATE_ALLOWED, validate_upload
from one_stop.models import Procedure, ProcedureFormTemplate


def procedure_form_names(*, procedure: Procedure) -> list[str]:
    """The form names the procedure's versions give their required documents, newest version first, each once."""
    names: dict[str, None] = {}
    for documents in procedure.versions.order_by("-number").values_list("required_documents", flat=True):
        for document in documents or []:
            name = (document.get("form") or "").strip() if isinstance(document, dict) else ""
            if name:
                names.setdefault(name)
    return list(names)


def form_template_validate(upload: UploadedFile) -> str:
    """The upload's sniffed type, or a ValidationError in Vietnamese: the form's check and the service's are one."""
    return validate_upload(upload, allowed=FORM_TEMPLATE_ALLOWED, max_mb=settings.EGOV_MAX_FORM_TEMPLATE_MB)


@transaction.atomic
def procedure_form_template_upload(*, procedure: Procedure, name: str, upload: UploadedFile, by) -> ProcedureFormTemplate:
    """Publish `upload` as the blank form `name` of `procedure`, replacing the file published before under that name.

    Refused (ApplicationError, 400) when no version of the procedure names the form, or when the file is not a
    Word, Excel or PDF file by its content, or is too large."""
    from egov.audit.services import legal_event_record

    name = (name or "").strip()
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if name not in procedure_form_names(procedure=procedure):
        message = _("Không phiên bản nào của thủ tục %(code)s có mẫu “%(name)s” trong thành phần hồ sơ.") % {
            "code": procedure.code, "name": name}
        raise ApplicationError("form_template_unknown", message, fields={"name": [message]})
    try:
        content_type = form_template_validate(upload)
    except ValidationError as invalid:
        message = invalid.messages[0]
        raise ApplicationError("form_template_file", message, fields={"file": [message]}) from None
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    template = ProcedureFormTemplate.objects.filter(procedure=procedure, name=name).first()
    old_file = template.file.name if template is not None else None
    template = template or ProcedureFormTemplate(procedure=procedure, name=name)
    template.original_name = PurePath(upload.name or "").name[:255] or name[:255]
    template.content_type = content_type
    template.size = upload.size
    template.sha256 = digest.hexdigest()
    template.uploaded_by = by
    template.uploaded_at = timezone.now()
    template.file.save(template.original_name, upload, save=False)
    template.save()
    if old_file:
        storage = template.file.storage
        # The old file goes only once the new row is committed: a rollback keeps what was published.
        transaction.on_commit(lambda: storage.delete(old_file))
    legal_event_record(action="procedure.form_template_uploaded", obj=procedure, actor=by,
                       data={"code": procedure.code, "form": name, "file": template.original_name,
                             "sha256": template.sha256, "replaced": bool(old_file)})
    return template


@transaction.atomic
def procedure_form_template_delete(*, template: ProcedureFormTemplate, by) -> None:
    """Withdraw a blank form: the pages fall back to the national portal's link."""
    from egov.audit.services import legal_event_record

    procedure = template.procedure
    stored = template.file.name
    storage = template.file.storage
    template.delete()
    transaction.on_commit(lambda: storage.delete(stored))
    legal_event_record(action="procedure.form_template_deleted", obj=procedure, actor=by,
                       data={"code": procedure.code, "form": template.name})
