"""edXML packages received again and deadlines before the document's date (found by review): a package the clerk
returned, or the sender withdrew, can be received again; a DueDate before the PromulgationDate is refused with its
reason, as the scan form refuses "Hạn xử lý không thể trước ngày văn bản"."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from docs_office.constants import IncomingState
from docs_office.edxml import Agency, EdxmlError, edxml_build, edxml_parse
from docs_office.models import IncomingDocument
from docs_office.services.edxml import incoming_import_edxml
from docs_office.services.incoming import incoming_return
from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from tests.docs_office.test_api import client_for
from tests.docs_office.test_edxml import package

pytestmark = pytest.mark.django_db

REASON = "Hạn xử lý (DueDate) 20/11/2026 trước ngày ban hành 23/11/2026: hạn xử lý không thể trước ngày văn bản."


def _for(agency, **overrides) -> bytes:
    return edxml_build(package(recipients=[Agency(agency.exchange_code, agency.name)], **overrides))


def test_a_package_the_clerk_returned_can_be_received_again(staff, agency):
    clerk = staff[Role.RECORDS_CLERK]
    first = incoming_import_edxml(clerk=clerk, data=_for(agency))
    incoming_return(clerk=clerk, document=first, reason="Sai nơi nhận, gửi nhầm phụ lục")
    again = incoming_import_edxml(clerk=clerk, data=_for(agency))
    assert again.pk != first.pk and again.state == IncomingState.RECEIVED
    assert again.external_id == first.external_id


def test_a_package_the_sender_withdrew_can_be_received_again_but_one_held_cannot(staff, agency):
    clerk = staff[Role.RECORDS_CLERK]
    first = incoming_import_edxml(clerk=clerk, data=_for(agency))
    with pytest.raises(ApplicationError) as refused:
        incoming_import_edxml(clerk=clerk, data=_for(agency))
    assert (refused.value.code, refused.value.status) == ("duplicate", 409)
    IncomingDocument.objects.filter(pk=first.pk).update(state=IncomingState.WITHDRAWN)
    assert incoming_import_edxml(clerk=clerk, data=_for(agency)).pk != first.pk


def test_a_due_date_before_the_promulgation_date_is_refused_with_its_reason():
    with pytest.raises(EdxmlError) as refused:
        edxml_parse(edxml_build(package(promulgation_date=date(2026, 11, 23), due_date=date(2026, 11, 20))))
    assert REASON in refused.value.problems
    assert edxml_parse(edxml_build(package(promulgation_date=date(2026, 11, 23),
                                           due_date=date(2026, 11, 23)))).due_date == date(2026, 11, 23)


def test_the_import_reports_a_due_date_before_the_promulgation_date(staff, agency):
    response = client_for(staff[Role.RECORDS_CLERK]).post(reverse("api-incoming-document-import-edxml"), {
        "file": SimpleUploadedFile("goi.xml", _for(agency, promulgation_date=date(2026, 11, 23),
                                                   due_date=date(2026, 11, 20)))}, format="multipart")
    assert response.status_code == 400
    assert REASON in response.json()["error"]["fields"]["file"]
    assert not IncomingDocument.objects.exists()
