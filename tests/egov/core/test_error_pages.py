"""The error pages a visitor sees with DEBUG off: Vietnamese, in the site's layout, with a way on."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse

from egov.accounts.roles import Role
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_an_unknown_address_answers_404_in_vietnamese_in_the_public_layout(client):
    response = client.get("/khong-co-trang-nay/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in html
    assert 'class="site-header"' in html and "Đăng nhập" in html  # the layout, for an anonymous visitor
    assert f'href="{reverse("one_stop:lookup")}"' in html and f'href="{reverse("home")}"' in html


@override_settings(DEBUG=False)
def test_a_404_raised_by_a_view_gets_the_same_page_for_a_signed_in_citizen(client):
    client.force_login(UserFactory())

    response = client.get(reverse("one_stop_staff:dossier", args=["000.00.00.H41-260101-0001"]))

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


@override_settings(DEBUG=False)
def test_the_ticket_console_tells_a_non_clerk_why_in_the_403_page(client):
    client.force_login(UserFactory(agency=AgencyFactory(), roles=[Role.SPECIALIST]))

    response = client.get(reverse("tickets:clerk_console", args=[1]))

    html = response.content.decode()
    assert response.status_code == 403
    assert "Không có quyền truy cập" in html and "Chỉ cán bộ Bộ phận Một cửa được gọi số." in html


@override_settings(DEBUG=False, DATA_UPLOAD_MAX_NUMBER_FILES=2)
def test_too_many_files_at_once_are_refused_with_the_limit(client):
    client.force_login(UserFactory(agency=AgencyFactory(), roles=[Role.ONE_STOP_CLERK]))
    files = {f"scan-{i}": SimpleUploadedFile(f"{i}.pdf", b"%PDF-1.4") for i in range(3)}

    response = client.post(reverse("one_stop_staff:counter"), files)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in html and "tối đa 2 tệp" in html


def test_the_500_page_renders_without_a_request_or_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("500.html")

    assert "Lỗi máy chủ" in html and 'href="/tra-cuu-ho-so/"' in html and "egov.css" in html


@override_settings(DEBUG=False)
def test_a_form_sent_without_its_token_is_refused_in_vietnamese_and_saves_nothing():
    from django.test import Client

    from egov.accounts.models import User

    browser = Client(enforce_csrf_checks=True)
    users = User.objects.count()
    response = browser.post(reverse("accounts:signup"), {"full_name": "Nguyễn Văn A", "phone": "0912345678"})

    html = response.content.decode()
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in html and "Chưa có gì được lưu" in html and '<html lang="vi"' in html
    assert "CSRF" not in html and "Forbidden" not in html
    assert User.objects.count() == users
