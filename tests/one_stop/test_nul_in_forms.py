"""A NUL character pasted into a field of the counter's form (from a PDF, a spreadsheet) is dropped from the text: the
dossier is received as typed, not refused as a whole with a bare error page."""

import pytest
from django.urls import reverse

from egov.accounts.roles import Role
from one_stop.models import Dossier

pytestmark = pytest.mark.django_db


def test_a_nul_in_the_address_is_removed_and_the_dossier_is_received(client, staff, procedure):
    client.force_login(staff[Role.ONE_STOP_CLERK])

    response = client.post(reverse("one_stop_staff:counter"), {
        "procedure": procedure.code, "full_name": "Đặng Văn Công", "id_number": "020095001234",
        "address": "Số 12\x00 đường Trần Đăng Ninh, phường Đông Kinh"})

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert dossier.applicant_address == "Số 12 đường Trần Đăng Ninh, phường Đông Kinh"
    assert dossier.applicant_name == "Đặng Văn Công"
