"""WCAG 2.1 AA on the pages every visitor meets (home, sign-up, sign-in, second factor, dossier lookup) and in the
portal's own colours, computed from its CSS files."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.a11y import a11y_problems, controls
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

STATIC = Path(settings.BASE_DIR) / "static"
CSS = (STATIC / "css" / "egov.css").read_text() + (STATIC / "css" / "tickets.css").read_text()


# --- the pages ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/", reverse("one_stop:lookup"), reverse("one_stop:lookup_code", args=["KHONG-CO"]),
                                 reverse("accounts:login"), reverse("accounts:signup"),
                                 reverse("public_services:catalogue") + "?q=khai+sinh"])
def test_the_public_pages_have_labels_headings_and_names(client, url):
    response = client.get(url)

    assert response.status_code in (200, 404)  # an unknown dossier code is a 404 with the lookup form
    assert a11y_problems(response.content.decode()) == []


def test_a_refused_sign_in_keeps_its_fields_labelled(client):
    response = client.post(reverse("accounts:login"), {"username": "khong-co", "password": "sai"})

    assert a11y_problems(response.content.decode()) == []


def test_a_sign_up_error_is_tied_to_its_field_and_the_help_stays_under_it(client):
    response = client.post(reverse("accounts:signup"), {"full_name": "Nguyễn Văn A"})

    html = response.content.decode()
    assert a11y_problems(html) == []  # every aria-describedby points at a note on the page
    national_id = next(attrs for _, attrs in controls(html) if attrs.get("name") == "national_id")
    assert national_id["aria-invalid"] == "true"
    assert national_id["aria-describedby"].split() == ["id_national_id_helptext", "id_national_id_error"]
    assert 'id="id_national_id_helptext"' in html and 'id="id_national_id_error"' in html


def test_the_sign_up_fields_say_which_personal_data_they_take(client):
    html = client.get(reverse("accounts:signup")).content.decode()

    purposes = {attrs["name"]: attrs.get("autocomplete") for _, attrs in controls(html) if attrs.get("name")}
    assert purposes["full_name"] == "name" and purposes["phone"] == "tel" and purposes["email"] == "email"


def test_the_second_factor_pages_are_labelled_and_the_qr_code_is_named(client):
    leader = UserFactory(leader=True)
    client.post(reverse("accounts:login"), {"username": leader.username, "password": PASSWORD})

    setup = client.get(reverse("accounts:otp_setup")).content.decode()
    refused = client.post(reverse("accounts:otp_setup"), {"token": "000000"}).content.decode()

    assert a11y_problems(setup) == [] and a11y_problems(refused) == []
    figure = re.search(r"<figure[^>]*class=\"otp-qr\"[^>]*>", setup).group(0)
    assert 'role="img"' in figure and 'aria-label="Mã QR để quét bằng ứng dụng xác thực"' in figure


# --- the colours --------------------------------------------------------------------------------------

def _luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


VARIABLES = dict(re.findall(r"(--egov-[\w-]+):\s*(#[0-9a-fA-F]{3,6})", CSS))


def _colour(value: str) -> str:
    value = value.strip()
    match = re.fullmatch(r"var\((--egov-[\w-]+)\)", value)
    return VARIABLES[match.group(1)] if match else value


def _rules_with_text_on_background():
    """Every rule of our CSS that sets both a text colour and a background colour (badges, statuses, the board)."""
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", re.sub(r"/\*.*?\*/", "", CSS, flags=re.S)):
        declarations = dict(re.findall(r"(?:^|;)\s*([\w-]+)\s*:\s*([^;]+)", body))
        background, colour = declarations.get("background"), declarations.get("color")
        if background and colour and re.fullmatch(r"#[0-9a-fA-F]{3,6}|var\(--egov-[\w-]+\)", background.strip()):
            yield selector.strip(), _colour(colour), _colour(background)


def test_the_css_has_status_colours_to_check():
    selectors = {selector for selector, _, _ in _rules_with_text_on_background()}
    assert {".due-overdue", ".due-due_soon", ".due-on_time", ".board-new"} <= selectors


@pytest.mark.parametrize(("selector", "colour", "background"), list(_rules_with_text_on_background()))
def test_text_on_our_coloured_backgrounds_reaches_4_5_to_1(selector, colour, background):
    assert contrast(colour, background) >= 4.5, f"{selector}: {colour} on {background}"


def test_the_header_texts_reach_4_5_to_1():
    red, navy = VARIABLES["--egov-red"], re.search(r"\.staff-header \{ background: (#\w+)", CSS).group(1)
    brand = _colour(re.search(r"\.brand strong \{ color: ([^;]+);", CSS).group(1))

    assert contrast(brand, red) >= 4.5 and contrast(brand, navy) >= 4.5
    assert contrast("#ffffff", red) >= 4.5 and contrast("#ffffff", navy) >= 4.5


def test_the_keyboard_focus_is_an_outline_of_3_to_1_on_white_and_on_the_headers():
    focus = re.search(r":root :focus-visible \{ outline: (\d+)px solid (#\w+)", CSS)
    red, navy = VARIABLES["--egov-red"], re.search(r"\.staff-header \{ background: (#\w+)", CSS).group(1)

    assert int(focus.group(1)) >= 2 and contrast(focus.group(2), "#ffffff") >= 3
    assert re.search(r"\.site-header :focus-visible, :root \.staff-header :focus-visible \{ outline-color: #fff; \}", CSS)
    assert contrast("#ffffff", red) >= 3 and contrast("#ffffff", navy) >= 3


@pytest.mark.parametrize("layout", ["layouts/base.html", "layouts/kiosk.html", "500.html"])
def test_the_layouts_keep_the_light_theme_our_colours_are_drawn_for(layout):
    # Pico follows a phone's dark mode unless told otherwise, and our greys and badges would then sit on near-black.
    text = (Path(settings.BASE_DIR) / "templates" / layout).read_text()

    assert '<html lang="{{ LANGUAGE_CODE }}" data-theme="light">' in text


def test_the_kiosk_buttons_are_far_above_the_44_px_touch_target():
    min_height = re.search(r"\.kiosk-area \{[^}]*min-height: ([\d.]+)rem", CSS).group(1)

    assert float(min_height) * 16 >= 44


def test_the_profile_fields_say_which_personal_data_they_take(client):
    citizen = UserFactory(citizen=True)
    client.force_login(citizen)

    html = client.get(reverse("accounts:profile")).content.decode()

    assert a11y_problems(html) == []
    purposes = {attrs["name"]: attrs.get("autocomplete") for _, attrs in controls(html) if attrs.get("name")}
    assert purposes["full_name"] == "name" and purposes["birth_date"] == "bday"
    assert purposes["gender"] == "sex" and purposes["address"] == "street-address"
    assert purposes["phone-value"] == "tel" and purposes["email-value"] == "email"
