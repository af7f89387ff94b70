"""The API refuses what it cannot filter by, in words its callers can act on (found by exploratory testing: an unknown
state listed nothing with 200, the date message named only the day-first form, an unknown type code read
"Không tồn tại đối tượng có code=zzz.")."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from docs_office.filters import list_filters_parse
from egov.accounts.roles import Role
from tests.docs_office.factories import register_scan

pytestmark = pytest.mark.django_db
INCOMING, OUTGOING = "/api/v1/incoming-documents/", "/api/v1/outgoing-documents/"
UNKNOWN_TYPE = "Loại văn bản không có trong danh mục."


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.mark.parametrize("resource", [INCOMING, OUTGOING])
def test_an_unknown_state_is_a_400_naming_it(staff, resource):
    register_scan(staff[Role.RECORDS_CLERK])

    response = _api(staff[Role.LEADER]).get(resource, {"state": "xyz"})

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"state": ["Trạng thái không hợp lệ."]}


@pytest.mark.parametrize(("resource", "state"), [(INCOMING, "registered"), (OUTGOING, "draft")])
def test_a_known_state_still_filters(staff, resource, state):
    register_scan(staff[Role.RECORDS_CLERK])

    response = _api(staff[Role.LEADER]).get(resource, {"state": state})

    assert response.status_code == 200
    assert all(item["state"] == state for item in response.json()["results"])


def test_an_unknown_state_on_a_later_page_is_refused_too(staff):
    response = _api(staff[Role.LEADER]).get(INCOMING, {"state": "xyz", "cursor": "cD0yMDI2"})

    assert response.status_code == 400


def test_the_date_message_names_both_forms_accepted():
    _filters, errors = list_filters_parse({"from": "20/13/2026"})

    assert errors == {"from": ["Ngày không hợp lệ: nhập theo dạng năm-tháng-ngày (YYYY-MM-DD) hoặc ngày/tháng/năm "
                               "(DD/MM/YYYY)."]}


def test_an_unknown_document_type_is_named_as_the_catalogues_when_registering(staff):
    response = _api(staff[Role.RECORDS_CLERK]).post(INCOMING, {
        "number": "15", "issuer_name": "UBND tỉnh Lạng Sơn", "document_type": "zzz", "summary": "Về việc",
        "issued_on": (timezone.localdate() - timedelta(days=1)).isoformat()}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["document_type"] == [UNKNOWN_TYPE]


@pytest.mark.parametrize("code", ["zzz", 12])
def test_an_unknown_document_type_is_named_as_the_catalogues_when_drafting(staff, code):
    response = _api(staff[Role.SPECIALIST]).post(OUTGOING, {
        "document_type": code, "summary": "V/v báo cáo", "composition": {"body": "Nội dung", "signer_name": "A"}},
        format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["document_type"] == [UNKNOWN_TYPE]
