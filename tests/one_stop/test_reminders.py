from unittest import mock

import pytest

from egov.accounts.roles import Role
from egov.notifications.models import Notification, ReminderRun
from egov.workdays.models import CalendarDay, DayKind
from one_stop.services.dossiers import dossier_act
from one_stop.services.reminders import dossiers_remind_due
from one_stop.tasks import dossiers_remind_due_task
from tests.factories import AgencyFactory, UserFactory
from tests.one_stop.factories import at_local, receive_at_counter

pytestmark = pytest.mark.django_db


def test_each_handler_is_told_of_the_dossiers_due_within_two_working_days(staff, procedure,
                                                                         django_capture_on_commit_callbacks):
    soon = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))  # due Monday 9 March
    later = receive_at_counter(staff, procedure, at_local(2026, 3, 6, 9, 0))  # due Friday 13 March
    returned = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 5))
    for action, role in (("start", Role.SPECIALIST), ("resolve", Role.LEADER), ("return_result", Role.ONE_STOP_CLERK)):
        returned = dossier_act(dossier=returned, user=staff[role], action=action)
    UserFactory(agency=AgencyFactory(), roles=[Role.SPECIALIST])  # another agency: told nothing
    with django_capture_on_commit_callbacks(execute=True), \
            mock.patch("django.utils.timezone.now", return_value=at_local(2026, 3, 5, 7, 0)):  # Thursday
        sent = dossiers_remind_due()
    assert sent == 3  # specialist, head and leader of the agency
    notes = Notification.objects.filter(recipient__agency=staff[Role.SPECIALIST].agency)
    assert notes.count() == 3
    body = notes.first().body
    assert soon.code in body and later.code not in body and returned.code not in body


def test_the_reminder_runs_a_bounded_number_of_queries_whatever_the_number_of_dossiers(
        staff, procedure, django_assert_max_num_queries):
    for minute in range(6):
        receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, minute))
    with mock.patch("django.utils.timezone.now", return_value=at_local(2026, 3, 5, 7, 0)), \
            django_assert_max_num_queries(2 + 3 + 3 * 4):  # the calendar and the day's claim, three reads, then each of
        # 3 handlers' notification writes
        assert dossiers_remind_due() == 3


def test_a_handler_who_chose_english_is_reminded_in_english(staff, procedure):
    from django.utils import translation
    from django.utils.translation import ngettext

    from egov.accounts.services import user_language_set

    user_language_set(user=staff[Role.LEADER], language="en")
    receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    with mock.patch("django.utils.timezone.now", return_value=at_local(2026, 3, 5, 7, 0)):
        assert dossiers_remind_due() == 3
    with translation.override("en"):
        english = ngettext("%(n)s hồ sơ đến hạn trong 2 ngày làm việc", "%(n)s hồ sơ đến hạn trong 2 ngày làm việc",
                           1) % {"n": 1}
    assert Notification.objects.get(recipient=staff[Role.LEADER]).subject == english != "1 hồ sơ đến hạn trong 2 ngày làm việc"
    assert Notification.objects.get(recipient=staff[Role.SPECIALIST]).subject == "1 hồ sơ đến hạn trong 2 ngày làm việc"


# Found in review: the reminder sent everything again on a redelivered task or a second beat, and the beat's
# mon-sat sent it on ordinary Saturdays and Tết weekdays.


def test_a_second_run_the_same_morning_sends_nothing(staff, procedure):
    receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    with mock.patch("django.utils.timezone.now", return_value=at_local(2026, 3, 5, 7, 0)):
        assert dossiers_remind_due_task() == 3
    with mock.patch("django.utils.timezone.now", return_value=at_local(2026, 3, 5, 7, 3)):
        assert dossiers_remind_due_task() == 0  # acks_late + reject_on_worker_lost redelivery, or a second beat
    assert Notification.objects.count() == 3
    assert ReminderRun.objects.filter(reminder="one_stop.remind_due").count() == 1
    with mock.patch("django.utils.timezone.now", return_value=at_local(2026, 3, 6, 7, 0)):
        assert dossiers_remind_due_task() == 3  # the next morning is another day
    assert Notification.objects.count() == 6


@pytest.mark.parametrize(("received", "morning"), [
    ((2026, 3, 2), (2026, 3, 7)),  # an ordinary Saturday, a dossier due Monday 09/03
    ((2026, 2, 9), (2026, 2, 17)),  # Tuesday of Tết, a dossier due Monday 23/02
])
def test_no_reminder_on_a_day_off(staff, procedure, received, morning):
    receive_at_counter(staff, procedure, at_local(*received, 9, 0))
    with mock.patch("django.utils.timezone.now", return_value=at_local(*morning, 7, 0)):
        assert dossiers_remind_due_task() == 0
    assert not Notification.objects.exists() and not ReminderRun.objects.exists()


def test_a_make_up_saturday_is_a_working_morning(staff, procedure):
    # Sat 22/08/2026 is worked for Mon 31/08/2026 off (the holidays package's weekend_workdays).
    receive_at_counter(staff, procedure, at_local(2026, 8, 17, 9, 0))  # due Saturday 22/08
    with mock.patch("django.utils.timezone.now", return_value=at_local(2026, 8, 22, 7, 0)):
        assert dossiers_remind_due_task() == 3
    assert Notification.objects.count() == 3


def test_an_admin_day_off_silences_the_reminder(staff, procedure):
    receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    CalendarDay.objects.create(date=at_local(2026, 3, 5, 7, 0).date(), kind=DayKind.DAY_OFF, note="nghỉ bù")
    with mock.patch("django.utils.timezone.now", return_value=at_local(2026, 3, 5, 7, 0)):
        assert dossiers_remind_due_task() == 0
    assert not Notification.objects.exists()
