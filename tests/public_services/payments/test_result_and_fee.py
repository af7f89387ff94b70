"""A full-online (toàn trình) e-result reaches its applicant once the fee due is paid; staff see whether it is.

The payment state reaches one_stop through its DOSSIER_PAYMENT_STATUS registry, which the payments app fills."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from egov.accounts.roles import Role
from one_stop.catalogue.data import ProcedureData
from one_stop.constants import DocumentKind
from one_stop.models import Dossier, DossierDocument
from one_stop.services.catalogue import procedure_upsert
from one_stop.services.documents import dossier_document_add
from one_stop.services.dossiers import dossier_act, dossier_submit_online
from public_services.payments.providers.base import IpnOutcome
from public_services.payments.services import payment_ipn_process
from tests.factories import UserFactory
from tests.one_stop.factories import at_local
from tests.pdfs import MINIMAL_PDF
from tests.public_services.payments.conftest import FEE, gateway_params, lapse

pytestmark = pytest.mark.django_db

HELD = "Hồ sơ chưa nộp phí, lệ phí"


def _procedure(*, level: str, fee: int, code: str):
    return procedure_upsert(data=ProcedureData(code=code, name="Thủ tục cấp bản sao trích lục hộ tịch", field="Hộ tịch",
                                               processing_days=3, fee_vnd=fee, online_level=level),
                            effective_from=at_local(2025, 7, 1, 0, 0))[0]


def _resolved(*, citizen, agency, level: str = "full", fee: int = FEE, code: str = "2.000001") -> tuple:
    """An online dossier received, handled and resolved with its result (signed, as the leader's signature leaves a
    full-online one); the result document."""
    clerk = UserFactory(agency=agency, roles=[Role.ONE_STOP_CLERK])
    specialist = UserFactory(agency=agency, roles=[Role.SPECIALIST])
    dossier = dossier_submit_online(citizen=citizen, procedure=_procedure(level=level, fee=fee, code=code),
                                    handling_agency=agency)
    dossier = dossier_act(dossier=dossier, user=clerk, action="receive")
    dossier = dossier_act(dossier=dossier, user=specialist, action="start")
    result = dossier_document_add(dossier=dossier, user=specialist, kind=DocumentKind.RESULT,
                                  file=SimpleUploadedFile("ket-qua.pdf", MINIMAL_PDF, content_type="application/pdf"))
    DossierDocument.objects.filter(pk=result.pk).update(signed=True, verification_token="t" * 32)
    Dossier.objects.filter(pk=dossier.pk).update(state="resolved")
    dossier.refresh_from_db()
    return dossier, result


def _pay(dossier, citizen):
    from public_services.payments.services import payment_start

    payment = payment_start(dossier=dossier, payer=citizen, ip_address="203.0.113.7", return_url="http://testserver/r/",
                            gateway_url="http://testserver/g/")
    assert payment_ipn_process(params=gateway_params(payment)) == IpnOutcome.CONFIRMED
    return payment


def _citizen_sees(client, citizen, dossier, result) -> tuple[str, int, list]:
    client.force_login(citizen)
    page = client.get(reverse("public_services:dossier", args=[dossier.code])).content.decode()
    download = client.get(reverse("public_services:document", args=[dossier.code, result.pk])).status_code
    api = client.get(f"/api/v1/my/dossiers/{dossier.code}/").json()
    return page, download, [d["id"] for d in api["documents"] if d["kind"] == "result"]


def test_an_unpaid_full_online_result_is_held_back_and_the_page_leads_to_the_payment(client, citizen, agency):
    dossier, result = _resolved(citizen=citizen, agency=agency)

    page, download, api_results = _citizen_sees(client, citizen, dossier, result)

    assert HELD in page and reverse("payments:dossier", args=[dossier.code]) in page
    assert reverse("public_services:document", args=[dossier.code, result.pk]) not in page
    assert download == 404 and api_results == []
    assert client.get(f"/api/v1/my/dossiers/{dossier.code}/documents/{result.pk}/").status_code == 404


def test_once_paid_the_full_online_result_is_released(client, citizen, agency):
    dossier, result = _resolved(citizen=citizen, agency=agency)

    _pay(dossier, citizen)

    page, download, api_results = _citizen_sees(client, citizen, dossier, result)
    assert HELD not in page and download == 200 and api_results == [result.pk]
    assert "bản điện tử có chữ ký số" in page


def test_a_free_full_online_result_is_not_held(client, citizen, agency):
    dossier, result = _resolved(citizen=citizen, agency=agency, fee=0)

    page, download, api_results = _citizen_sees(client, citizen, dossier, result)

    assert HELD not in page and download == 200 and api_results == [result.pk]


def test_an_exempted_full_online_result_is_not_held(client, citizen, agency):
    dossier, result = _resolved(citizen=citizen, agency=agency)
    Dossier.objects.filter(pk=dossier.pk).update(fee_vnd=0, fee_note="Hộ nghèo")

    _page, download, _api = _citizen_sees(client, citizen, dossier, result)

    assert download == 200


def test_a_result_collected_on_paper_at_the_counter_is_not_held_while_unpaid(client, citizen, agency):
    dossier, result = _resolved(citizen=citizen, agency=agency, level="partial", code="2.000002")

    page, download, api_results = _citizen_sees(client, citizen, dossier, result)

    assert HELD not in page and download == 200 and api_results == [result.pk]


def test_the_staff_page_says_whether_the_fee_was_paid(client, citizen, agency):
    dossier, _result = _resolved(citizen=citizen, agency=agency)
    staff = UserFactory(agency=agency, roles=[Role.ONE_STOP_CLERK])
    client.force_login(staff)
    url = reverse("one_stop_staff:dossier", args=[dossier.code])

    assert "Chưa nộp phí, lệ phí (50.000 đồng)" in client.get(url).content.decode()

    payment = _pay(dossier, citizen)
    payment.refresh_from_db()
    page = client.get(url).content.decode()
    assert "Chưa nộp phí, lệ phí" not in page
    assert "Đã thanh toán 50.000 đồng lúc" in page and f"biên lai số {payment.receipt_number}" in page


def test_the_staff_page_runs_the_same_queries_whatever_the_payments(client, citizen, agency):
    from public_services.payments.services import payment_start

    unpaid, _ = _resolved(citizen=citizen, agency=agency)
    paid, _ = _resolved(citizen=citizen, agency=agency, code="2.000003")
    for _attempt in range(2):  # two attempts that lapsed, then the one paid
        lapse(payment_start(dossier=paid, payer=citizen, ip_address="", return_url="http://x/", gateway_url="http://g/"))
    _pay(paid, citizen)
    client.force_login(UserFactory(agency=agency, roles=[Role.ONE_STOP_CLERK]))

    counts = []
    for dossier in (unpaid, paid):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("one_stop_staff:dossier", args=[dossier.code])).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_without_a_payment_app_one_stop_shows_no_payment_state_and_holds_nothing(client, citizen, agency, monkeypatch):
    from one_stop import selectors

    dossier, result = _resolved(citizen=citizen, agency=agency)
    monkeypatch.setattr(selectors, "DOSSIER_PAYMENT_STATUS", [])

    client.force_login(UserFactory(agency=agency, roles=[Role.ONE_STOP_CLERK]))
    assert "data-payment-status" not in client.get(reverse("one_stop_staff:dossier", args=[dossier.code])).content.decode()
    assert selectors.dossier_result_held_for_fee(dossier=dossier) is False
