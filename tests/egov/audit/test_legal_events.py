import pgtrigger
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import InternalError

from egov.audit.models import LegalEvent
from egov.audit.services import legal_event_chain_verify, legal_event_record
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _record(n=3):
    actor = UserFactory()
    agency = AgencyFactory()
    return [legal_event_record(action=f"dossier.step{i}", obj=agency, actor=actor, data={"i": i, "ghi_chu": "hồ sơ"},
                               ip="10.1.2.3") for i in range(n)]


def test_events_form_an_unbroken_chain():
    events = _record(4)
    assert [e.sequence for e in events] == [1, 2, 3, 4]
    assert all(later.previous_hash == earlier.hash for earlier, later in zip(events, events[1:], strict=False))
    assert legal_event_chain_verify() == []
    call_command("audit_verify_chain")


def test_the_database_refuses_to_update_or_delete_an_event():
    event = _record(1)[0]
    with pytest.raises(InternalError), transaction.atomic():
        LegalEvent.objects.filter(pk=event.pk).update(action="forged")
    with pytest.raises(InternalError), transaction.atomic():
        LegalEvent.objects.filter(pk=event.pk).delete()


def test_a_changed_row_is_detected_even_when_the_trigger_is_bypassed():
    events = _record(3)
    with pgtrigger.ignore("audit.LegalEvent:legal_event_append_only"), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_legalevent SET data = '{\"i\": 99}' WHERE id = %s", [events[1].pk])
    breaks = legal_event_chain_verify()
    assert [(b.sequence, b.reason) for b in breaks] == [(2, "content")]
    with pytest.raises(CommandError):
        call_command("audit_verify_chain")


def test_a_deleted_row_is_detected():
    events = _record(3)
    with pgtrigger.ignore("audit.LegalEvent:legal_event_append_only"):
        LegalEvent.objects.filter(pk=events[1].pk).delete()
    reasons = {b.reason for b in legal_event_chain_verify()}
    assert {"missing", "link"} <= reasons


def test_a_removed_tail_is_detected():
    events = _record(3)
    with pgtrigger.ignore("audit.LegalEvent:legal_event_append_only"):
        LegalEvent.objects.filter(pk=events[-1].pk).delete()
    assert [b.reason for b in legal_event_chain_verify()] == ["truncated"]


def test_an_event_rolls_back_with_the_change_it_records():
    agency = AgencyFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        legal_event_record(action="document.issued", obj=agency)
        raise RuntimeError
    assert not LegalEvent.objects.exists()
    assert legal_event_chain_verify() == []
