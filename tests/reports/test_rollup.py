"""The daily roll-up agrees with the live counts, also after new activity, and is idempotent."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command

from reports import metrics, selectors
from reports.models import DossierDailyStat, RollupDay
from reports.services import rollup_days
from tests.reports.conftest import at, make_dossier, rate
from tests.reports.fixtures import october

pytestmark = pytest.mark.django_db

START, END = date(2026, 10, 1), date(2026, 10, 31)
GROUPS = [(), ("agency",), ("procedure",), ("channel",), ("day",), ("month",), ("agency", "procedure", "channel")]


@pytest.fixture
def data(commune, department, birth, land):
    return october(commune=commune, department=department, birth=birth, land=land)


@pytest.mark.parametrize("group", GROUPS)
def test_rolled_up_counts_equal_the_live_counts(data, group):
    rollup_days(start=START, end=END)
    assert metrics.rollup_counts(start=START, end=END, group=group) == metrics.live_counts(start=START, end=END,
                                                                                           group=group)


def test_after_new_activity_a_rerun_brings_the_rollup_level_with_the_live_counts(data, commune, land):
    rollup_days(start=START, end=END)
    late_arrival = make_dossier(procedure=land, agency=commune, state="returned", received_at=at(2026, 10, 20, 9, 0),
                                due_at=at(2026, 10, 21, 17, 0), resolved_at=at(2026, 10, 22, 9, 0),
                                returned_at=at(2026, 10, 22, 10, 0))
    rate(late_arrival, level="acceptable", when=at(2026, 10, 23, 9, 0))
    live = metrics.live_counts(start=START, end=END, group=("agency",))
    assert metrics.rollup_counts(start=START, end=END, group=("agency",)) != live

    rollup_days(start=date(2026, 10, 20), end=date(2026, 10, 23))

    assert metrics.rollup_counts(start=START, end=END, group=("agency",)) == live
    assert live[(commune.pk,)]["resolved_late"] == 3 and live[(commune.pk,)]["rating_acceptable"] == 1


def test_a_rerun_writes_the_same_rows_again(data):
    first = rollup_days(start=START, end=END)
    second = rollup_days(start=START, end=END)
    assert first == second == DossierDailyStat.objects.count()
    assert RollupDay.objects.filter(day__gte=START, day__lte=END).count() == 31


def test_period_counts_read_the_rollup_and_go_live_for_days_not_rolled_up(data, commune, land):
    rollup_days(start=START, end=date(2026, 10, 15))
    # Written after the roll-up of its day: only the live part of a period could see it.
    make_dossier(procedure=land, agency=commune, received_at=at(2026, 10, 3, 9, 0), due_at=at(2026, 10, 9, 17, 0))
    counts = metrics.period_counts(start=START, end=END, group=("agency",))
    assert counts == metrics.merge(metrics.rollup_counts(start=START, end=date(2026, 10, 15), group=("agency",)),
                                   metrics.live_counts(start=date(2026, 10, 16), end=END, group=("agency",)))
    assert counts[(commune.pk,)]["received"] == 7  # the roll-up's 7, not the live 8


def test_a_gap_in_the_rollup_falls_back_to_live_counts(data):
    rollup_days(start=START, end=date(2026, 10, 10))
    rollup_days(start=date(2026, 10, 20), end=END)
    RollupDay.objects.filter(day=date(2026, 10, 5)).delete()
    assert metrics.rolled_range(start=START, end=END) is None
    assert metrics.period_counts(start=START, end=END, group=()) == metrics.live_counts(start=START, end=END, group=())


def test_todays_activity_shows_at_once(commune, land):
    today = selectors.today()
    rollup_days(start=today - timedelta(days=3), end=today - timedelta(days=1))
    from django.utils import timezone

    make_dossier(procedure=land, agency=commune, received_at=timezone.now(), due_at=timezone.now() + timedelta(days=5))
    period = selectors.period_custom(today - timedelta(days=3), today)
    assert selectors.figures_total(period=period, agency_ids=None)["received"] == 1


def test_the_backfill_command_and_the_beat_task(data):
    call_command("reports_backfill", "--from", "2026-09-01", "--to", "2026-10-31")
    assert RollupDay.objects.count() == 61
    assert metrics.rollup_counts(start=date(2026, 9, 1), end=END, group=("agency",)) == metrics.live_counts(
        start=date(2026, 9, 1), end=END, group=("agency",))

    from reports.tasks import reports_rollup_recent_task

    reports_rollup_recent_task()
    assert RollupDay.objects.filter(day=selectors.today() - timedelta(days=1)).exists()


def test_the_backfill_command_refuses_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("reports_backfill", "--from", "2026-13-01")


# --- the coarser roll-ups the pages read --------------------------------------------------------------------

SPANS = [(START, END), (date(2026, 9, 20), date(2026, 11, 5)), (date(2026, 10, 3), date(2026, 10, 29)),
         (date(2026, 9, 1), date(2026, 11, 30))]


@pytest.fixture
def november(commune, department, birth, land):
    """Activity on both sides of October: a dossier received in September and resolved in November."""
    make_dossier(procedure=land, agency=department, state="returned", received_at=at(2026, 9, 25, 9, 0),
                 due_at=at(2026, 10, 30, 17, 0), resolved_at=at(2026, 11, 2, 9, 0), returned_at=at(2026, 11, 3, 9, 0))
    make_dossier(procedure=birth, agency=commune, channel="online", received_at=at(2026, 11, 4, 9, 0),
                 due_at=at(2026, 11, 9, 17, 0))


@pytest.mark.parametrize("span", SPANS)
@pytest.mark.parametrize("group", [(), ("agency",), ("month",), ("procedure",), ("agency", "procedure")])
def test_the_coarse_rollups_agree_with_the_live_counts_over_whole_and_partial_months(data, november, span, group):
    start, end = span
    rollup_days(start=date(2026, 9, 1), end=date(2026, 11, 30))
    assert metrics.rollup_counts(start=start, end=end, group=group) == metrics.live_counts(start=start, end=end,
                                                                                           group=group)


def test_the_coarse_rows_are_the_detailed_rows_added_up(data, november):
    from django.db.models import Sum

    from reports.models import AgencyDailyStat, ProcedureMonthlyStat

    rollup_days(start=date(2026, 9, 1), end=date(2026, 11, 30))
    # Far fewer rows: one per agency and day, one per agency, procedure and month.
    assert AgencyDailyStat.objects.count() < DossierDailyStat.objects.count()
    assert ProcedureMonthlyStat.objects.count() <= 2 * 2 * 3
    detailed = DossierDailyStat.objects.aggregate(r=Sum("received"), late=Sum("resolved_late"))
    for model in (AgencyDailyStat, ProcedureMonthlyStat):
        assert model.objects.aggregate(r=Sum("received"), late=Sum("resolved_late")) == detailed
    october_online = ProcedureMonthlyStat.objects.filter(month=START).aggregate(n=Sum("received_online"))["n"]
    assert october_online == metrics.live_counts(start=START, end=END, group=())[()]["received_online"]


def test_rolling_up_a_few_days_again_keeps_the_month_whole(data, november, commune, land):
    from reports.models import ProcedureMonthlyStat

    rollup_days(start=START, end=END)
    make_dossier(procedure=land, agency=commune, received_at=at(2026, 10, 20, 9, 0), due_at=at(2026, 10, 21, 17, 0))
    rollup_days(start=date(2026, 10, 20), end=date(2026, 10, 21))  # the nightly task's two days
    month = ProcedureMonthlyStat.objects.get(month=START, agency=commune, procedure=land)
    assert month.received == metrics.live_counts(start=START, end=END, group=("agency", "procedure"))[
        (commune.pk, land.pk)]["received"]
    assert metrics.rollup_counts(start=START, end=END, group=("procedure",)) == metrics.live_counts(
        start=START, end=END, group=("procedure",))
