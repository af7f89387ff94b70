"""Numbers in URLs and forms: '²' passes str.isdigit() but is no number, so it is a 4xx, never a 500."""

import pytest
from django.urls import reverse

from egov.accounts.roles import Role
from one_stop.tickets.models import ServiceArea
from one_stop.tickets.services import ticket_call_next, ticket_issue
from tests.factories import AgencyFactory, UserFactory
from tests.one_stop.factories import at_local, receive_at_counter
from tests.one_stop.tickets.conftest import make_counter

pytestmark = pytest.mark.django_db

SUPERSCRIPT_TWO = "²"


@pytest.mark.parametrize("name", ["tickets:kiosk", "tickets:board", "tickets:board_fragment"])
def test_a_kiosk_or_board_address_of_a_superscript_digit_is_not_found(client, name):
    assert client.get(reverse(name, args=[SUPERSCRIPT_TWO])).status_code == 404


def test_the_kiosk_refuses_a_superscript_digit_area_with_a_message(client):
    centre = AgencyFactory(exchange_code="000.01.01.H41")
    ServiceArea.objects.create(agency=centre, prefix="A", name="Tư pháp – Hộ tịch", position=1)

    response = client.post(reverse("tickets:kiosk", args=[centre.exchange_code]), {"area": SUPERSCRIPT_TWO})

    assert response.status_code == 400
    assert "Vui lòng chọn một khu vực đang cấp số." in response.content.decode()


def test_the_console_refuses_to_skip_a_superscript_digit_ticket(client):
    centre = AgencyFactory(exchange_code="000.01.01.H41")
    area = ServiceArea.objects.create(agency=centre, prefix="A", name="Tư pháp – Hộ tịch", position=1)
    counter = make_counter(centre, 1, area)
    clerk = UserFactory(agency=centre, roles=[Role.ONE_STOP_CLERK])
    ticket_issue(area=area)
    ticket_call_next(counter=counter, clerk=clerk)
    client.force_login(clerk)

    response = client.post(reverse("tickets:clerk_action", args=[counter.pk, "bo-qua"]), {"ticket": SUPERSCRIPT_TWO})

    assert response.status_code == 404
    assert "Không tìm thấy số thứ tự này." in response.content.decode()


def test_the_result_signing_form_refuses_a_superscript_digit_document(client, staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    client.force_login(staff[Role.ONE_STOP_CLERK])

    response = client.post(reverse("one_stop_staff:result_sign", args=[dossier.code]),
                           {"document": SUPERSCRIPT_TWO, "signer": SUPERSCRIPT_TWO}, follow=True)

    # The page's own answer to a missing choice: back to the dossier with the reason.
    assert response.redirect_chain == [(reverse("one_stop_staff:dossier", args=[dossier.code]), 302)]
    assert "Chọn tệp kết quả và người ký." in response.content.decode()
