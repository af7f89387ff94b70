"""The leader's dashboard gives the documents waiting for an assignment the same due status as the assignments
(overdue, due within 3 days, on time; "—" without a deadline), computed in SQL: the page's queries do not grow with
the rows (found by exploratory testing: those rows showed "—" even when overdue)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from docs_office.models import IncomingDocument
from docs_office.selectors import incoming_to_assign
from egov.accounts.roles import Role
from tests.docs_office.factories import register_scan
from tests.docs_office.test_display import _dashboard_rows
from tests.docs_office.test_views import signed_in

pytestmark = pytest.mark.django_db


def _waiting(staff, number: str, days: int | None):
    document = register_scan(staff[Role.RECORDS_CLERK], number=number)
    deadline = None if days is None else timezone.localdate() + timedelta(days=days)
    IncomingDocument.objects.filter(pk=document.pk).update(deadline=deadline)
    return document


def test_the_documents_to_assign_show_their_due_status(client, staff, django_assert_max_num_queries):
    overdue = _waiting(staff, "1", -1)
    signed_in(client, staff[Role.LEADER])
    with django_assert_max_num_queries(40) as one:
        client.get(reverse("docs_office:dashboard"))
    due_today, due_in_3, later, none = (_waiting(staff, "2", 0), _waiting(staff, "3", 3), _waiting(staff, "4", 4),
                                        _waiting(staff, "5", None))
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("docs_office:dashboard")).content.decode()

    ranks = {d.pk: d.due_rank for d in incoming_to_assign(user=staff[Role.LEADER])}
    assert ranks == {overdue.pk: 0, due_today.pk: 1, due_in_3.pk: 1, later.pk: 2, none.pk: None}
    rows = {row.split('/van-ban/den/')[1].split("/")[0]: row for row in _dashboard_rows(page)
            if 'data-waiting="assign"' in row}
    expected = {overdue: 'class="due due-overdue"', due_today: 'class="due due-due_soon"',
                due_in_3: 'class="due due-due_soon"', later: 'class="due due-on_time"'}
    for document, marker in expected.items():
        assert marker in rows[str(document.pk)], document.number
    assert 'class="row-overdue"' in rows[str(overdue.pk)]
    assert 'class="due ' not in rows[str(none.pk)]
