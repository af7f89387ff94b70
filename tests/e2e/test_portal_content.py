"""The provincial portal's journey: the home page shows the news; a citizen sends feedback with consent;
the agency's head of division answers and publishes it; the public page shows the answer, not the sender."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from egov.accounts.roles import Role
from portal.models import Article, Feedback
from portal.services.articles import article_save
from tests.e2e.test_sign_in import _sign_in
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.e2e


def test_news_on_the_home_page_then_feedback_sent_answered_and_published(page: Page, browser):
    agency = AgencyFactory(name="Sở Tư pháp", short_name="STP", exchange_code="000.00.03.H41")
    article_save(article=Article(title="Tỉnh khai trương Cổng thông tin mới", summary="Người dân xem tin và gửi phản ánh.",
                                 published_at=timezone.now() - timedelta(hours=1)), editor=None)
    citizen = UserFactory(citizen=True, full_name="Đặng Văn Công")
    head = UserFactory(agency=agency, roles=[Role.HEAD_OF_DIVISION], full_name="Lê Thị Lan")

    page.goto("/")
    expect(page.get_by_role("link", name="Tỉnh khai trương Cổng thông tin mới")).to_be_visible()

    page.get_by_role("link", name="Gửi phản ánh, kiến nghị").first.click()
    _sign_in(page, citizen.national_id)
    expect(page.get_by_role("heading", level=1)).to_have_text("Gửi phản ánh, kiến nghị")
    page.get_by_label("Quy định hành chính", exact=True).check()
    page.get_by_label("Quy định hành chính (tên, số hiệu văn bản, điều khoản)").fill("Quyết định 15/2025/QĐ-UBND, Điều 3")
    page.get_by_label("Cơ quan tiếp nhận, xử lý").select_option(str(agency.pk))
    page.get_by_label("Tiêu đề").fill("Đề nghị kéo dài giờ tiếp nhận")
    page.get_by_label("Nội dung phản ánh, kiến nghị").fill("Tôi là Đặng Văn Công, đề nghị tiếp nhận đến 17 giờ.")
    page.get_by_label("Tôi đồng ý công khai", exact=False).check()
    page.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    expect(page.get_by_text("Đã gửi phản ánh, kiến nghị")).to_be_visible()
    feedback = Feedback.objects.get(sender=citizen)
    assert feedback.agency == agency and feedback.consent_publish

    staff_context = browser.new_context(locale="vi-VN", base_url=page.url.split("/phan-anh")[0])
    staff = staff_context.new_page()
    staff.set_default_timeout(10_000)
    staff.goto("/phan-anh-kien-nghi/xu-ly/")
    _sign_in(staff, head.username)
    staff.get_by_role("link", name=feedback.code).click()
    staff.get_by_label("Nội dung trả lời").fill("Từ tháng 12, Bộ phận Một cửa tiếp nhận hồ sơ đến 17 giờ.")
    staff.get_by_role("button", name="Gửi trả lời").click()
    expect(staff.locator(".feedback-state")).to_contain_text("Đã trả lời")
    staff.get_by_label("Nội dung công khai (bỏ mọi thông tin cá nhân)").fill("Đề nghị tiếp nhận hồ sơ đến 17 giờ.")
    staff.get_by_role("button", name="Công khai trả lời").click()
    expect(staff.locator(".feedback-state")).to_contain_text("Đã công khai trả lời")
    staff_context.close()

    page.goto("/phan-anh-kien-nghi/")
    expect(page.locator(".feedback-answer")).to_contain_text("Bộ phận Một cửa tiếp nhận hồ sơ đến 17 giờ")
    expect(page.locator("main")).not_to_contain_text("Đặng Văn Công")
