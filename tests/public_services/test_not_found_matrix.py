"""A citizen gets 404, never 403, on every desk page under /mot-cua/ and on another citizen's payment and result pages.

Each row is also asked by someone entitled to it (the clerk of the dossier's agency, or the owner), so a row that
answers 404 to everybody — a mistyped URL — fails instead of passing for the wrong reason.
"""

from datetime import date

import pytest

from egov.accounts.roles import Role
from one_stop.constants import DocumentKind, DossierState
from one_stop.services.documents import dossier_document_add
from one_stop.services.dossiers import dossier_act
from tests.public_services.conftest import make_procedure, pdf_file

pytestmark = pytest.mark.django_db

# (method, URL template, who may use it). {code}: the dossier; {doc}: its submitted file; {result}: an unapproved
# result file; {txn}: a pending payment of the owner.
DESK_ROWS = [
    ("get", "/mot-cua/ho-so/", "clerk"),
    ("get", "/mot-cua/tiep-nhan/", "clerk"),
    ("get", "/mot-cua/tiep-nhan/thanh-phan/?procedure=1.001193", "clerk"),
    ("get", "/mot-cua/truc-tuyen/", "clerk"),
    ("get", "/mot-cua/ho-so/{code}/", "clerk"),
    ("get", "/mot-cua/ho-so/{code}/tep/{doc}/", "clerk"),
    ("get", "/mot-cua/ho-so/{code}/tep/{result}/", "specialist"),
    ("get", "/mot-cua/ho-so/{code}/giay-tiep-nhan.pdf", "clerk"),
    ("get", "/mot-cua/ho-so/{code}/phieu-kiem-soat.pdf", "clerk"),
    ("get", "/mot-cua/ho-so/{code}/phieu-xin-loi.pdf", None),  # only once postponed
    ("get", "/mot-cua/ho-so/{code}/phieu-thong-bao.pdf", None),  # only for a supplement request or a refusal
    ("get", "/mot-cua/so-theo-doi/{today}.pdf", "clerk"),
    ("post", "/mot-cua/ho-so/{code}/thao-tac/withdraw/", "clerk"),
    ("post", "/mot-cua/ho-so/{code}/hoan-thanh-buoc/", "specialist"),
    ("post", "/mot-cua/ho-so/{code}/chuyen/", "clerk"),
    ("post", "/mot-cua/ho-so/{code}/hen-lai/", "clerk"),
    ("post", "/mot-cua/ho-so/{code}/tai-len/result/", "specialist"),
    ("post", "/mot-cua/ho-so/{code}/trinh-ky-ket-qua/", "specialist"),
]
PORTAL_ROWS = [
    ("get", "/thanh-toan/ho-so/{code}/", "owner"),
    ("post", "/thanh-toan/ho-so/{code}/", "owner"),
    ("get", "/thanh-toan/giao-dich/{txn}/chuyen-cong/", "owner"),
    ("get", "/thanh-toan/giao-dich/{txn}/trang-thai/", "owner"),
    ("get", "/dich-vu-cong/ho-so-cua-toi/{code}/tep/{doc}/", "owner"),
    ("get", "/api/v1/dossiers/{code}/payments/", "owner"),
    ("post", "/api/v1/dossiers/{code}/payments/", "owner"),
]


@pytest.fixture
def world(citizen, commune, desk):
    """The citizen's fee-paying dossier, received and in progress, with a file, an unapproved result and a payment."""
    from one_stop.services.dossiers import dossier_submit_online
    from public_services.payments.services import payment_start

    procedure = make_procedure(code="1.001193", online_level="partial", processing_days=5, fee_vnd=50_000)
    dossier = dossier_submit_online(citizen=citizen, procedure=procedure, handling_agency=commune)
    dossier_act(dossier=dossier, user=desk[Role.ONE_STOP_CLERK], action="receive")
    document = dossier_document_add(dossier=dossier, user=desk[Role.ONE_STOP_CLERK], file=pdf_file())
    dossier_act(dossier=dossier, user=desk[Role.SPECIALIST], action="start")
    result = dossier_document_add(dossier=dossier, user=desk[Role.SPECIALIST], file=pdf_file("ket-qua.pdf"),
                                  kind=DocumentKind.RESULT)
    payment = payment_start(dossier=dossier, payer=citizen, ip_address="203.0.113.7",
                            return_url="http://testserver/thanh-toan/ket-qua/",
                            gateway_url="http://testserver/thanh-toan/cong-thu-nghiem/")
    return {"dossier": dossier, "values": {"code": dossier.code, "doc": document.pk, "result": result.pk,
                                           "txn": payment.txn_ref, "today": date.today().isoformat()}}


def _history(dossier):
    dossier.refresh_from_db()
    return dossier.state, dossier.events.count(), dossier.documents.count()


@pytest.mark.parametrize(("method", "template", "entitled"), DESK_ROWS)
@pytest.mark.parametrize("who", ["owner", "other_citizen"])
def test_a_citizen_gets_404_on_every_desk_page(client, world, citizen, other_citizen, desk, method, template,
                                              entitled, who):
    url = template.format(**world["values"])
    before = _history(world["dossier"])

    client.force_login(citizen if who == "owner" else other_citizen)
    assert getattr(client, method)(url).status_code == 404
    assert _history(world["dossier"]) == before

    if entitled:
        staff = desk[Role.ONE_STOP_CLERK if entitled == "clerk" else Role.SPECIALIST]
        client.force_login(staff)
        assert getattr(client, method)(url).status_code != 404, "the row's URL must exist for its staff"


@pytest.mark.parametrize(("method", "template", "entitled"), PORTAL_ROWS)
def test_another_citizen_gets_404_on_the_payment_and_file_routes(client, world, citizen, other_citizen, method,
                                                                template, entitled):
    from public_services.payments.models import Payment

    url = template.format(**world["values"])
    payments = Payment.objects.count()

    client.force_login(other_citizen)
    assert getattr(client, method)(url).status_code == 404
    assert Payment.objects.count() == payments

    client.force_login(citizen)
    assert getattr(client, method)(url).status_code in (200, 201, 302)


def test_the_owner_cannot_reach_an_unapproved_result_through_any_route(client, world, citizen):
    values = world["values"]
    client.force_login(citizen)
    for url in (f"/mot-cua/ho-so/{values['code']}/tep/{values['result']}/",
                f"/dich-vu-cong/ho-so-cua-toi/{values['code']}/tep/{values['result']}/",
                f"/api/v1/dossiers/{values['code']}/documents/{values['result']}/"):
        assert client.get(url).status_code == 404, url
    world["dossier"].refresh_from_db()
    assert world["dossier"].state == DossierState.IN_PROGRESS


@pytest.mark.parametrize("token", ["A" * 32, "x", "../../etc", "A" * 31 + "%"])
def test_an_unknown_result_verification_token_is_404(client, token):
    assert client.get(f"/tra-cuu-ho-so/xac-thuc-ket-qua/{token}/").status_code == 404
