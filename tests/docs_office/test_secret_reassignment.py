"""Re-assigning a secret incoming document takes its earlier assignees off its readers, unless they were named at
registration or are assigned again; the history says who (found by review: every earlier assignee kept reading it
for ever)."""

import pytest

from docs_office.constants import AssignmentRole, Confidentiality
from docs_office.selectors import incoming_visible_to
from docs_office.services.incoming import AssignmentData, incoming_assign
from egov.accounts.roles import Role
from tests.docs_office.factories import register_scan
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(agency):
    return {name: UserFactory(agency=agency, roles=[Role.SPECIALIST], full_name=name)
            for name in ("Lò Văn An", "Vi Thị Bình", "Hà Văn Cường")}


def _assign(leader, document, lead, *support):
    return incoming_assign(leader=leader, document=document, assignments=[
        AssignmentData(role=AssignmentRole.LEAD, user=lead),
        *[AssignmentData(role=AssignmentRole.SUPPORT, user=user) for user in support]])


def test_a_replaced_assignee_no_longer_reads_the_secret_document(staff, people):
    leader, named = staff[Role.LEADER], staff[Role.SPECIALIST]
    an, binh, cuong = people.values()
    document = register_scan(staff[Role.RECORDS_CLERK], confidentiality=Confidentiality.SECRET, readers=[leader, named])
    _assign(leader, document, an, binh)
    assert document in incoming_visible_to(user=an) and document in incoming_visible_to(user=binh)

    _assign(leader, document, binh, cuong)

    assert set(document.readers.all()) == {leader, named, staff[Role.RECORDS_CLERK], binh, cuong}
    assert document not in incoming_visible_to(user=an)
    note = document.events.filter(action="assign").order_by("-id").first().note
    assert note.endswith("Không còn được xem văn bản mật (chỉ được xem do phân công trước): Lò Văn An.")


def test_a_reader_named_at_registration_stays_one_after_being_replaced(staff, people):
    leader, named = staff[Role.LEADER], staff[Role.SPECIALIST]
    an = people["Lò Văn An"]
    document = register_scan(staff[Role.RECORDS_CLERK], confidentiality=Confidentiality.SECRET, readers=[leader, named])
    _assign(leader, document, named)
    _assign(leader, document, an)
    assert document in incoming_visible_to(user=named)
    assert "Không còn được xem" not in document.events.filter(action="assign").order_by("-id").first().note
