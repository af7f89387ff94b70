"""WCAG 2.1 AA on eOffice's most visited pages: the incoming list and an incoming document, for the records clerk
(who registers) and the leader (who assigns)."""

import pytest
from django.urls import reverse

from egov.accounts.roles import Role
from tests.a11y import a11y_problems
from tests.docs_office.factories import register_scan
from tests.docs_office.test_views import signed_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.RECORDS_CLERK, Role.LEADER])
def test_the_incoming_list_and_a_document_have_labels_headings_and_table_headers(client, staff, role):
    document = register_scan(staff[Role.RECORDS_CLERK])
    signed_in(client, staff[role])

    listing = client.get(reverse("docs_office:incoming_list")).content.decode()
    page = client.get(reverse("docs_office:incoming_detail", args=[document.pk])).content.decode()

    assert document.summary in listing
    assert a11y_problems(listing) == [] and a11y_problems(page) == []
