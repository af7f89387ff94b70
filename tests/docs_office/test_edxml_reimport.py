"""edXML packages received again (found by review): a package the clerk returned, or the sender withdrew, can be
received again; one still held cannot."""

import pytest

from docs_office.constants import IncomingState
from docs_office.edxml import Agency, edxml_build
from docs_office.models import IncomingDocument
from docs_office.services.edxml import incoming_import_edxml
from docs_office.services.incoming import incoming_return
from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from tests.docs_office.test_edxml import package

pytestmark = pytest.mark.django_db


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
