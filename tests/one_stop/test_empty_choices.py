"""The desk's selects start with "— Chọn —" as the rest of the site does, never Django's "---------"."""

import re

import pytest
from django.urls import reverse

from egov.accounts.roles import Role
from tests.one_stop.factories import at_local, receive_at_counter

pytestmark = pytest.mark.django_db


def test_the_hand_over_forms_agency_list_starts_with_choose(client, staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 12, 1, 9, 0))
    client.force_login(staff[Role.ONE_STOP_CLERK])

    page = client.get(reverse("one_stop_staff:dossier", args=[dossier.code])).content.decode()

    hand_over = re.search(r'<select name="agency".*?</select>', page, re.S)[0]
    assert '<option value="" selected>— Chọn —</option>' in hand_over
    assert "---------" not in page
