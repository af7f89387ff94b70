"""A secret incoming document names a leader of the agency among its readers: otherwise nobody could ever assign it
(found by exploratory testing: one read by the head of division alone was registered, and stuck for ever)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from docs_office.constants import Confidentiality
from docs_office.models import IncomingDocument
from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from tests.docs_office.factories import doc_type, register_scan
from tests.docs_office.test_views import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MISSING = "Còn thiếu: lãnh đạo cơ quan."


def test_a_secret_document_read_by_no_leader_is_refused_naming_what_is_missing(staff):
    clerk, head = staff[Role.RECORDS_CLERK], staff[Role.HEAD_OF_DIVISION]

    with pytest.raises(ApplicationError) as refused:
        register_scan(clerk, confidentiality=Confidentiality.TOP_SECRET, readers=[head])

    assert refused.value.code == "readers_incomplete"
    assert MISSING in refused.value.message and list(refused.value.fields) == ["readers"]
    assert not IncomingDocument.objects.exists()


def test_a_leader_who_has_left_does_not_count(staff, agency):
    gone = UserFactory(agency=agency, roles=[Role.LEADER], is_active=False)

    with pytest.raises(ApplicationError) as refused:
        register_scan(staff[Role.RECORDS_CLERK], confidentiality=Confidentiality.SECRET, readers=[gone])

    assert refused.value.code == "readers_incomplete"


def test_with_a_leader_among_its_readers_the_document_reaches_the_leader_who_assigns_it(staff):
    clerk, leader, head = staff[Role.RECORDS_CLERK], staff[Role.LEADER], staff[Role.HEAD_OF_DIVISION]
    from docs_office.selectors import incoming_to_assign
    from tests.docs_office.factories import assign_to

    document = register_scan(clerk, confidentiality=Confidentiality.SECRET, readers=[head, leader])

    assert document in incoming_to_assign(user=leader)
    assign_to(leader, document, lead=head)


def test_the_page_shows_the_refusal_on_the_readers_field(client, staff):
    clerk, head = staff[Role.RECORDS_CLERK], staff[Role.HEAD_OF_DIVISION]
    signed_in(client, clerk)

    response = client.post(reverse("docs_office:incoming_register"), {
        "number": "15", "symbol": "QĐ-UBND", "issuer_name": "Bộ Quốc phòng",
        "issued_on": (timezone.localdate() - timedelta(days=1)).isoformat(), "document_type": doc_type("quyet-dinh").pk,
        "summary": "Về việc bảo vệ bí mật nhà nước", "urgency": "normal", "confidentiality": Confidentiality.SECRET,
        "readers": [head.pk]})

    assert response.status_code == 400
    assert MISSING in response.content.decode()
    assert "readers" in response.context["form"].errors
    assert not IncomingDocument.objects.exists()


def test_the_api_refuses_it_alike(staff):
    client = APIClient()
    client.force_authenticate(staff[Role.RECORDS_CLERK])

    response = client.post("/api/v1/incoming-documents/", {
        "number": "15", "symbol": "QĐ-UBND", "issuer_name": "Bộ Quốc phòng", "document_type": "quyet-dinh",
        "issued_on": (timezone.localdate() - timedelta(days=1)).isoformat(), "summary": "Về việc bảo vệ bí mật",
        "confidentiality": Confidentiality.CONFIDENTIAL, "readers": [staff[Role.HEAD_OF_DIVISION].pk]}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "readers_incomplete"
    assert MISSING in response.json()["error"]["fields"]["readers"][0]
