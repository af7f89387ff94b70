"""Setting up areas and counters: the admin (scoped to the agency) and the demo data."""

import pytest
from django.urls import reverse

from egov.accounts.roles import Role
from egov.agencies.models import AgencyKind
from one_stop.tickets.demo import AREAS, COUNTERS, demo_queue_seed
from one_stop.tickets.models import Counter, ServiceArea
from tests.factories import AgencyFactory, UserFactory, login_verified_superuser
from tests.one_stop.tickets.conftest import make_counter

pytestmark = pytest.mark.django_db


def test_the_demo_sets_up_areas_and_counters_at_the_service_centre_once():
    centre = AgencyFactory(kind=AgencyKind.SERVICE_CENTRE)
    lines = []

    demo_queue_seed(stdout=lines.append)
    demo_queue_seed(stdout=lines.append)

    assert ServiceArea.objects.filter(agency=centre).count() == len(AREAS)
    assert Counter.objects.filter(agency=centre).count() == len(COUNTERS)
    assert sorted(Counter.objects.get(agency=centre, number=2).areas.values_list("prefix", flat=True)) == ["A", "B"]
    assert f"/lay-so/{centre.exchange_code}/" in lines[-1]


def test_the_demo_step_skips_without_a_service_centre():
    lines = []

    demo_queue_seed(stdout=lines.append)

    assert not ServiceArea.objects.exists() and "bỏ qua" in lines[0]


def test_the_admin_refuses_a_counter_serving_another_agencys_area(client, centre, area_a):
    login_verified_superuser(client)
    foreign = ServiceArea.objects.create(agency=AgencyFactory(), prefix="Z", name="Khác")

    response = client.post(reverse("admin:tickets_counter_add"), {
        "agency": centre.pk, "number": 1, "name": "", "areas": [area_a.pk, foreign.pk], "is_active": "on"})

    assert response.status_code == 200
    assert "Quầy chỉ phục vụ các khu vực của cùng cơ quan." in response.content.decode()
    assert not Counter.objects.exists()


def test_the_admin_adds_a_counter(client, centre, area_a):
    login_verified_superuser(client)

    response = client.post(reverse("admin:tickets_counter_add"), {
        "agency": centre.pk, "number": 4, "name": "", "areas": [area_a.pk], "is_active": "on"})

    assert response.status_code == 302
    assert list(Counter.objects.get(number=4).areas.all()) == [area_a]


def test_an_agency_administrator_sees_only_their_agencys_areas_and_counters(centre, area_a):
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    other = AgencyFactory()
    ServiceArea.objects.create(agency=other, prefix="Z", name="Khác")
    make_counter(other, 1)
    make_counter(centre, 1, area_a)
    admin_user = UserFactory(agency=centre, roles=[Role.AGENCY_ADMIN], is_staff=True)
    request = RequestFactory().get("/")
    request.user = admin_user

    areas = site._registry[ServiceArea].get_queryset(request)
    counters = site._registry[Counter].get_queryset(request)

    assert list(areas) == [area_a]
    assert [c.agency_id for c in counters] == [centre.pk]
    assert admin_user.has_perm("tickets.add_counter") and admin_user.has_perm("tickets.change_servicearea")
