"""The demo's eOffice: a newcomer signing in as each demo user of Sở Tư pháp finds work waiting on their screen."""

import pytest
from django.urls import reverse

from docs_office.constants import IncomingState, OutgoingState
from docs_office.demo import demo_office_seed
from docs_office.models import IncomingDocument, OutgoingDocument
from docs_office.selectors import assignments_to_handle, outgoing_to_act_on
from egov.accounts.roles import Role
from tests.docs_office.test_views import signed_in
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

DEMO_ROLES = {"demo_records_clerk": Role.RECORDS_CLERK, "demo_leader": Role.LEADER, "demo_head": Role.HEAD_OF_DIVISION,
              "demo_specialist": Role.SPECIALIST}


@pytest.fixture
def demo_department(db):
    province = AgencyFactory(province=True, name="Ủy ban nhân dân tỉnh Lạng Sơn")
    department = AgencyFactory(parent=province, short_name="STP", name="Sở Tư pháp")
    users = {name: UserFactory(username=name, agency=department, roles=[role]) for name, role in DEMO_ROLES.items()}
    return department, users


def test_each_demo_user_finds_work_waiting(client, demo_department):
    department, users = demo_department
    demo_office_seed(stdout=lambda *_: None)
    incoming = IncomingDocument.objects.filter(agency=department)
    assert sorted(incoming.values_list("state", flat=True)) == sorted(
        [IncomingState.IN_PROGRESS, IncomingState.REGISTERED, IncomingState.REGISTERED])
    guidance = incoming.get(state=IncomingState.IN_PROGRESS)
    assert guidance.file and guidance.number_symbol == "4512/BTP-HTQTCT"
    # Every step the services took is on the record, as if the users had clicked.
    assert list(guidance.events.order_by("id").values_list("action", flat=True)) == ["register", "assign", "start"]
    assert guidance.opinions.get().progress == 30
    assert guidance in [a.document for a in assignments_to_handle(user=users["demo_specialist"])]
    draft = OutgoingDocument.objects.get(agency=department)
    assert draft.state == OutgoingState.HEAD_REVIEW and draft.answers == guidance
    assert draft in outgoing_to_act_on(user=users["demo_head"])
    # The leader's list shows the two documents waiting for assignment; the scans open as PDFs.
    signed_in(client, users["demo_leader"])
    page = client.get(reverse("docs_office:incoming_list")).content.decode()
    assert "Triển khai Đề án 06" in page and "Kết luận của Chủ tịch" in page
    scan = client.get(reverse("docs_office:incoming_file", args=[guidance.pk]))
    assert scan.status_code == 200 and b"".join(scan.streaming_content if scan.streaming else [scan.content])[:5] == b"%PDF-"


def test_the_demo_documents_are_made_once(demo_department):
    demo_office_seed(stdout=lambda *_: None)
    demo_office_seed(stdout=lambda *_: None)
    assert IncomingDocument.objects.count() == 3 and OutgoingDocument.objects.count() == 1
