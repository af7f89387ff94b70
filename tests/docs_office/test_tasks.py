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


def give_on_the_page(client, staff, **fields):
    from docs_office.models import Task

    signed_in(client, staff[Role.LEADER])
    response = client.post(reverse("docs_office:tasks"), {"title": "Rà soát thủ tục hành chính", **fields})
    return response, response.content.decode(), Task.objects.count()


def test_a_division_that_is_no_number_is_an_error_on_the_form_with_the_typed_title(client, staff, division):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response, page, tasks = give_on_the_page(client, staff, division="abc", deadline=tomorrow)
    assert response.status_code == 400 and tasks == 0
    assert "Đơn vị thực hiện không thuộc cơ quan." in page
    assert "Rà soát thủ tục hành chính</textarea>" in page


def test_a_title_over_the_columns_limit_is_an_error_on_the_form(client, staff, division):
    from docs_office.models import Task

    limit = Task._meta.get_field("title").max_length
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response, page, tasks = give_on_the_page(client, staff, division=division.pk, deadline=tomorrow,
                                             title="x" * (limit + 100))
    assert response.status_code == 400 and tasks == 0
    assert f"tối đa {limit} ký tự" in page


def test_the_service_refuses_a_title_over_the_limit_for_every_caller(staff, division):
    from docs_office.models import Task

    with pytest.raises(ApplicationError) as refused:
        give(staff, division, title="x" * (Task._meta.get_field("title").max_length + 1))
    assert refused.value.code == "title_too_long" and "title" in refused.value.fields


@pytest.mark.parametrize(("deadline", "message"), [
    ("", "Cần nhập hạn hoàn thành."),
    ("2026-13-45", "Hạn hoàn thành không phải ngày hợp lệ"),
    ("31/02/2027", "Hạn hoàn thành không phải ngày hợp lệ"),
])
def test_a_missing_or_malformed_deadline_says_so_not_that_it_is_past(client, staff, division, deadline, message):
    response, page, tasks = give_on_the_page(client, staff, division=division.pk, deadline=deadline)
    assert response.status_code == 400 and tasks == 0
    assert message in page and "quá khứ" not in page
    assert "Rà soát thủ tục hành chính</textarea>" in page


def test_a_past_deadline_is_an_error_on_the_form(client, staff, division):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response, page, tasks = give_on_the_page(client, staff, division=division.pk, deadline=yesterday)
    assert response.status_code == 400 and tasks == 0
    assert "Hạn hoàn thành không thể ở quá khứ." in page


def test_a_deadline_typed_day_first_is_read_the_vietnamese_way(client, staff, division):
    from docs_office.models import Task

    day = timezone.localdate() + timedelta(days=40)
    response, _page, tasks = give_on_the_page(client, staff, division=division.pk, deadline=f"{day:%d/%m/%Y}")
    assert response.status_code == 302 and tasks == 1
    assert Task.objects.get().deadline == day


def test_the_service_says_a_missing_deadline_is_missing(staff, division):
    with pytest.raises(ApplicationError) as refused:
        task_create(leader=staff[Role.LEADER], title="x", division=division, deadline=None)
    assert refused.value.fields == {"deadline": ["Bắt buộc."]}


@pytest.mark.parametrize("progress", ["²", "9" * 5000, "-5"])
def test_a_reported_progress_that_is_no_number_is_refused_not_a_server_error(client, staff, division, progress):
    task = give(staff, division)
    signed_in(client, staff[Role.SPECIALIST])
    response = client.post(reverse("docs_office:task_report", args=[task.pk]), {"progress": progress, "text": "x"})
    assert response.status_code == 400 and "Tiến độ từ 0 đến 100%." in response.content.decode()
    assert not task.reports.exists()


def test_a_leader_gives_a_task_from_a_directive_on_the_page_and_the_list_links_it(client, staff, division):
    from docs_office.models import Task

    directive = register_scan(staff[Role.RECORDS_CLERK])
    signed_in(client, staff[Role.LEADER])
    url = reverse("docs_office:tasks") + f"?van-ban-den={directive.pk}"
    document_page = client.get(reverse("docs_office:incoming_detail", args=[directive.pk])).content.decode()
    assert f'href="{url}"' in document_page and "Giao nhiệm vụ từ văn bản này" in document_page
    form = client.get(url).content.decode()
    assert "Theo văn bản chỉ đạo:" in form and directive.summary in form
    assert f'name="van-ban-den" value="{directive.pk}"' in form
    response = client.post(reverse("docs_office:tasks"), {
        "title": "Triển khai văn bản", "division": division.pk, "van-ban-den": directive.pk,
        "deadline": (timezone.localdate() + timedelta(days=3)).isoformat()})
    assert response.status_code == 302
    task = Task.objects.get(title="Triển khai văn bản")
    assert task.directive_incoming == directive
    page = client.get(reverse("docs_office:tasks")).content.decode()
    assert reverse("docs_office:incoming_detail", args=[directive.pk]) in page


@pytest.mark.parametrize("parameter", ["van-ban-den", "van-ban-di"])
def test_a_directive_the_leader_cannot_see_is_not_found(client, staff, division, other_agency, parameter):
    from docs_office.models import Task
    from tests.docs_office.conftest import office_staff

    elsewhere = register_scan(office_staff(other_agency)[Role.RECORDS_CLERK])
    signed_in(client, staff[Role.LEADER])
    assert client.get(reverse("docs_office:tasks"), {parameter: elsewhere.pk}).status_code == 404
    response = client.post(reverse("docs_office:tasks"), {
        "title": "x", "division": division.pk, parameter: elsewhere.pk,
        "deadline": (timezone.localdate() + timedelta(days=3)).isoformat()})
    assert response.status_code == 404 and not Task.objects.exists()


def test_a_secret_directive_is_named_only_to_its_readers(client, staff, division):
    """A unit member who may not read the secret document a task was given from sees the task, not the document."""
    from docs_office.constants import Confidentiality

    secret = register_scan(staff[Role.RECORDS_CLERK], number="88", symbol="BCA-MAT", summary="Kế hoạch tuyệt mật",
                           confidentiality=Confidentiality.SECRET, readers=[staff[Role.LEADER]])
    give(staff, division, title="Triển khai kế hoạch", directive=secret)
    signed_in(client, staff[Role.SPECIALIST])
    page = client.get(reverse("docs_office:tasks")).content.decode()
    assert "Triển khai kế hoạch" in page
    assert "88/BCA-MAT" not in page and "Kế hoạch tuyệt mật" not in page and "Văn bản chỉ đạo:" not in page
    signed_in(client, staff[Role.LEADER])
    page = client.get(reverse("docs_office:tasks")).content.decode()
    assert "88/BCA-MAT" in page and reverse("docs_office:incoming_detail", args=[secret.pk]) in page


def test_the_units_reports_are_read_on_the_page_in_the_same_queries_for_one_task_or_many(
        client, staff, division, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = give(staff, division, title="Nhiệm vụ thứ nhất", directive=register_scan(staff[Role.RECORDS_CLERK], number="90"))
    task_report(user=staff[Role.SPECIALIST], task=first, progress=30, text="Đã họp triển khai với các phòng")
    signed_in(client, staff[Role.LEADER])
    client.get(reverse("docs_office:tasks"))
    with CaptureQueriesContext(connection) as one:
        page = client.get(reverse("docs_office:tasks")).content.decode()
    assert "Đã họp triển khai với các phòng" in page and staff[Role.SPECIALIST].full_name in page
    for n in range(4):
        task = give(staff, division, title=f"Nhiệm vụ {n}",
                    directive=register_scan(staff[Role.RECORDS_CLERK], number=f"9{n}") if n % 2 else None)
        task_report(user=staff[Role.HEAD_OF_DIVISION], task=task, progress=10 * n, text=f"Báo cáo {n}")
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(reverse("docs_office:tasks")).content.decode()
    assert all(f"Báo cáo {n}" in page for n in range(4))


def test_the_morning_reminder_tells_each_unit_member_of_tasks_due_soon_or_late(staff, division, today_is_a_working_day):
    from docs_office.models import Task
    from docs_office.services.reminders import tasks_remind_due
    from egov.notifications.models import Notification

    give(staff, division, days=2, title="Sắp đến hạn")
    later = give(staff, division, days=10)
    late = give(staff, division, days=1, title="Đã quá hạn")
    Task.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    done = give(staff, division, days=1, title="Đã xong")
    task_report(user=staff[Role.SPECIALIST], task=done, progress=100, text="Xong")
    Notification.objects.all().delete()
    members = list(division.members.filter(is_active=True))
    assert tasks_remind_due() == len(members) > 0
    for member in members:
        sent = Notification.objects.get(recipient=member)
        assert sent.subject == "2 nhiệm vụ đến hạn trong 3 ngày hoặc đã quá hạn"
        assert "Đã quá hạn (0%) — quá hạn" in sent.body and "Sắp đến hạn (0%) — hạn" in sent.body
        assert later.title not in sent.body and "Đã xong" not in sent.body
