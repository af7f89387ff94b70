"""Row-level audit: database triggers record every change, however it is made."""

import pghistory
import pytest
from django.db import connection

from egov.agencies.models import Agency
from tests.factories import AgencyFactory, UserFactory, login_verified_superuser

pytestmark = pytest.mark.django_db


def _events(model, obj):
    return pghistory.models.Events.objects.references(obj).filter(pgh_model=model).order_by("pgh_created_at", "pgh_id")


def test_a_bulk_update_is_recorded_with_before_and_after():
    agencies = AgencyFactory.create_batch(3, name="Tên cũ")
    Agency.objects.filter(pk__in=[a.pk for a in agencies]).update(name="Tên mới")
    for agency in agencies:
        update = _events("agencies.AgencyEvent", agency).filter(pgh_label="update").get()
        assert update.pgh_diff["name"] == ["Tên cũ", "Tên mới"]


def test_raw_sql_cannot_bypass_the_history():
    agency = AgencyFactory(name="Trước")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE agencies_agency SET name = 'Sau' WHERE id = %s", [agency.pk])
    assert _events("agencies.AgencyEvent", agency).filter(pgh_label="update").get().pgh_diff["name"] == ["Trước", "Sau"]


def test_a_delete_is_recorded():
    agency = AgencyFactory()
    pk = agency.pk
    agency.delete()
    assert pghistory.models.Events.objects.filter(pgh_model="agencies.AgencyEvent", pgh_obj_id=str(pk),
                                                  pgh_label="delete").exists()


def test_the_actor_ip_and_url_of_a_request_are_attached(client):
    from django.urls import reverse

    admin = login_verified_superuser(client)
    agency = AgencyFactory(name="Cũ")
    data = {"name": "Mới", "kind": agency.kind, "short_name": agency.short_name, "exchange_code": agency.exchange_code,
            "is_active": "on"}
    response = client.post(reverse("admin:agencies_agency_change", args=[agency.pk]), data, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    update = _events("agencies.AgencyEvent", agency).filter(pgh_label="update").get()
    assert update.pgh_context["user"] == admin.pk
    assert update.pgh_context["ip"] == "203.0.113.7"
    assert update.pgh_context["url"] == reverse("admin:agencies_agency_change", args=[agency.pk])


def test_password_hashes_stay_out_of_the_history():
    user = UserFactory()
    user.set_password("mot-mat-khau-moi-2026")
    user.save()
    for event in _events("accounts.UserEvent", user):
        assert "password" not in event.pgh_data
