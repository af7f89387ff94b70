"""A NUL character in a URL is refused with 400 before it reaches PostgreSQL (found by tests/test_api_fuzz.py)."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_nul_in_an_api_query_string_is_a_400_in_the_error_shape(client):
    response = client.get("/api/v1/procedures/", {"level": "commune\x00"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "ký tự không hợp lệ" in response.json()["error"]["message"]


def test_a_nul_in_an_api_path_is_a_400(client):
    assert client.get("/api/v1/procedures/1.0%00/").status_code == 400


def test_a_nul_in_a_page_query_is_a_400_with_a_vietnamese_message(client):
    response = client.get("/tra-cuu-ho-so/", {"ma": "\x00"})

    assert response.status_code == 400
    assert "ký tự không hợp lệ" in response.content.decode()


def test_a_nul_in_a_parameter_name_is_refused_too(client):
    assert client.get("/dich-vu-cong/?a%00b=1").status_code == 400


def test_ordinary_odd_unicode_still_passes(client):
    assert client.get("/api/v1/procedures/", {"search": "đăng ký 😀 \u200b"}).status_code == 200
