"""The lists filter by document type and a range of document dates, beside the search (issue: "search by symbol,
summary, issuing agency, date range, type"): pages, API, and the fast statements of the incoming list alike."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from docs_office.filters import list_filters_parse
from egov.accounts.roles import Role
from tests.docs_office.factories import doc_type, register_scan
from tests.docs_office.test_views import signed_in

pytestmark = pytest.mark.django_db
INCOMING, OUTGOING = "/api/v1/incoming-documents/", "/api/v1/outgoing-documents/"


@pytest.fixture
def incoming(staff):
    clerk = staff[Role.RECORDS_CLERK]
    return {
        "decision": register_scan(clerk, number="1", symbol="QĐ-UBND", document_type=doc_type("quyet-dinh"),
                                  issued_on=date(2026, 3, 2), summary="Quyết định về hội nghị tổng kết"),
        "letter": register_scan(clerk, number="2", symbol="UBND-VP", document_type=doc_type("cong-van"),
                                issued_on=date(2026, 3, 20), summary="V/v chuẩn bị hội nghị tổng kết"),
        "plan": register_scan(clerk, number="3", symbol="KH-UBND", document_type=doc_type("ke-hoach"),
                              issued_on=date(2026, 5, 5), summary="Kế hoạch cải cách hành chính"),
    }


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


CASES = [
    ({"type": "cong-van"}, {"letter"}),
    ({"from": "2026-03-10"}, {"letter", "plan"}),
    ({"from": "01/03/2026", "to": "31/03/2026"}, {"decision", "letter"}),
    ({"to": "2026-03-02"}, {"decision"}),
    ({"q": "hoi nghi", "from": "2026-03-10"}, {"letter"}),
    ({"q": "hoi nghi", "type": "quyet-dinh"}, {"decision"}),
    ({"q": "QĐ-UBND", "to": "2026-12-31"}, {"decision"}),
    ({"type": "quyet-dinh", "from": "2026-04-01"}, set()),
]


@pytest.mark.parametrize(("params", "expected"), CASES)
def test_the_incoming_list_page_and_api_filter_alike(client, staff, incoming, params, expected):
    clerk = staff[Role.RECORDS_CLERK]
    signed_in(client, clerk)
    page = client.get(reverse("docs_office:incoming_list"), params)
    assert page.status_code == 200
    shown = {name for name, document in incoming.items() if f"/van-ban/den/{document.pk}/" in page.content.decode()}
    assert shown == expected
    api = _api(clerk).get(INCOMING, params).json()["results"]
    assert {item["id"] for item in api} == {incoming[name].pk for name in expected}


def test_the_page_keeps_the_filters_in_its_form_and_says_what_is_wrong(client, staff, incoming):
    signed_in(client, staff[Role.RECORDS_CLERK])
    page = client.get(reverse("docs_office:incoming_list"), {"type": "cong-van", "from": "01/03/2026", "to": "31/02/2026"})
    html = page.content.decode()
    assert page.status_code == 200
    assert '<option value="cong-van" selected>' in html and 'value="2026-03-01"' in html
    assert "Ngày không hợp lệ" in html  # 31 February: the end of the range is not applied
    assert f"/van-ban/den/{incoming['plan'].pk}/" not in html


@pytest.mark.parametrize(("params", "field"), [({"from": "hôm qua"}, "from"), ({"to": "2026-02-30"}, "to"),
                                               ({"type": "khong-co"}, "type"), ({"from": "0001-01-01"}, "from"),
                                               ({"from": "2026-05-01", "to": "2026-04-01"}, "to")])
def test_the_api_refuses_a_wrong_filter_naming_it(staff, params, field):
    for url in (INCOMING, OUTGOING):
        response = _api(staff[Role.RECORDS_CLERK]).get(url, params)
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "invalid_filter" and field in response.json()["error"]["fields"]


def test_the_outgoing_list_filters_by_type_and_the_date_issued(client, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from docs_office.models import OutgoingDocument
    from docs_office.services.outgoing import outgoing_create
    from tests.docs_office.factories import TINY_PDF

    def draft(type_code, summary):
        return outgoing_create(drafter=staff[Role.SPECIALIST], document_type=doc_type(type_code), summary=summary,
                               upload=SimpleUploadedFile("d.pdf", TINY_PDF, content_type="application/pdf"))

    march, may = draft("cong-van", "Công văn tháng ba"), draft("quyet-dinh", "Quyết định tháng năm")
    unissued = draft("cong-van", "Dự thảo chưa ban hành")
    zone = timezone.get_current_timezone()
    OutgoingDocument.objects.filter(pk=march.pk).update(issued_at=timezone.datetime(2026, 3, 31, 23, 30, tzinfo=zone))
    OutgoingDocument.objects.filter(pk=may.pk).update(issued_at=timezone.datetime(2026, 5, 5, 9, 0, tzinfo=zone))
    leader = staff[Role.LEADER]
    api = _api(leader)
    assert {d["id"] for d in api.get(OUTGOING, {"type": "cong-van"}).json()["results"]} == {march.pk, unissued.pk}
    # The local date counts: 23:30 on 31 March in Việt Nam is 31 March, whatever UTC says.
    assert {d["id"] for d in api.get(OUTGOING, {"to": "2026-03-31"}).json()["results"]} == {march.pk}
    assert {d["id"] for d in api.get(OUTGOING, {"from": "2026-04-01"}).json()["results"]} == {may.pk}
    signed_in(client, leader)
    html = client.get(reverse("docs_office:outgoing_list"), {"from": "2026-04-01"}).content.decode()
    assert "Quyết định tháng năm" in html and "Công văn tháng ba" not in html


def test_dates_are_read_as_typed_or_as_the_date_input_sends_them():
    filters, errors = list_filters_parse({"from": " 2026-3-2 ", "to": "5/5/2026"})
    assert errors == {} and (filters.date_from, filters.date_to) == (date(2026, 3, 2), date(2026, 5, 5))
    assert not list_filters_parse({})[0]
