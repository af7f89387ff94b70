from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from egov.core.errors import ApplicationError
from portal.models import CalendarEntry
from portal.selectors import week_monday
from portal.services.calendar import calendar_entry_cancel, calendar_entry_save
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# ISO week 48 of 2026 runs from Monday 23 to Sunday 29 November.
WEEK = "2026-W48"


def _entry(agency, by, *, day=date(2026, 11, 24), start=time(8, 0), published=True, **fields):
    defaults = {"content": "Họp giao ban", "place": "Phòng họp số 1", "participants": "Giám đốc Sở"}
    entry = CalendarEntry(agency=agency, date=day, start_time=start, is_published=published, **{**defaults, **fields})
    return calendar_entry_save(entry=entry, by=by)


def _edit(entry, by, **changes):
    entry = CalendarEntry.objects.get(pk=entry.pk)
    for field, value in changes.items():
        setattr(entry, field, value)
    return calendar_entry_save(entry=entry, by=by)


def test_the_week_runs_monday_to_sunday_and_nothing_outside_it(client, agency, editor):
    _entry(agency, editor, day=date(2026, 11, 22), content="Chủ nhật tuần trước")
    _entry(agency, editor, day=date(2026, 11, 23), content="Thứ hai đầu tuần")
    _entry(agency, editor, day=date(2026, 11, 29), content="Chủ nhật cuối tuần")
    _entry(agency, editor, day=date(2026, 11, 30), content="Thứ hai tuần sau")

    page = client.get(reverse("portal:calendar"), {"tuan": WEEK}).content.decode()

    assert "Thứ hai đầu tuần" in page and "Chủ nhật cuối tuần" in page
    assert "Chủ nhật tuần trước" not in page and "Thứ hai tuần sau" not in page
    assert "Tuần từ 23/11/2026 đến 29/11/2026" in page
    assert "?tuan=2026-W47" in page and "?tuan=2026-W49" in page


def test_the_year_boundary_week_belongs_to_the_iso_year(client, agency, editor):
    # 2026-W53 is Monday 28 December 2026 to Sunday 3 January 2027.
    _entry(agency, editor, day=date(2027, 1, 3), content="Trực Tết Dương lịch")
    page = client.get(reverse("portal:calendar"), {"tuan": "2026-W53"}).content.decode()
    assert "Trực Tết Dương lịch" in page and "?tuan=2027-W01" in page


@pytest.mark.parametrize("week", ["2026-W99", "9999-W52", "0001-W01"])  # the last week of year 9999 was a 500
def test_a_week_that_is_not_a_week_says_so_in_vietnamese_with_a_400(client, week):
    response = client.get(reverse("portal:calendar"), {"tuan": week})
    assert response.status_code == 400
    assert "không hợp lệ" in response.content.decode()


def test_unpublished_entries_stay_off_the_public_page(client, agency, editor):
    _entry(agency, editor, content="Lịch nội bộ chưa công khai", published=False)
    assert "Lịch nội bộ chưa công khai" not in client.get(reverse("portal:calendar"), {"tuan": WEEK}).content.decode()


def test_the_page_filters_by_agency(client, agency, other_agency, editor):
    other_office = UserFactory(agency=other_agency, roles=["editor"])
    _entry(agency, editor, content="Lịch Sở Tư pháp")
    _entry(other_agency, other_office, content="Lịch Sở Xây dựng")
    page = client.get(reverse("portal:calendar"), {"tuan": WEEK, "co-quan": agency.exchange_code}).content.decode()
    assert "Lịch Sở Tư pháp" in page and "Lịch Sở Xây dựng" not in page


def test_changes_after_publication_are_flagged_with_what_it_was(client, agency, editor):
    entry = _entry(agency, editor)
    entry = _edit(entry, editor, start_time=time(14, 0), place="Hội trường tầng 3")

    assert entry.revisions == {"start_time": "08:00", "place": "Phòng họp số 1"}
    assert entry.revised_at is not None
    page = client.get(reverse("portal:calendar"), {"tuan": WEEK}).content.decode()
    assert "Điều chỉnh" in page and "trước đây: 08:00" in page and "trước đây: Phòng họp số 1" in page
    assert "Hội trường tầng 3" in page


def test_a_second_change_keeps_the_originally_published_value_and_going_back_clears_the_flag(agency, editor):
    entry = _entry(agency, editor)
    entry = _edit(entry, editor, place="Phòng họp số 2")
    entry = _edit(entry, editor, place="Phòng họp số 3")
    assert entry.revisions == {"place": "Phòng họp số 1"}
    entry = _edit(entry, editor, place="Phòng họp số 1")
    assert entry.revisions == {}


def test_edits_before_publication_are_not_changes(agency, editor):
    entry = _entry(agency, editor, published=False)
    entry = _edit(entry, editor, place="Phòng khác", is_published=True)
    assert entry.revisions == {} and entry.published_at is not None


def test_every_version_is_kept_in_the_history(agency, editor):
    entry = _entry(agency, editor)
    _edit(entry, editor, place="Phòng họp số 2")
    places = list(entry.history.order_by("pgh_id").values_list("place", flat=True))
    assert places == ["Phòng họp số 1", "Phòng họp số 2"]


def test_a_cancelled_entry_stays_struck_through(client, agency, editor):
    entry = _entry(agency, editor, content="Hội nghị bị hoãn")
    calendar_entry_cancel(entry=entry, by=editor, reason="Lãnh đạo đi công tác")
    page = client.get(reverse("portal:calendar"), {"tuan": WEEK}).content.decode()
    assert 'class="calendar-entry cancelled"' in page and "Đã hủy" in page and "Lãnh đạo đi công tác" in page
    with pytest.raises(ApplicationError):
        calendar_entry_cancel(entry=CalendarEntry.objects.get(pk=entry.pk), by=editor)


def test_the_office_of_another_agency_cannot_touch_the_calendar(agency, other_agency, editor):
    other_office = UserFactory(agency=other_agency, roles=["editor"])
    entry = _entry(agency, editor)
    with pytest.raises(ApplicationError) as refused:
        _edit(entry, other_office, place="Nơi khác")
    assert refused.value.status == 403
    with pytest.raises(ApplicationError):
        _entry(agency, other_office)
    with pytest.raises(ApplicationError):
        calendar_entry_cancel(entry=entry, by=other_office)
    specialist = UserFactory(agency=agency, roles=["specialist"])  # same agency, no calendar permission
    with pytest.raises(ApplicationError):
        _entry(agency, specialist)


def test_an_end_before_the_start_is_refused(agency, editor):
    with pytest.raises(ApplicationError, match="Giờ kết thúc phải sau giờ bắt đầu"):
        _entry(agency, editor, start=time(9, 0), end_time=time(8, 0))


def test_the_admin_list_shows_only_the_office_s_own_agency(client, agency, other_agency, editor):
    other_office = UserFactory(agency=other_agency, roles=["editor"])
    _entry(agency, editor, content="Lịch của cơ quan mình")
    _entry(other_agency, other_office, content="Lịch của cơ quan khác")
    client.force_login(editor)
    page = client.get(reverse("admin:portal_calendarentry_changelist")).content.decode()
    assert "Lịch của cơ quan mình" in page and "Lịch của cơ quan khác" not in page


@pytest.mark.parametrize("rows", [1, 20])
def test_the_week_page_runs_a_constant_number_of_queries(client, agency, editor, rows, django_assert_max_num_queries):
    for n in range(rows):
        entry = _entry(agency, editor, day=date(2026, 11, 23 + n % 7), start=time(7 + n % 10, 0), content=f"Việc {n}")
        if n % 3 == 0:
            _edit(entry, editor, place="Đổi chỗ")
    with django_assert_max_num_queries(5):
        response = client.get(reverse("portal:calendar"), {"tuan": WEEK})
    assert response.content.decode().count('class="calendar-entry') == rows


@given(day=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)))
def test_every_day_falls_in_the_iso_week_the_page_names_for_it(day):
    from portal.views import _iso_week, _parse_week

    monday = week_monday(day)
    assert monday.weekday() == 0 and monday <= day <= monday + timedelta(days=6)
    assert _parse_week(_iso_week(monday)) == monday
    assert _iso_week(monday) == f"{day.isocalendar().year}-W{day.isocalendar().week:02d}"
