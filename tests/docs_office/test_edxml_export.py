"""Sending an issued document by edXML to an agency outside the system: the records clerk names the recipient
(identifier code and name) in a POST; the delivery is recorded for it, and a GET changes nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from docs_office.constants import DeliveryChannel, DeliveryState
from docs_office.edxml import edxml_parse
from docs_office.models import Delivery, OutgoingEvent
from docs_office.services.edxml import outgoing_edxml_export
from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from tests.docs_office.test_outgoing import issued_unsigned
from tests.docs_office.test_views import signed_in

pytestmark = pytest.mark.django_db

OUTSIDE = {"recipient_code": "000.00.00.G12", "recipient_name": "Ủy ban nhân dân tỉnh Cao Bằng"}


@pytest.fixture
def issued(staff, registers, other_agency):
    """Issued to an agency of the system and, by free text only, to one outside it (without the signing ceremony)."""
    return issued_unsigned(staff, registers["outgoing"], recipient_agencies=[other_agency],
                           recipients_text="UBND tỉnh Cao Bằng\nLưu: VT")


def _url(document) -> str:
    return reverse("docs_office:outgoing_edxml", args=[document.pk])


def test_the_clerk_sends_the_package_to_the_outside_agency_named_on_the_page(client, staff, issued):
    clerk = staff[Role.RECORDS_CLERK]
    signed_in(client, clerk)
    page = client.get(reverse("docs_office:outgoing_detail", args=[issued.pk])).content.decode()
    assert f'action="{_url(issued)}"' in page and 'name="recipient_code"' in page and 'name="recipient_name"' in page

    response = client.post(_url(issued), OUTSIDE)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    package = edxml_parse(response.content)
    assert [(r.code, r.name) for r in package.recipients] == [("000.00.00.G12", "Ủy ban nhân dân tỉnh Cao Bằng")]
    delivery = Delivery.objects.get(document=issued, channel=DeliveryChannel.EDXML)
    assert (delivery.recipient_code, delivery.recipient_name, delivery.state, delivery.exchange_id) == (
        "000.00.00.G12", "Ủy ban nhân dân tỉnh Cao Bằng", DeliveryState.SENT, package.document_id)
    event = OutgoingEvent.objects.get(document=issued, action="export_edxml")
    assert event.actor == clerk and event.note == "Ủy ban nhân dân tỉnh Cao Bằng (000.00.00.G12)"
    assert timezone.now() - event.at < timedelta(minutes=1)
    # The agency of the system gets its copy by the internal exchange, not a package nobody asked for.
    assert not Delivery.objects.filter(document=issued, recipient_code=issued.recipient_agencies.get().exchange_code)


def test_a_get_changes_nothing(client, staff, issued):
    signed_in(client, staff[Role.RECORDS_CLERK])
    assert client.get(_url(issued)).status_code == 405
    assert client.get(_url(issued), OUTSIDE).status_code == 405
    assert not Delivery.objects.filter(document=issued).exists()
    assert not OutgoingEvent.objects.filter(document=issued, action="export_edxml").exists()


@pytest.mark.parametrize(("given", "field", "message"), [
    ({"recipient_code": "", "recipient_name": "UBND tỉnh Cao Bằng"}, "recipient_code",
     "Cần nhập mã định danh của cơ quan nhận."),
    ({"recipient_code": "G12", "recipient_name": "UBND tỉnh Cao Bằng"}, "recipient_code",
     "Mã định danh phải có dạng 000.00.00.H41."),
    ({"recipient_code": "000.00.00.H41", "recipient_name": "UBND tỉnh Lạng Sơn"}, "recipient_code",
     "Đây là mã định danh của chính cơ quan ban hành."),
    ({"recipient_code": "000.00.00.G12", "recipient_name": "  "}, "recipient_name", "Cần nhập tên cơ quan nhận."),
    ({"recipient_code": "000.00.00.G12", "recipient_name": "Ủy ban " * 40}, "recipient_name",
     "Tên cơ quan nhận dài tối đa 255 ký tự."),
])
def test_a_recipient_that_is_not_valid_is_refused_on_its_field_and_nothing_is_recorded(client, staff, issued, given,
                                                                                       field, message):
    signed_in(client, staff[Role.RECORDS_CLERK])
    response = client.post(_url(issued), given)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nơi nhận gói edXML chưa hợp lệ." in page
    error_id = {"recipient_code": "edxml-code-error", "recipient_name": "edxml-name-error"}[field]
    assert f'<small id="{error_id}" class="field-error" role="alert">{message}</small>' in page
    assert f'aria-describedby="{error_id}"' in page
    assert not Delivery.objects.filter(document=issued).exists()
    assert not OutgoingEvent.objects.filter(document=issued, action="export_edxml").exists()


def test_only_a_records_clerk_of_the_issuing_agency_sends_a_package(staff, issued, other_agency):
    from tests.docs_office.conftest import office_staff

    for user in (staff[Role.SPECIALIST], staff[Role.LEADER], office_staff(other_agency)[Role.RECORDS_CLERK]):
        with pytest.raises(ApplicationError) as refused:
            outgoing_edxml_export(user=user, document=issued, **OUTSIDE)
        assert refused.value.status == 403
    assert not Delivery.objects.filter(document=issued).exists()


def test_the_form_is_offered_to_the_records_clerk_only(client, staff, issued):
    signed_in(client, staff[Role.SPECIALIST])
    page = client.get(reverse("docs_office:outgoing_detail", args=[issued.pk])).content.decode()
    assert 'data-form="edxml"' not in page


def test_the_api_sends_by_post_with_the_recipient_and_refuses_a_get(staff, issued):
    api = APIClient()
    api.force_authenticate(staff[Role.RECORDS_CLERK])
    url = f"/api/v1/outgoing-documents/{issued.pk}/edxml/"
    assert api.get(url).status_code == 405
    bad = api.post(url, {"recipient_code": "G12", "recipient_name": ""}, format="json")
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"] == {"recipient_code": ["Mã định danh phải có dạng 000.00.00.H41."],
                                             "recipient_name": ["Cần nhập tên cơ quan nhận."]}
    assert not Delivery.objects.filter(document=issued).exists()
    done = api.post(url, OUTSIDE, format="json")
    assert done.status_code == 200
    assert [r.code for r in edxml_parse(done.content).recipients] == ["000.00.00.G12"]
    assert list(Delivery.objects.filter(document=issued).values_list("channel", "recipient_code", "state")) == [
        ("edxml", "000.00.00.G12", "sent")]


def test_a_secret_document_never_leaves_by_edxml_nor_by_the_internal_exchange(client, staff, issued, other_agency):
    """Secret documents are refused at drafting when addressed electronically; should one be issued anyway (an
    administrator's change, an older record), neither the package nor the internal exchange lets it out."""
    from docs_office.constants import Confidentiality
    from docs_office.models import IncomingDocument, OutgoingDocument
    from docs_office.services.exchange import exchange_send

    OutgoingDocument.objects.filter(pk=issued.pk).update(confidentiality=Confidentiality.SECRET)
    issued.refresh_from_db()
    clerk = staff[Role.RECORDS_CLERK]
    with pytest.raises(ApplicationError) as refused:
        outgoing_edxml_export(user=clerk, document=issued, **OUTSIDE)
    assert refused.value.code == "secret_not_exchanged" and refused.value.status == 409
    # Through the page the clerk, not one of its named readers, does not even find it.
    signed_in(client, clerk)
    assert client.post(_url(issued), OUTSIDE).status_code == 404
    arrived_before = IncomingDocument.objects.filter(agency=other_agency).count()
    assert exchange_send(document=issued, actor=clerk) == []
    assert IncomingDocument.objects.filter(agency=other_agency).count() == arrived_before
    assert not Delivery.objects.filter(document=issued).exists()
    assert not OutgoingEvent.objects.filter(document=issued, action="export_edxml").exists()
