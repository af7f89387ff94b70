"""The public statistics never show a rating figure that is one applicant's (or a few applicants') own rating."""

import csv
import html
import io
import re

import pytest

from reports import metrics
from tests.reports.conftest import at, make_dossier, rate

pytestmark = pytest.mark.django_db

DAY = {"ky": "tuy-chon", "tu": "2026-10-07", "den": "2026-10-07"}
NOTE = "không hiển thị khi có dưới 5 đánh giá, để không lộ đánh giá của từng người"


def _rated(procedure, agency, *levels):
    """Dossiers of `agency` returned the day before DAY and rated on DAY, one per level."""
    for level in levels:
        dossier = make_dossier(procedure=procedure, agency=agency, state="returned", received_at=at(2026, 10, 1, 9, 0),
                               due_at=at(2026, 10, 8, 17, 0), resolved_at=at(2026, 10, 5, 9, 0),
                               returned_at=at(2026, 10, 6, 9, 0))
        rate(dossier, level=level, when=at(2026, 10, 7, 9, 0))


def _api(client):
    response = client.get("/api/v1/reports/statistics/", DAY)
    assert response.status_code == 200
    data = response.json()
    return {a["agency"]: a for a in data["agencies"]}, data["total"]


def _page_cells(body: str, name: str) -> list[str]:
    """The rating cells (Hài lòng, Điểm đánh giá) of the row `name` of the agencies' table."""
    row = re.search(r'<th scope="row">' + re.escape(name) + r"</th>(.*?)</tr>", body, re.S)
    assert row, name
    return [html.unescape(cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row.group(1), re.S)][-2:]


def test_one_rating_of_a_day_shows_its_number_but_not_how_it_went(client, commune, land):
    _rated(land, commune, "unsatisfied")

    agencies, total = _api(client)
    commune_figures = agencies["UBND phường Đông Kinh"]
    assert commune_figures["rated"] == 1 and commune_figures["received"] == 0 and commune_figures["returned"] == 0
    assert commune_figures["satisfied_pct"] is None and commune_figures["rating_avg"] is None
    assert total["rated"] == 1 and total["satisfied_pct"] is None and total["rating_avg"] is None

    response = client.get("/thong-ke/", DAY)
    body = response.content.decode()
    assert response.status_code == 200
    assert _page_cells(body, "UBND phường Đông Kinh") == ["—", "—"]
    assert 'id="ghi-chu-danh-gia"' in body and NOTE in body
    assert "1,00" not in body and "0,0 %" not in body

    exported = list(csv.reader(io.StringIO(client.get("/thong-ke/xuat/co-quan.csv", DAY).content.decode("utf-8-sig"))))
    assert [row[-2:] for row in exported[1:]] == [["—", "—"], ["—", "—"]]


def test_five_ratings_of_a_day_are_shown(client, commune, land):
    _rated(land, commune, "satisfied", "satisfied", "satisfied", "unsatisfied", "unsatisfied")

    agencies, total = _api(client)
    commune_figures = agencies["UBND phường Đông Kinh"]
    assert commune_figures["rated"] == 5
    assert commune_figures["satisfied_pct"] == pytest.approx(60.0)
    assert commune_figures["rating_avg"] == pytest.approx(2.2)
    assert total["rating_avg"] == pytest.approx(2.2)

    body = client.get("/thong-ke/", DAY).content.decode()
    assert _page_cells(body, "UBND phường Đông Kinh") == ["60,0 %", "2,20"]
    assert 'id="ghi-chu-danh-gia"' not in body


def test_a_hidden_row_cannot_be_worked_back_from_the_total(client, commune, department, land):
    # The department's one rating would be the total's minus the commune's: the commune's figures go too.
    _rated(land, department, "unsatisfied")
    _rated(land, commune, *["satisfied"] * 6)

    agencies, total = _api(client)
    assert agencies["Sở Tư pháp"]["rating_avg"] is None
    assert agencies["UBND phường Đông Kinh"]["rated"] == 6 and agencies["UBND phường Đông Kinh"]["rating_avg"] is None
    assert total["rated"] == 7 and total["rating_avg"] == pytest.approx(19 / 7)


def test_the_minimum_is_a_setting(client, commune, land, settings):
    settings.EGOV_STATS_MIN_RATINGS = 1
    _rated(land, commune, "unsatisfied")

    agencies, _total = _api(client)
    assert agencies["UBND phường Đông Kinh"]["rating_avg"] == pytest.approx(1.0)


def _row(name, **levels):
    counts = dict.fromkeys(metrics.ALL_COUNTERS, 0) | {f"rating_{k}": v for k, v in levels.items()}
    return {"agency": name, **metrics.derive(counts)}


def test_the_rows_hidden_together_hold_at_least_the_minimum():
    rows = [_row("a", satisfied=1), _row("b", satisfied=2), _row("c", satisfied=9, unsatisfied=1), _row("d"),
            _row("e", acceptable=3, unsatisfied=1)]
    total = _row("total", satisfied=12, acceptable=3, unsatisfied=2)

    assert metrics.hide_few_ratings(rows, total, minimum=5) is True

    # a and b are small (3 together); e, the smallest of the rest, makes 7; c and the total stay.
    assert [row["rating_avg"] is None for row in rows] == [True, True, False, True, True]
    assert all(rows[0][name] is None for name in metrics.RATING_FIGURES)
    assert rows[0]["rated"] == 1 and total["rating_avg"] is not None
    assert metrics.hide_few_ratings([_row("a", satisfied=5)], _row("total", satisfied=5), minimum=5) is False
