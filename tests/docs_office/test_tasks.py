"""Tasks: a leader gives a unit a task with a deadline; the unit reports progress; leaders see completion."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from docs_office.selectors import task_completion_by_unit, tasks_visible_to
from docs_office.services.tasks import task_create, task_report
from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from tests.docs_office.factories import register_scan
from tests.docs_office.test_views import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def give(staff, division, *, days=5, title="Tổng hợp báo cáo cải cách hành chính", directive=None):
    return task_create(leader=staff[Role.LEADER], title=title, division=division,
                       deadline=timezone.localdate() + timedelta(days=days), directive=directive)


def test_a_leader_gives_a_unit_a_task_from_a_directive_and_its_members_are_told(staff, division):
    from egov.notifications.models import Notification

    directive = register_scan(staff[Role.RECORDS_CLERK])
    task = give(staff, division, directive=directive)
    assert task.directive_incoming == directive and task.progress == 0
    assert Notification.objects.filter(recipient=staff[Role.SPECIALIST], subject__startswith="Nhiệm vụ mới").exists()


def test_only_a_leader_gives_tasks_and_never_in_the_past(staff, division):
    with pytest.raises(ApplicationError) as refused:
        task_create(leader=staff[Role.HEAD_OF_DIVISION], title="x", division=division,
                    deadline=timezone.localdate() + timedelta(days=1))
    assert refused.value.status == 403
    with pytest.raises(ApplicationError) as refused:
        give(staff, division, days=-1)
    assert refused.value.code == "invalid_deadline"


def test_the_unit_reports_progress_and_a_hundred_percent_completes_it(staff, division):
    task = give(staff, division)
    task_report(user=staff[Role.SPECIALIST], task=task, progress=40, text="Đã tổng hợp 4/10 đơn vị")
    task_report(user=staff[Role.HEAD_OF_DIVISION], task=task, progress=100, text="Đã gửi báo cáo")
    task.refresh_from_db()
    assert task.progress == 100 and task.completed_at is not None
    assert [(r.author, r.progress) for r in task.reports.all()] == [(staff[Role.SPECIALIST], 40),
                                                                  (staff[Role.HEAD_OF_DIVISION], 100)]
    with pytest.raises(ApplicationError) as refused:
        task_report(user=staff[Role.SPECIALIST], task=task, progress=100, text="Lại")
    assert refused.value.status == 409


def test_someone_outside_the_unit_cannot_report(staff, division, agency):
    task = give(staff, division)
    with pytest.raises(ApplicationError) as refused:
        task_report(user=UserFactory(agency=agency, roles=[Role.SPECIALIST]), task=task, progress=10, text="x")
    assert refused.value.status == 403
    assert task not in tasks_visible_to(user=UserFactory(agency=agency, roles=[Role.SPECIALIST]))


def test_leaders_see_completion_rates_and_overdue_tasks_per_unit(staff, division):
    from docs_office.models import Task

    done, late = give(staff, division), give(staff, division, days=1)
    give(staff, division, days=10)
    task_report(user=staff[Role.SPECIALIST], task=done, progress=100, text="Xong")
    Task.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    assert task_completion_by_unit(user=staff[Role.LEADER]) == [
        {"name": "Văn phòng", "total": 3, "done": 1, "overdue": 1, "rate": 33}]
    assert task_completion_by_unit(user=staff[Role.SPECIALIST]) == []


def test_the_tasks_page_gives_and_reports(client, staff, division):
    signed_in(client, staff[Role.LEADER])
    client.post(reverse("docs_office:tasks"), {"title": "Rà soát thủ tục", "division": division.pk,
                                               "deadline": (timezone.localdate() + timedelta(days=3)).isoformat()})
    client.logout()
    signed_in(client, staff[Role.SPECIALIST])
    page = client.get(reverse("docs_office:tasks")).content.decode()
    assert "Rà soát thủ tục" in page
    from docs_office.models import Task

    task = Task.objects.get()
    client.post(reverse("docs_office:task_report", args=[task.pk]), {"progress": "60", "text": "Đang rà soát"})
    task.refresh_from_db()
    assert task.progress == 60
