"""The public lookup gives each step's time in, time out and own due date — to the minute, in Vietnam's time — and
never who handled it nor the applicant."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from egov.accounts.roles import Role
from one_stop.models import DossierStep
from one_stop.services.process import dossier_step_complete
from tests.one_stop.factories import APPLICANT, at_local, receive_at_counter

pytestmark = pytest.mark.django_db


@pytest.fixture
def handled(staff, procedure):
    """Received Monday 2 March 09:00; the specialist hands the examination on Wednesday at 10:15:42."""
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    with mock.patch("django.utils.timezone.now", return_value=at_local(2026, 3, 4, 10, 15, 42)):
        dossier_step_complete(dossier=dossier, user=staff[Role.SPECIALIST])
    return dossier


def test_the_lookup_api_gives_each_steps_time_in_time_out_and_due_date_to_the_minute(client, handled):
    steps = list(DossierStep.objects.filter(dossier=handled).order_by("order"))
    body = client.get(f"/api/v1/lookup/{handled.code}/").json()

    shown = body["steps"]
    assert [set(step) for step in shown] == [{"name", "agency", "started_at", "completed_at", "due_at"}] * len(steps)
    examination = next(s for s, step in zip(shown, steps, strict=True) if step.role == Role.SPECIALIST)
    # Vietnam's time (+07:00), seconds dropped.
    assert examination["completed_at"] == "2026-03-04T10:15:00+07:00"
    assert examination["started_at"] == "2026-03-02T09:00:00+07:00"
    approval = shown[[step.role for step in steps].index(Role.SPECIALIST) + 1]
    assert approval["started_at"] == "2026-03-04T10:15:00+07:00" and approval["completed_at"] is None
    assert all(s["due_at"] is None or s["due_at"].endswith(":00+07:00") for s in shown)
    assert shown[-1]["started_at"] is None  # the desk's return: not handed to it yet


def test_the_lookup_page_shows_the_steps_times_and_never_a_staff_member_or_the_applicant(client, staff, handled):
    page = client.get(f"/tra-cuu-ho-so/{handled.code}/").content.decode()

    assert "Nhận lúc" in page and "Hoàn thành, chuyển tiếp lúc" in page and "Hạn của bước" in page
    assert "10:15 04/03/2026" in page and "09:00 02/03/2026" in page
    api = client.get(f"/api/v1/lookup/{handled.code}/").content.decode()
    for private in (staff[Role.SPECIALIST].full_name, staff[Role.ONE_STOP_CLERK].full_name,
                    staff[Role.SPECIALIST].username, APPLICANT.full_name, APPLICANT.id_number):
        assert private not in page and private not in api


@pytest.mark.parametrize("url", ["/tra-cuu-ho-so/{code}/", "/api/v1/lookup/{code}/"])
def test_the_steps_times_cost_the_lookup_no_more_query(client, staff, procedure, handled, url,
                                                      django_assert_num_queries):
    client.get(url.format(code=handled.code))
    with CaptureQueriesContext(connection) as before:
        client.get(url.format(code=handled.code))
    other = receive_at_counter(staff, procedure, at_local(2026, 3, 3, 9, 0))
    with mock.patch("django.utils.timezone.now", return_value=at_local(2026, 3, 4, 11, 0)):
        dossier_step_complete(dossier=other, user=staff[Role.SPECIALIST])
    with django_assert_num_queries(len(before.captured_queries)):
        assert client.get(url.format(code=other.code)).status_code == 200
    assert len(before.captured_queries) <= 1
