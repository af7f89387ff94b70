"""eOffice's selects start with "—" as the rest of the site does, never Django's "---------"."""

import pytest
from django.urls import reverse

from egov.accounts.roles import Role
from tests.docs_office.factories import register_scan
from tests.docs_office.test_views import signed_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("role", "url_name"), [
    (Role.SPECIALIST, "docs_office:outgoing_create"),
    (Role.RECORDS_CLERK, "docs_office:incoming_register"),
    (Role.RECORDS_CLERK, "docs_office:incoming_import"),
    (Role.LEADER, "docs_office:tasks"),
])
def test_the_office_forms_empty_choice_is_a_dash(client, staff, division, role, url_name):
    signed_in(client, staff[role])

    page = client.get(reverse(url_name)).content.decode()

    assert "<select" in page or url_name == "docs_office:incoming_import"
    assert "---------" not in page


def test_the_outgoing_draft_form_offers_a_dash_for_its_type_and_unit(client, staff, division):
    signed_in(client, staff[Role.SPECIALIST])

    page = client.get(reverse("docs_office:outgoing_create")).content.decode()

    for name in ("document_type", "division", "signer_prefix"):
        start = page.index(f'name="{name}"')
        assert '<option value="" selected>—</option>' in page[start:page.index("</select>", start)], name


def test_the_leader_s_assignment_form_has_no_django_dashes(client, staff):
    document = register_scan(staff[Role.RECORDS_CLERK])
    signed_in(client, staff[Role.LEADER])

    page = client.get(reverse("docs_office:incoming_detail", args=[document.pk])).content.decode()

    assert 'data-form="assign"' in page and "---------" not in page
