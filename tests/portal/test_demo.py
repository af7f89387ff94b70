from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from egov.accounts.models import User
from egov.accounts.roles import Role
from portal.models import Article, CalendarEntry, Feedback
from portal.selectors import week_monday

pytestmark = pytest.mark.django_db


def test_the_demo_has_articles_this_week_s_calendar_and_two_feedbacks_one_published(monkeypatch, settings, client):
    settings.EGOV_DEMO_RAW_CATALOGUE = False
    monkeypatch.setenv("DEMO_PASSWORD", "mat-khau-demo-2026")
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent

    assert Article.objects.count() == 3
    monday = week_monday(timezone.localdate())
    assert CalendarEntry.objects.filter(date__gte=monday, date__lte=monday + timedelta(days=6), is_published=True).count() == 3
    assert Feedback.objects.count() == 2
    published = Feedback.objects.get(state="published")
    assert published.answer and published.consent_publish
    editor = User.objects.get(username="demo_editor")
    assert editor.has_role(Role.EDITOR) and editor.is_staff and editor.check_password("mat-khau-demo-2026")
    home = client.get(reverse("home")).content.decode()
    assert "Tỉnh đẩy mạnh dịch vụ công trực tuyến toàn trình" in home
    assert "giấy chứng nhận kết hôn" in client.get(reverse("portal:feedback_public")).content.decode()
