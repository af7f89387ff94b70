"""Found in review: a submission (Idempotency-) key is unique per receiving agency, but the desk looked it up by agency
and the portal by citizen — two citizens' same key was a server error, and a clerk sending a key a citizen's draft held
got that draft back (the citizen's personal data). Each submitter's keys are now their own."""

from unittest import mock

import pytest
from rest_framework.test import APIClient

from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from one_stop.models import Dossier
from one_stop.services.dossiers import ApplicantData, dossier_receive_at_counter
from tests.public_services.conftest import BIRTH_POST

pytestmark = pytest.mark.django_db

KEY = "app-7f3c9a1e-0001"


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _draft_post(user, commune):
    return _api(user).post("/api/v1/dossiers/drafts/", {"procedure": "1.001193", "agency": commune.pk,
                                                        "form_data": BIRTH_POST}, format="json", HTTP_IDEMPOTENCY_KEY=KEY)


def test_two_citizens_may_use_the_same_key_at_the_same_agency(citizen, other_citizen, online_birth, commune):
    first, second = _draft_post(citizen, commune), _draft_post(other_citizen, commune)

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["code"] != second.json()["code"]
    assert Dossier.objects.get(citizen=other_citizen).code == second.json()["code"]


def test_a_clerk_sending_a_key_a_citizens_draft_holds_receives_a_new_dossier(citizen, online_birth, commune, desk):
    draft = _draft_post(citizen, commune).json()

    received = _api(desk[Role.ONE_STOP_CLERK]).post(
        "/api/v1/dossiers/", {"procedure": "1.001193", "applicant": {"full_name": "Đặng Văn Công",
                                                                     "id_number": "020095001234"}},
        format="json", HTTP_IDEMPOTENCY_KEY=KEY)

    assert received.status_code == 201, received.content
    body = received.json()
    assert body["code"] != draft["code"] and body["state"] == "received" and "Đặng Minh An" not in received.content.decode()
    # And the desk's key repeats for the desk alone.
    again = _api(desk[Role.ONE_STOP_CLERK]).post(
        "/api/v1/dossiers/", {"procedure": "1.001193", "applicant": {"full_name": "Đặng Văn Công",
                                                                     "id_number": "020095001234"}},
        format="json", HTTP_IDEMPOTENCY_KEY=KEY)
    assert again.status_code == 200 and again.json()["code"] == body["code"]


def test_a_key_taken_in_a_race_is_a_409_not_a_server_error(online_birth, desk):
    applicant = ApplicantData(full_name="Đặng Văn Công", id_number="020095001234")
    clerk = desk[Role.ONE_STOP_CLERK]
    dossier_receive_at_counter(clerk=clerk, procedure=online_birth, applicant=applicant, submission_key=KEY)

    # The second sending did not see the first (as when their lookups raced): the database refuses the key.
    with mock.patch("one_stop.services.dossiers._submission_repeated", return_value=None), \
            pytest.raises(ApplicationError) as refused:
        dossier_receive_at_counter(clerk=clerk, procedure=online_birth, applicant=applicant, submission_key=KEY)

    assert (refused.value.code, refused.value.status) == ("submission_key_taken", 409)
    assert Dossier.objects.filter(receiving_agency=clerk.agency).count() == 1
