"""The figures against October 2026 counted by hand (tests/reports/fixtures.py)."""

import pytest

from reports import metrics, selectors
from tests.reports.fixtures import NOW, october

pytestmark = pytest.mark.django_db

OCTOBER = selectors.period_month(2026, 10)


@pytest.fixture
def data(commune, department, birth, land):
    return october(commune=commune, department=department, birth=birth, land=land)


def _by_agency(agency_ids=None):
    return selectors.figures_by(period=OCTOBER, group=("agency",), agency_ids=agency_ids, now=NOW)


def test_counts_per_channel_of_the_commune(data, commune):
    figures = _by_agency()[(commune.pk,)]
    assert (figures["received"], figures["received_counter"], figures["received_online"], figures["received_post"]) == (
        7, 4, 2, 1)
    assert figures["received_fully_online"] == 2
    assert figures["online_pct"] == pytest.approx(200 / 7)


def test_on_time_and_late_around_the_due_minute_and_the_postponed_dossier(data, commune):
    figures = _by_agency()[(commune.pk,)]
    # d1 at the due minute and d4, d8 early are on time; d2 one minute late and d3 (postponed) are late.
    assert (figures["resolved_on_time"], figures["resolved_late"], figures["resolved"]) == (3, 2, 5)
    assert figures["on_time_pct"] == pytest.approx(60.0)


def test_closing_payments_ratings_and_digitisation(data, commune):
    figures = _by_agency()[(commune.pk,)]
    assert (figures["returned"], figures["refused"], figures["withdrawn"]) == (2, 1, 1)
    assert (figures["paid_online"], figures["received_with_fee"], figures["paid_online_pct"]) == (1, 2, 50.0)
    assert (figures["rating_satisfied"], figures["rating_unsatisfied"], figures["satisfied_pct"]) == (1, 1, 50.0)
    assert figures["rating_avg"] == pytest.approx(2.0)
    assert (figures["resolved_e_result"], figures["e_result_pct"]) == (1, 20.0)
    assert figures["received_digitised"] == 1


def test_in_progress_and_overdue_now(data, commune, department):
    by_agency = _by_agency()
    assert (by_agency[(commune.pk,)]["in_progress"], by_agency[(commune.pk,)]["overdue"]) == (1, 1)
    # The dossier waiting for a supplement is in progress but never overdue: its clock is stopped.
    assert (by_agency[(department.pk,)]["in_progress"], by_agency[(department.pk,)]["overdue"]) == (2, 0)


def test_shares_with_nothing_to_divide_by_are_none_not_zero(data, department):
    figures = _by_agency()[(department.pk,)]
    assert figures["received"] == 1 and figures["resolved"] == 0
    assert figures["on_time_pct"] is None
    assert figures["satisfied_pct"] is None and figures["rating_avg"] is None
    assert figures["paid_online_pct"] is None


def test_the_total_adds_up_the_agencies(data):
    total = selectors.figures_total(period=OCTOBER, agency_ids=None, now=NOW)
    assert (total["received"], total["resolved_on_time"], total["resolved_late"]) == (8, 3, 2)
    assert (total["in_progress"], total["overdue"]) == (3, 1)


def test_days_follow_the_province_clock_not_utc(data, commune):
    # d6 was received at 23:30 on 31 October in Vietnam (16:30 UTC): October, not November.
    november = selectors.period_month(2026, 11)
    assert selectors.figures_by(period=november, group=("agency",), agency_ids=None, now=NOW).get(
        (commune.pk,), {}).get("received", 0) == 0
    day = metrics.live_counts(start=OCTOBER.end, end=OCTOBER.end, group=("agency",))
    assert day[(commune.pk,)]["received"] == 1


def test_percentages_show_a_dash_on_the_public_page(client, data):
    response = client.get("/thong-ke/", {"ky": "thang", "nam": 2026, "thang": 10})
    assert response.status_code == 200
    rows = {r["agency"]: r for r in response.context["rows"]}
    assert rows["Sở Tư pháp"]["on_time_pct"] is None
    table = response.content.decode()
    assert "—" in table and "60,0 %" in table
