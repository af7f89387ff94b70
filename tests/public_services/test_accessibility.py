"""WCAG 2.1 AA on the citizen's pages: the procedure, the online form (its errors above all), my dossiers."""

import re

import pytest
from django.urls import reverse

from tests.a11y import a11y_problems, controls
from tests.public_services.conftest import BIRTH_POST

pytestmark = pytest.mark.django_db

APPLY = reverse("public_services:apply", args=["1.001193"])


def _control(html: str, name: str) -> dict:
    return next(attrs for _, attrs in controls(html) if attrs.get("name") == name)


def _summary(html: str) -> str:
    start = html.index('id="form-errors"')
    return html[start:html.index("</div>", start)]


def test_the_procedure_page_has_labels_headings_and_table_headers(client, online_birth):
    html = client.get(reverse("public_services:procedure", args=["1.001193"])).content.decode()

    assert a11y_problems(html) == []


def test_the_online_form_asks_the_citizens_own_data_with_its_autocomplete_purpose(client, citizen, online_birth, commune):
    client.force_login(citizen)

    html = client.get(APPLY).content.decode()

    assert a11y_problems(html) == []
    assert _control(html, "ho_ten")["autocomplete"] == "name"  # prefilled from the profile: the citizen's own
    assert _control(html, "dia_chi")["autocomplete"] == "street-address"
    assert "autocomplete" not in _control(html, "ho_ten_me")  # the mother's name is not the citizen's
    assert "autocomplete" not in _control(html, "so_dinh_danh_me")


def test_a_prefilled_answer_says_where_it_comes_from_to_a_screen_reader_too(client, citizen, online_birth, commune):
    client.force_login(citizen)

    html = client.get(APPLY).content.decode()

    assert _control(html, "ho_ten")["aria-describedby"] == "f-ho-ten-readonly"
    assert 'id="f-ho-ten-readonly"' in html


def test_the_error_summary_links_to_each_answer_to_correct_without_pointing_at_a_colour(client, citizen, online_birth,
                                                                                      commune):
    client.force_login(citizen)

    response = client.post(APPLY, {"agency": commune.pk, "action": "submit"})

    html = response.content.decode()
    assert response.status_code == 400
    assert a11y_problems(html) == []  # every invalid control has aria-describedby pointing at its error
    summary = _summary(html)
    targets = re.findall(r'<a href="#([^"]+)">', summary)
    ids = {attrs.get("id") for _, attrs in controls(html)}
    assert "f-dia-chi" in targets and "f-ho-ten-tre" in targets and "u-giay_chung_sinh" in targets
    assert "f-quan-he-1" in targets  # a radio group: its first option, which can take the focus
    assert set(targets) <= ids
    assert "đỏ" not in summary
    assert _control(html, "ho_ten_tre")["aria-describedby"] == "f-ho-ten-tre-error"


def test_an_error_inside_a_repeated_group_item_is_linked_and_tied_to_its_field(client, citizen, online_birth, commune):
    client.force_login(citizen)
    post = {**BIRTH_POST, "agency": commune.pk, "action": "save", "sinh_doi": "on", "anh_chi_em_sinh_cung-0-_": "1",
            "anh_chi_em_sinh_cung-0-ho_ten": "Đặng Minh Anh", "anh_chi_em_sinh_cung-0-thu_tu": "9"}

    html = client.post(APPLY, post).content.decode()

    assert a11y_problems(html) == []
    field = _control(html, "anh_chi_em_sinh_cung-0-thu_tu")
    assert field["aria-invalid"] == "true" and field["aria-describedby"].endswith(f"{field['id']}-error")
    assert f'<a href="#{field["id"]}">' in _summary(html)


def test_my_dossiers_and_a_dossier_page_have_labels_headings_and_table_headers(client, citizen, submitted):
    client.force_login(citizen)

    listing = client.get(reverse("public_services:my_dossiers")).content.decode()
    page = client.get(reverse("public_services:dossier", args=[submitted.code])).content.decode()

    assert a11y_problems(listing) == [] and a11y_problems(page) == []
