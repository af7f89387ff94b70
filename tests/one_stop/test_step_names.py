"""A step's name is part of the record: stored in Vietnamese whatever the receiving clerk's UI language, shown in
the reader's language where it is one of the default process's."""

from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation

from egov.accounts.roles import Role
from tests.one_stop.factories import at_local, receive_at_counter

pytestmark = pytest.mark.django_db

VIETNAMESE = ["Tiếp nhận hồ sơ", "Thẩm định, giải quyết", "Phê duyệt kết quả", "Trả kết quả"]


def test_a_clerk_with_the_english_ui_stores_the_steps_in_vietnamese(client, staff, procedure):
    with translation.override("en"):
        dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    assert list(dossier.steps.order_by("order").values_list("name", flat=True)) == VIETNAMESE
    lookup = client.get(f"/api/v1/lookup/{dossier.code}/").json()
    assert [step["name"] for step in lookup["steps"]] == VIETNAMESE
    with translation.override("en"):
        assert [step.display_name for step in dossier.steps.order_by("order")] == [
            "Receive dossier", "Review and decide", "Approve result", "Return result"]


def test_the_dossier_page_shows_default_steps_in_the_readers_language_and_catalogue_steps_as_written(
        client, staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    dossier.steps.filter(order=2).update(name="Xác minh tại chỗ")
    client.force_login(staff[Role.SPECIALIST])
    vietnamese = client.get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    assert "Phê duyệt kết quả" in vietnamese and "Xác minh tại chỗ" in vietnamese
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    assert "Approve result" in english and "Phê duyệt kết quả" not in english and "Xác minh tại chỗ" in english


def test_the_migration_puts_english_default_names_back_into_vietnamese(staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    english = ["Receive dossier", "Review and decide", "Approve result", "Return result"]
    for step, name in zip(dossier.steps.order_by("order"), english, strict=True):
        step.name = name
        step.save(update_fields=["name"])
    dossier.steps.create(order=5, name="Review and decide later", role=Role.SPECIALIST, agency=dossier.receiving_agency,
                         days=0)
    import_module("one_stop.migrations.0099_default_step_names_in_vietnamese").to_vietnamese(apps, None)
    assert list(dossier.steps.order_by("order").values_list("name", flat=True)) == [*VIETNAMESE,
                                                                                   "Review and decide later"]


def test_the_public_lookup_page_shows_default_steps_in_the_readers_language(client, staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    assert "Phê duyệt kết quả" in client.get(f"/tra-cuu-ho-so/{dossier.code}/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(f"/tra-cuu-ho-so/{dossier.code}/").content.decode()
    assert "Approve result" in english and "Phê duyệt kết quả" not in english
