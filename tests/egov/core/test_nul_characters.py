"""A NUL character in a URL (or a form posted to the API) is refused with 400 before it reaches PostgreSQL (found by
tests/test_api_fuzz.py); one in a form posted to a page is removed."""

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


def _echo_post(request):
    from django.http import JsonResponse

    return JsonResponse({key: request.POST.getlist(key) for key in request.POST})


def _posted_as_a_view_reads_it(rf, data, **extra) -> dict:
    import json

    from egov.core.middleware import NulCharacterMiddleware

    response = NulCharacterMiddleware(_echo_post)(rf.post("/mot-cua/tiep-nhan/", data, **extra))
    assert response.status_code == 200
    return json.loads(response.content)


def test_a_nul_in_a_posted_form_field_is_removed_before_any_view_reads_it(rf):
    """Views that read a posted note without a form (a document's closing result, a return note, a task's report, an
    edXML recipient's name — found by review) would pass it to PostgreSQL: every form post is cleaned once. A page's
    form is not refused: a bare 400 lost everything typed in it."""
    posted = _posted_as_a_view_reads_it(rf, {"username": "demo\x00", "a\x00": ["1", "2\x00"], "a": "0"})

    assert posted == {"username": ["demo"], "a": ["1", "2", "0"]}


def test_a_nul_in_a_multipart_field_is_removed_but_a_files_bytes_are_content(client, rf):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assert _posted_as_a_view_reads_it(rf, {"note": "a\x00b", "file": SimpleUploadedFile("a.pdf", b"%PDF")}) == {
        "note": ["ab"]}
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4\x00\x00 binary")
    assert client.post("/dang-nhap/", {"username": "demo", "file": upload}).status_code != 400


def test_a_nul_in_a_form_posted_to_the_api_is_a_400_in_the_error_shape(client):
    response = client.post("/api/v1/auth/token/", {"username": "a\x00", "password": "x"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_the_refusal_is_in_the_visitors_language(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/tra-cuu-ho-so/", {"ma": "\x00"})
    assert response.status_code == 400 and "ký tự" not in response.content.decode()


def test_a_nul_in_a_form_posted_to_a_page_does_not_refuse_it(client):
    response = client.post("/dang-nhap/", {"username": "demo\x00", "password": "x"})
    assert "ký tự không hợp lệ" not in response.content.decode()

