"""The morning reminder of documents due, and the registers printed as PDF books."""

import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from egov.accounts.roles import Role
from egov.notifications.models import Notification
from tests.conftest import service_missing
from tests.docs_office.factories import assign_to, register_scan
from tests.docs_office.test_views import signed_in

pytestmark = pytest.mark.django_db


def test_handlers_are_reminded_of_what_is_due_within_three_days_or_overdue(staff, division, today_is_a_working_day):
    from docs_office.services.reminders import assignments_remind_due

    clerk, leader, specialist = staff[Role.RECORDS_CLERK], staff[Role.LEADER], staff[Role.SPECIALIST]
    today = timezone.localdate()
    assign_to(leader, register_scan(clerk, number="1"), lead=specialist, deadline=today + timedelta(days=2))
    assign_to(leader, register_scan(clerk, number="2"), lead=specialist, deadline=today + timedelta(days=30))
    assign_to(leader, register_scan(clerk, number="3"), division=division, deadline=today + timedelta(days=1))
    Notification.objects.all().delete()
    assert assignments_remind_due(today=today) == 2  # the specialist, and the head through the unit
    note = Notification.objects.get(recipient=specialist)
    assert "1/QĐ-UBND" in note.body and "3/QĐ-UBND" in note.body and "2/QĐ-UBND" not in note.body
    assert Notification.objects.filter(recipient=staff[Role.HEAD_OF_DIVISION]).count() == 1


def test_the_reminder_runs_a_fixed_number_of_queries(staff, django_assert_max_num_queries, today_is_a_working_day):
    from docs_office.services.reminders import assignments_remind_due

    clerk, leader, specialist = staff[Role.RECORDS_CLERK], staff[Role.LEADER], staff[Role.SPECIALIST]
    for n in range(12):
        assign_to(leader, register_scan(clerk, number=str(n)), lead=specialist, deadline=timezone.localdate())
    # Select, prefetch, then one notification (insert + outbox row + on-commit) for the one person.
    with django_assert_max_num_queries(12):
        assert assignments_remind_due() == 1


def test_leaders_are_reminded_of_what_waits_for_an_assignment(staff, other_agency, django_assert_max_num_queries,
                                                             today_is_a_working_day):
    from docs_office.services.reminders import unassigned_remind
    from tests.factories import UserFactory

    clerk, leader, specialist = staff[Role.RECORDS_CLERK], staff[Role.LEADER], staff[Role.SPECIALIST]
    second_leader = UserFactory(agency=leader.agency, roles=[Role.LEADER])
    UserFactory(agency=leader.agency, roles=[Role.LEADER], is_active=False)
    UserFactory(agency=other_agency, roles=[Role.LEADER])  # nothing waits at their agency
    register_scan(clerk, number="1", summary="Thường")
    register_scan(clerk, number="2", summary="Hỏa tốc", urgency="flash")
    register_scan(clerk, number="3", summary="Mật", confidentiality="secret", readers=[leader])
    assign_to(leader, register_scan(clerk, number="4"), lead=specialist)
    Notification.objects.all().delete()
    with django_assert_max_num_queries(14):
        assert unassigned_remind() == 2
    for person in (leader, second_leader):
        note = Notification.objects.get(recipient=person)
        assert "2 văn bản đến chờ phân công" in note.subject
        assert note.body.index("2/QĐ-UBND — Hỏa tốc") < note.body.index("1/QĐ-UBND — Thường")
        assert "3/QĐ-UBND" not in note.body and "4/QĐ-UBND" not in note.body
    assert Notification.objects.count() == 2


def test_a_leader_who_chose_english_is_reminded_in_english_and_the_other_in_vietnamese(staff, today_is_a_working_day):
    from django.utils import translation
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from docs_office.services.reminders import unassigned_remind
    from egov.accounts.services import user_language_set
    from tests.factories import UserFactory

    clerk, leader = staff[Role.RECORDS_CLERK], staff[Role.LEADER]
    user_language_set(user=leader, language="en")
    colleague = UserFactory(agency=leader.agency, roles=[Role.LEADER])
    register_scan(clerk, number="2", summary="Hỏa tốc", urgency="flash")
    Notification.objects.all().delete()

    assert unassigned_remind() == 2

    with translation.override("en"):
        subject = ngettext("%(n)s văn bản đến chờ phân công", "%(n)s văn bản đến chờ phân công", 1) % {"n": 1}
        flash = _("Hỏa tốc")
    english, vietnamese = Notification.objects.get(recipient=leader), Notification.objects.get(recipient=colleague)
    assert english.subject == subject and f"2/QĐ-UBND — {flash}" in english.body and subject != vietnamese.subject
    assert vietnamese.subject == "1 văn bản đến chờ phân công" and "2/QĐ-UBND — Hỏa tốc" in vietnamese.body


def test_the_reminder_is_scheduled_every_working_morning(settings):
    assert settings.CELERY_BEAT_SCHEDULE["docs-office-remind-due"]["task"] == "docs_office.remind_due"


# Found in review: the reminders sent everything again on a redelivered task or a second beat, and the beat's mon-sat
# sent them on ordinary Saturdays and Tết weekdays.


@pytest.fixture
def one_of_each_long_overdue(staff, division):
    """An assignment and a task overdue since 05/01/2026, and a document waiting for an assignment."""
    from docs_office.models import IncomingAssignment, Task
    from docs_office.services.tasks import task_create

    clerk, leader, specialist = staff[Role.RECORDS_CLERK], staff[Role.LEADER], staff[Role.SPECIALIST]
    assign_to(leader, register_scan(clerk, number="1"), lead=specialist, deadline=timezone.localdate())
    task_create(leader=leader, title="Báo cáo quý", division=division, deadline=timezone.localdate() + timedelta(days=1))
    IncomingAssignment.objects.update(deadline=date(2026, 1, 5))
    Task.objects.update(deadline=date(2026, 1, 5))
    register_scan(clerk, number="2")
    Notification.objects.all().delete()


@pytest.mark.parametrize("name", ["assignments_remind_due", "tasks_remind_due", "unassigned_remind"])
def test_each_reminder_sends_on_working_days_only_and_once_a_day(one_of_each_long_overdue, name):
    from docs_office.services import reminders

    remind = getattr(reminders, name)
    assert remind(today=date(2026, 3, 7)) == 0  # an ordinary Saturday
    assert remind(today=date(2026, 2, 17)) == 0  # Tuesday of Tết
    assert not Notification.objects.exists()
    sent = remind(today=date(2026, 8, 22))  # Saturday worked for Monday 31/08/2026 off
    assert sent > 0 and Notification.objects.count() == sent
    assert remind(today=date(2026, 8, 22)) == 0  # a second run the same morning
    assert Notification.objects.count() == sent


def test_a_redelivered_morning_task_does_not_notify_twice(one_of_each_long_overdue, today_is_a_working_day):
    from docs_office.tasks import assignments_remind_due_task

    sent = assignments_remind_due_task()
    assert sent > 0 and Notification.objects.count() == sent
    assert assignments_remind_due_task() == 0  # acks_late + reject_on_worker_lost redelivery, or a second beat
    assert Notification.objects.count() == sent


def test_the_incoming_register_prints_its_entries_in_number_order(client, staff, registers, tmp_path):
    if not shutil.which("pdftotext"):
        service_missing("poppler-utils (pdftotext) is not installed")
    clerk = staff[Role.RECORDS_CLERK]
    register_scan(clerk, number="7", summary="Về việc thứ nhất")
    register_scan(clerk, number="8", summary="Về việc thứ hai")
    signed_in(client, clerk)
    year = timezone.localdate().year
    response = client.get(reverse("docs_office:register_export", args=[registers["incoming"].pk, year]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    path = tmp_path / "so.pdf"
    path.write_bytes(response.content)
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert f"SỔ ĐĂNG KÝ VĂN BẢN ĐẾN — NĂM {year}" in text
    assert text.index("Về việc thứ nhất") < text.index("Về việc thứ hai")


def test_a_register_of_another_agency_or_for_a_specialist_is_404(client, staff, registers, other_agency):
    from docs_office.models import Register

    signed_in(client, staff[Role.SPECIALIST])
    year = timezone.localdate().year
    assert client.get(reverse("docs_office:register_export", args=[registers["incoming"].pk, year])).status_code == 404
    client.logout()
    signed_in(client, staff[Role.LEADER])
    foreign = Register.objects.filter(agency=other_agency).first()
    assert client.get(reverse("docs_office:register_export", args=[foreign.pk, year])).status_code == 404


def test_the_demo_seed_gives_the_demo_agencies_their_registers(db):
    from docs_office.constants import RegisterKind
    from docs_office.demo import demo_office_seed
    from docs_office.models import Register
    from tests.factories import AgencyFactory

    committee = AgencyFactory(province=True)
    AgencyFactory(parent=committee, short_name="STP")
    assert demo_office_seed(stdout=lambda *_: None) == 2
    demo_office_seed(stdout=lambda *_: None)  # idempotent
    assert Register.objects.filter(agency=committee, kind=RegisterKind.OUTGOING).count() == 2
    assert Register.objects.filter(kind=RegisterKind.INCOMING).count() == 2


def test_the_register_exports_as_a_spreadsheet_with_the_official_columns(client, staff, registers):
    import io
    import zipfile
    from xml.etree import ElementTree as ET

    from docs_office.exports import INCOMING_COLUMNS

    clerk = staff[Role.RECORDS_CLERK]
    register_scan(clerk, number="7", summary="Về việc thứ nhất")
    register_scan(clerk, number="8", summary="Về việc thứ hai")
    signed_in(client, clerk)
    response = client.get(reverse("docs_office:register_export_xlsx",
                                  args=[registers["incoming"].pk, timezone.localdate().year]))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert "xl/workbook.xml" in archive.namelist()
        sheet = ET.fromstring(archive.read("xl/worksheets/sheet1.xml"))  # noqa: S314 (our own output)
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    rows = [[(c.findtext("m:is/m:t", namespaces=ns) or c.findtext("m:v", namespaces=ns)) for c in row]
            for row in sheet.iterfind("m:sheetData/m:row", ns)]
    assert rows[0] == INCOMING_COLUMNS
    assert [r[1] for r in rows[1:]] == ["01", "02"]  # Decree 30: a leading zero below 10, as the book prints
    assert rows[1][3] == "7/QĐ-UBND" and rows[2][5].endswith("Về việc thứ hai")
