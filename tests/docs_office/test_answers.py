"""Closing an incoming document with the outgoing document that answers it: the picker, the link on both pages and
in the API detail."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from docs_office.constants import IncomingState
from docs_office.services.incoming import incoming_close
from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from tests.docs_office.factories import assign_to, register_scan
from tests.docs_office.test_outgoing import draft, issued_unsigned
from tests.docs_office.test_views import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(staff):
    document = register_scan(staff[Role.RECORDS_CLERK], number="45", symbol="BNV-VP", issuer_name="Bộ Nội vụ")
    return assign_to(staff[Role.LEADER], document, lead=staff[Role.SPECIALIST],
                     deadline=timezone.localdate() + timedelta(days=3))


def test_the_lead_closes_with_the_issued_answer_and_both_pages_show_the_link(client, staff, registers, assigned):
    answer = issued_unsigned(staff, registers["outgoing"], answers=assigned)
    signed_in(client, staff[Role.SPECIALIST])
    page = client.get(reverse("docs_office:incoming_detail", args=[assigned.pk])).content.decode()
    assert f'<option value="{answer.pk}">07/QĐ-UBND' in page
    response = client.post(reverse("docs_office:incoming_action", args=[assigned.pk, "close"]),
                           {"result": "Đã trả lời", "answered_by": str(answer.pk)})
    assert response.status_code == 302
    assigned.refresh_from_db()
    assert (assigned.state, assigned.answered_by) == (IncomingState.CLOSED, answer)
    page = client.get(reverse("docs_office:incoming_detail", args=[assigned.pk])).content.decode()
    assert 'data-field="answered-by"' in page
    assert reverse("docs_office:outgoing_detail", args=[answer.pk]) in page
    page = client.get(reverse("docs_office:outgoing_detail", args=[answer.pk])).content.decode()
    assert 'data-field="answered-incoming"' in page
    assert reverse("docs_office:incoming_detail", args=[assigned.pk]) in page


def test_a_search_by_symbol_narrows_the_picker_and_keeps_the_result_typed(client, staff, registers, assigned):
    answer = issued_unsigned(staff, registers["outgoing"])
    signed_in(client, staff[Role.SPECIALIST])
    response = client.post(reverse("docs_office:incoming_action", args=[assigned.pk, "close"]),
                           {"result": "Đã trả lời bằng công văn", "answer_q": "7/qd-ubnd", "find_answer": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{answer.pk}">07/QĐ-UBND' in page
    assert "Đã trả lời bằng công văn</textarea>" in page
    assigned.refresh_from_db()
    assert assigned.state == IncomingState.ASSIGNED
    response = client.post(reverse("docs_office:incoming_action", args=[assigned.pk, "close"]),
                           {"result": "x", "answer_q": "99/QĐ-UBND", "find_answer": "1"})
    assert f'<option value="{answer.pk}">' not in response.content.decode()


def test_a_draft_cannot_be_the_answer(staff, assigned):
    with pytest.raises(ApplicationError) as refused:
        incoming_close(user=staff[Role.SPECIALIST], document=assigned, result="Đã trả lời", answered_by=draft(staff))
    assert (refused.value.code, refused.value.status) == ("answer_not_issued", 400)
    assigned.refresh_from_db()
    assert assigned.state == IncomingState.ASSIGNED


def test_a_refused_answer_keeps_the_result_and_the_choice_on_the_page(client, staff, assigned):
    not_issued = draft(staff)
    signed_in(client, staff[Role.SPECIALIST])
    response = client.post(reverse("docs_office:incoming_action", args=[assigned.pk, "close"]),
                           {"result": "Đã trả lời", "answered_by": str(not_issued.pk)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Văn bản trả lời phải là văn bản đi đã phát hành." in page and "Đã trả lời</textarea>" in page


def test_the_api_detail_names_the_answer_and_the_drafted_answers(staff, registers, assigned):
    answer = issued_unsigned(staff, registers["outgoing"], answers=assigned)
    api = APIClient()
    api.force_authenticate(staff[Role.SPECIALIST])
    response = api.post(f"/api/v1/incoming-documents/{assigned.pk}/actions/close/",
                        {"result": "Đã trả lời", "answered_by": answer.pk}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["answered_by"]["id"] == answer.pk and body["answered_by"]["number_symbol"] == "07/QĐ-UBND"
    assert [a["id"] for a in body["answers"]] == [answer.pk]
    outgoing = api.get(f"/api/v1/outgoing-documents/{answer.pk}/").json()
    assert outgoing["answers"]["id"] == assigned.pk


def test_a_secret_answer_is_not_offered_to_whoever_is_not_its_reader(client, staff, registers, assigned):
    from docs_office.constants import Confidentiality
    from docs_office.selectors import outgoing_answer_choices

    secret = issued_unsigned(staff, registers["outgoing"], confidentiality=Confidentiality.SECRET,
                             readers=[staff[Role.LEADER], staff[Role.HEAD_OF_DIVISION], staff[Role.RECORDS_CLERK]])
    secret.readers.remove(staff[Role.SPECIALIST])
    assert secret not in outgoing_answer_choices(user=staff[Role.SPECIALIST], document=assigned)
    with pytest.raises(ApplicationError) as refused:
        from docs_office.actions import incoming_action_run

        incoming_action_run(user=staff[Role.SPECIALIST], document=assigned, action="close",
                            data={"result": "x", "answered_by": secret.pk})
    assert refused.value.code == "invalid_answer"
