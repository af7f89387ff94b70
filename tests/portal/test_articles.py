from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from egov.accounts.roles import Role
from one_stop.catalogue.data import ProcedureData
from one_stop.services.catalogue import procedure_upsert
from portal.constants import ArticleKind
from portal.models import Article
from portal.services.articles import article_attachment_add, article_save
from tests.factories import UserFactory
from tests.portal.conftest import PDF

pytestmark = pytest.mark.django_db


def _article(title="Tin thử nghiệm", *, kind=ArticleKind.NEWS, published=True, agency=None, editor=None, **fields):
    published_at = fields.pop("published_at", timezone.now() - timedelta(hours=1) if published else None)
    return article_save(article=Article(kind=kind, title=title, published_at=published_at, agency=agency, **fields),
                        editor=editor)


def test_the_body_loses_scripts_handlers_and_javascript_links_but_keeps_images_and_links():
    article = _article(body='<p onclick="steal()">Nội dung<script>alert(1)</script></p>'
                            '<img src="/tin-tuc/tep/1/" alt="Ảnh" onerror="x()"><a href="javascript:alert(1)">x</a>'
                            '<a href="https://example.vn/">nguồn</a><iframe src="https://evil"></iframe>')
    assert "<script" not in article.body and "onclick" not in article.body and "onerror" not in article.body
    assert "javascript:" not in article.body and "<iframe" not in article.body
    assert '<img src="/tin-tuc/tep/1/" alt="Ảnh">' in article.body
    assert 'href="https://example.vn/"' in article.body


def test_slugs_are_made_from_the_vietnamese_title_and_stay_unique():
    first = _article("Đường điện nông thôn được nâng cấp")
    second = _article("Đường điện nông thôn được nâng cấp")
    assert first.slug == "duong-dien-nong-thon-duoc-nang-cap"
    assert second.slug == "duong-dien-nong-thon-duoc-nang-cap-2"
    assert _article("<i>Tin</i> thử nghiệm").slug == "tin-thu-nghiem"  # not "itini-…": tags are no words


def test_drafts_and_scheduled_articles_are_hidden_until_their_time(client):
    _article("Tin đã đăng")
    draft = _article("Bản nháp chưa đăng", published=False)
    scheduled = _article("Tin hẹn giờ ngày mai", published_at=timezone.now() + timedelta(days=1))

    page = client.get(reverse("portal:news")).content.decode()

    assert "Tin đã đăng" in page and "Bản nháp chưa đăng" not in page and "Tin hẹn giờ ngày mai" not in page
    assert client.get(reverse("portal:news_detail", args=[draft.slug])).status_code == 404
    assert client.get(reverse("portal:news_detail", args=[scheduled.slug])).status_code == 404


def test_a_scheduled_article_appears_once_its_time_has_come(client):
    scheduled = _article("Tin hẹn giờ", published_at=timezone.now() + timedelta(minutes=30))
    assert client.get(reverse("portal:news_detail", args=[scheduled.slug])).status_code == 404
    later = timezone.now() + timedelta(hours=1)
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=later):
        response = client.get(reverse("portal:news_detail", args=[scheduled.slug]))
    assert response.status_code == 200 and "Tin hẹn giờ" in response.content.decode()


def test_news_and_directions_are_listed_apart_and_a_direction_is_reached_under_its_own_address(client):
    direction = _article("Chỉ đạo về cải cách hành chính", kind=ArticleKind.DIRECTION)
    _article("Tin thể thao")
    assert "Chỉ đạo về cải cách" not in client.get(reverse("portal:news")).content.decode()
    assert "Chỉ đạo về cải cách" in client.get(reverse("portal:directions")).content.decode()
    response = client.get(reverse("portal:news_detail", args=[direction.slug]))
    assert response.status_code == 302 and response["Location"] == reverse("portal:directions_detail", args=[direction.slug])


def test_the_list_filters_by_agency_and_pages_by_ten(client, agency, other_agency):
    for n in range(12):
        _article(f"Tin của Sở Tư pháp số {n:02d}", agency=agency)
    _article("Tin của Sở Xây dựng", agency=other_agency)

    first = client.get(reverse("portal:news"), {"co-quan": agency.exchange_code}).content.decode()
    second = client.get(reverse("portal:news"), {"co-quan": agency.exchange_code, "trang": 2}).content.decode()

    assert "Sở Xây dựng</a>" not in first.split("<h1>")[1].split("</form>")[1]
    assert first.count('class="article-item"') == 10 and second.count('class="article-item"') == 2
    assert "Trang 1/2" in first


@pytest.mark.parametrize("rows", [1, 15])
def test_the_list_runs_a_constant_number_of_queries(client, agency, rows, django_assert_max_num_queries):
    for n in range(rows):
        _article(f"Tin {n}", agency=agency)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("portal:news")).status_code == 200


@pytest.mark.parametrize("rows", [1, 12])
def test_the_home_page_shows_the_latest_news_in_constant_queries(client, agency, rows, django_assert_max_num_queries):
    for n in range(rows):
        _article(f"Tin trang chủ {n}", agency=agency)
    with django_assert_max_num_queries(6):
        page = client.get(reverse("home")).content.decode()
    assert f"Tin trang chủ {rows - 1}" in page  # the newest
    assert page.count('class="article-item"') == min(rows, 5)


def test_a_public_attachment_downloads_only_once_its_article_is_published(client):
    published, draft = _article("Có tệp"), _article("Nháp có tệp", published=False)
    shown = article_attachment_add(article=published, upload=SimpleUploadedFile("quyet-dinh.pdf", PDF))
    hidden = article_attachment_add(article=draft, upload=SimpleUploadedFile("du-thao.pdf", PDF))

    response = client.get(reverse("portal:article_file", args=[shown.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert client.get(reverse("portal:article_file", args=[hidden.pk])).status_code == 404
    assert "quyet-dinh.pdf" in client.get(reverse("portal:news_detail", args=[published.slug])).content.decode()


def test_an_attachment_that_is_not_what_it_claims_is_refused_in_vietnamese():
    from egov.core.errors import ApplicationError

    with pytest.raises(ApplicationError, match="không đúng định dạng"):
        article_attachment_add(article=_article(), upload=SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf"))


def test_the_agency_page_shows_leaders_news_and_links_its_procedures_to_the_catalogue(client, agency):
    UserFactory(agency=agency, roles=[Role.LEADER], full_name="Hoàng Văn Nam", position_title="Giám đốc Sở")
    UserFactory(agency=agency, roles=[Role.SPECIALIST], full_name="Chuyên Viên Không Hiện")
    _article("Tin riêng của Sở", agency=agency)
    procedure_upsert(data=ProcedureData(code="2.000001", name="Thủ tục A", agency="Sở Tư pháp"))
    procedure_upsert(data=ProcedureData(code="2.000002", name="Thủ tục B", agency="Sở Tư pháp"))
    procedure_upsert(data=ProcedureData(code="2.000003", name="Thủ tục C", agency="Sở Xây dựng"))

    page = client.get(reverse("portal:agency", args=[agency.exchange_code])).content.decode()

    assert "Hoàng Văn Nam — Giám đốc Sở" in page and "Chuyên Viên Không Hiện" not in page
    assert "Tin riêng của Sở" in page
    assert "2 thủ tục hành chính" in page
    assert "/dich-vu-cong/?co_quan=S%E1%BB%9F%20T%C6%B0%20ph%C3%A1p" in page
    assert client.get(reverse("portal:agency", args=["999.99.99.Z99"])).status_code == 404


def test_the_catalogue_link_of_the_agency_page_lists_its_procedures(client, agency):
    procedure_upsert(data=ProcedureData(code="2.000001", name="Thủ tục của Sở Tư pháp", agency="Sở Tư pháp"))
    procedure_upsert(data=ProcedureData(code="2.000003", name="Thủ tục của Sở khác", agency="Sở Xây dựng"))
    page = client.get("/dich-vu-cong/", {"co_quan": "Sở Tư pháp"}).content.decode()
    assert "Thủ tục của Sở Tư pháp" in page and "Thủ tục của Sở khác" not in page


def test_an_editor_writes_an_article_in_the_admin_and_the_body_is_cleaned(client, editor):
    client.force_login(editor)
    response = client.post(reverse("admin:portal_article_add"), {
        "kind": "news", "title": "Tin từ trang quản trị", "slug": "", "summary": "Tóm tắt",
        "body": "<p>An toàn</p><script>x()</script>", "agency": "", "published_at_0": "01/11/2026",
        "published_at_1": "08:00:00",
        "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0", "attachments-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get()
    assert article.body == "<p>An toàn</p>" and article.editor == editor and article.slug == "tin-tu-trang-quan-tri"


def test_a_clerk_without_the_editor_role_cannot_add_articles_in_the_admin(client, agency):
    clerk = UserFactory(agency=agency, roles=[Role.ONE_STOP_CLERK], is_staff=True)
    client.force_login(clerk)
    assert client.get(reverse("admin:portal_article_add")).status_code == 403


def test_an_editor_attaches_a_file_in_the_admin_and_a_fake_one_is_refused(client, editor):
    article = _article("Tin có tệp đính kèm")
    client.force_login(editor)
    url = reverse("admin:portal_article_change", args=[article.pk])
    form = {"kind": "news", "title": article.title, "slug": article.slug, "summary": "", "body": "",
            "agency": "", "published_at_0": "01/11/2026", "published_at_1": "08:00:00",
            "attachments-TOTAL_FORMS": "1", "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0", "attachments-MAX_NUM_FORMS": "1000"}

    refused = client.post(url, {**form, "attachments-0-file": SimpleUploadedFile("gia-mao.pdf", b"not a pdf")})
    assert refused.status_code == 200 and "không đúng định dạng" in refused.content.decode()
    assert not article.attachments.exists()

    saved = client.post(url, {**form, "attachments-0-file": SimpleUploadedFile("ke-hoach.pdf", PDF)})
    assert saved.status_code == 302
    attachment = article.attachments.get()
    assert (attachment.original_name, attachment.content_type, attachment.size) == ("ke-hoach.pdf", "application/pdf", len(PDF))


@pytest.mark.parametrize("page", ["portal:news", "portal:directions", "portal:calendar", "portal:feedback_public"])
def test_a_signed_in_citizen_keeps_the_way_to_their_dossiers_on_the_news_portal(client, page):
    my_dossiers = f'href="{reverse("public_services:my_dossiers")}"'
    assert my_dossiers not in client.get(reverse(page)).content.decode()  # a visitor has none

    client.force_login(UserFactory(citizen=True))
    html = client.get(reverse(page)).content.decode()
    assert my_dossiers in html and f'href="{reverse("portal:news")}"' in html  # beside the portal's own menu
