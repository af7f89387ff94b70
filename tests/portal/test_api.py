from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portal.models import Article, Feedback
from portal.services import feedback as services
from portal.services.articles import article_save
from tests.factories import UserFactory
from tests.portal.conftest import PDF

pytestmark = pytest.mark.django_db


def test_the_articles_api_lists_only_published_ones_by_kind(client, agency):
    article_save(article=Article(title="Tin công khai", published_at=timezone.now() - timedelta(hours=1), agency=agency),
                 editor=None)
    article_save(article=Article(title="Tin hẹn giờ", published_at=timezone.now() + timedelta(hours=1)), editor=None)
    article_save(article=Article(title="Chỉ đạo", kind="direction", published_at=timezone.now()), editor=None)
    body = client.get(reverse("portal-api-articles"), {"kind": "news"}).json()
    assert [a["title"] for a in body["results"]] == ["Tin công khai"]
    assert body["results"][0]["agency_code"] == agency.exchange_code
    missing = client.get(reverse("portal-api-articles"), {"agency": "999.99.99.Z99"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "agency_not_found"


def test_a_citizen_sends_feedback_through_the_api_and_lists_their_own(client, citizen, agency):
    client.force_login(citizen)
    response = client.post(reverse("portal-api-my-feedback"), {
        "subject_kind": "regulation", "regulation": "Điều 3", "agency_code": agency.exchange_code, "title": "Qua API",
        "content": "Nội dung", "consent_publish": "true", "attachments": [SimpleUploadedFile("a.pdf", PDF)]})
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "received" and response.json()["agency_name"] == agency.name
    assert Feedback.objects.get().attachments.count() == 1
    UserFactory(citizen=True)  # another citizen's feedback never shows
    assert [f["title"] for f in client.get(reverse("portal-api-my-feedback")).json()["results"]] == ["Qua API"]


def test_api_errors_have_the_one_shape_and_a_4xx(client, citizen, head):
    client.force_login(citizen)
    missing = client.post(reverse("portal-api-my-feedback"), {"subject_kind": "regulation", "title": "T", "content": "C"})
    assert missing.status_code == 400 and set(missing.json()["error"]["fields"]) >= {"regulation", "agency"}
    client.force_login(head)
    staff = client.post(reverse("portal-api-my-feedback"), {"subject_kind": "regulation", "regulation": "R",
                                                            "title": "T", "content": "C"})
    assert staff.status_code == 403 and staff.json()["error"]["code"] == "forbidden"


def test_the_published_feedback_api_carries_no_sender(client, citizen, agency, head):
    feedback = services.feedback_submit(sender=citizen, subject_kind="regulation", regulation="Điều 3", title="Riêng",
                                        content="Câu hỏi", agency=agency, consent_publish=True)
    services.feedback_answer(feedback=feedback, by=head, text="Trả lời công khai")
    services.feedback_publish(feedback=feedback, by=head)
    body = client.get(reverse("portal-api-feedback-published")).json()
    assert body["results"][0]["answer"] == "Trả lời công khai"
    text = str(body)
    assert citizen.full_name not in text and citizen.national_id not in text and "Riêng" not in text
