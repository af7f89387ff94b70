"""Every admin page a role below the system administrator can read is scoped to the reader's agency, unless its rows are
the province's shared reference data (found in review: the notifications' admin, readable by every agency
administrator, listed the province's one-time codes and other agencies' messages to citizens)."""

import pytest
from django.contrib import admin

from egov.accounts.roles import ROLE_PERMISSIONS, Role

pytestmark = pytest.mark.django_db

# Rows that belong to no agency's people: the working-day calendar, the kinds of document (Decree 30's list), the
# portal's news, written to be published.
PROVINCE_WIDE = {"workdays.calendarday", "docs_office.documenttype", "portal.article"}


def _read_below_system_admin() -> set[str]:
    codes = {code for role, codes in ROLE_PERMISSIONS.items() if role != Role.SYSTEM_ADMIN for code in codes}
    return {f"{code.split('.')[0]}.{code.split('_', 1)[1]}" for code in codes if code.split(".")[1].startswith("view_")}


def test_every_admin_an_agency_role_reads_is_scoped_or_province_wide():
    readable = _read_below_system_admin()
    unscoped = []
    for model, model_admin in admin.site._registry.items():
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        if label in readable and label not in PROVINCE_WIDE and type(model_admin).get_queryset is admin.ModelAdmin.get_queryset:
            unscoped.append(label)
    assert unscoped == []
    assert "notifications.notification" in readable  # the check sees the admin the review found


def test_an_agency_administrator_sees_no_other_agencys_rows_in_any_admin_they_can_read(client):
    """The same, by what the pages show: each list an agency administrator opens holds no row of another agency."""
    from django.urls import reverse

    from egov.notifications.models import Channel
    from egov.notifications.services import notification_send
    from tests.docs_office.test_views import signed_in
    from tests.factories import AgencyFactory, UserFactory

    agency, other = AgencyFactory(), AgencyFactory()
    reader = UserFactory(agency=agency, roles=[Role.AGENCY_ADMIN], is_staff=True)
    stranger = UserFactory(agency=other, roles=[Role.SPECIALIST])
    notification_send(template="message", channel=Channel.IN_APP, recipient=stranger,
                      payload={"subject": "Việc cần làm", "text": "Văn bản đến số 15"})
    signed_in(client, reader)

    visited = []
    for model, _model_admin in admin.site._registry.items():
        label = f"{model._meta.app_label}.{model._meta.model_name}"
        if label in PROVINCE_WIDE or not reader.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
            continue
        visited.append(label)
        page = client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
        assert page.status_code == 200, label
        for row in page.context["cl"].queryset:
            owner = getattr(row, "agency_id", None) or getattr(getattr(row, "recipient", None), "agency_id", None)
            assert owner in (None, agency.pk), (label, row)
            assert row != other and row != stranger, (label, row)
    assert {"notifications.notification", "accounts.user", "agencies.agency"} <= set(visited)
