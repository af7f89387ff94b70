"""Schema-driven fuzzing of the whole API: every operation of /api/schema/, as a citizen, a one-stop clerk and anonymous.

Schemathesis reads the OpenAPI schema from the app in-process and calls the WSGI application directly (no server).
Each operation is one test per caller; path parameters are swapped for codes of real fixture objects part of the
time so that "{code}" reaches real dossiers, documents and payments, not only 404s.
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token

from egov.accounts.roles import Role
from egov.wsgi import application
from tests.factories import AgencyFactory, UserFactory

BASE_URL = "http://testserver"  # a host the test settings allow (schemathesis' default, "localhost", may not be)

schema = schemathesis.openapi.from_wsgi("/api/schema/", application, headers={"Host": "testserver"})

# Real values for path parameters, filled by the `fuzz_world` fixture before each test draws its examples.
KNOWN: dict[str, list] = {}


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half the time, replace a generated path parameter by one naming a real object of the fixture world."""
    if not path_parameters:
        return st.just(path_parameters)
    strategies = {name: st.just(value) | st.sampled_from(KNOWN[name]) if KNOWN.get(name) else st.just(value)
                  for name, value in path_parameters.items()}
    return st.fixed_dictionaries(strategies)


@schema.hook
def flatmap_body(context, body):
    """Likewise for body fields that name other objects (procedure, agency, ID number), so bodies get past lookups."""
    if not isinstance(body, dict):
        return st.just(body)
    media_types = context.operation.definition.raw.get("requestBody", {}).get("content", {})
    multipart_only = list(media_types) == ["multipart/form-data"]

    def known(name):
        # File bytes only where the body can only be multipart: JSON cannot carry them.
        return KNOWN.get(f"body.{name}") if name != "file" or multipart_only else None

    strategies = {name: st.just(value) | st.sampled_from(known(name)) if known(name) else st.just(value)
                  for name, value in body.items()}
    return st.fixed_dictionaries(strategies)


@pytest.fixture
def _wsgi_calls_keep_the_test_connection():
    # Django's handler closes "old" connections at the end of each request; inside a test transaction that would
    # drop it. Django's own test client disconnects the same receivers for the same reason.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def _no_throttling(monkeypatch):
    # The public endpoints' rate limits (tested on their own) would answer 429 after a few examples and hide the
    # views from the fuzzer.
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)


@pytest.fixture
def fuzz_world(db, settings, _wsgi_calls_keep_the_test_connection, _no_throttling):
    """Objects the fuzzer's path parameters can name: a citizen's online dossier with a file and a payment,
    another citizen's dossier, a draft, a dossier received by the clerk's agency, and an incoming document."""
    from one_stop.catalogue.data import ProcedureData
    from one_stop.services.catalogue import procedure_upsert
    from one_stop.services.documents import dossier_document_add
    from one_stop.services.dossiers import dossier_act, dossier_draft_create, dossier_submit, dossier_submit_online
    from public_services.payments.services import payment_start
    from tests.docs_office.conftest import office_registers
    from tests.docs_office.factories import register_scan
    from tests.public_services.conftest import PDF_BYTES, pdf_file

    settings.ALLOWED_HOSTS = ["testserver"]
    agency = AgencyFactory(commune=True)
    elsewhere = AgencyFactory()
    procedure = procedure_upsert(data=ProcedureData(code="1.001193", name="Thủ tục đăng ký khai sinh", field="Hộ tịch",
                                                    processing_days=5, fee_vnd=50_000))[0]
    citizen = UserFactory(citizen=True)
    other = UserFactory(citizen=True)
    # A commune's clerk often keeps the one-stop desk and the records (văn thư): one caller reaches both APIs.
    clerk = UserFactory(agency=agency, roles=[Role.ONE_STOP_CLERK, Role.RECORDS_CLERK])

    own = dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=agency)
    document = dossier_document_add(dossier=own, user=citizen, file=pdf_file())
    own = dossier_submit(dossier=own, citizen=citizen)
    payment = payment_start(dossier=own, payer=citizen, ip_address="203.0.113.7",
                            return_url=f"{BASE_URL}/thanh-toan/ket-qua/",
                            gateway_url=f"{BASE_URL}/thanh-toan/cong-thu-nghiem/")
    others = dossier_submit_online(citizen=other, procedure=procedure, handling_agency=agency)
    draft = dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=agency)
    received = dossier_submit_online(citizen=other, procedure=procedure, handling_agency=agency)
    dossier_act(dossier=received, user=clerk, action="receive")

    office_registers(agency)
    incoming = register_scan(clerk)

    KNOWN.clear()
    KNOWN.update({
        "code": [own.code, others.code, draft.code, received.code, procedure.code],
        "document_id": [document.pk],
        "txn_ref": [payment.txn_ref],
        "id": [incoming.pk],
        "action_name": ["receive", "request_supplement", "refuse", "start", "resolve", "return_result", "withdraw"],
        "body.procedure": [procedure.code],
        "body.agency": [agency.pk, elsewhere.exchange_code],
        "body.id_number": [other.national_id],
        "body.requirement": ["Giấy chứng sinh"],
        "body.file": [PDF_BYTES],
    })
    yield {"citizen": citizen, "clerk": clerk, "own": own, "document": document, "incoming": incoming}
    KNOWN.clear()


@pytest.fixture(params=["citizen", "clerk", "anonymous"])
def caller(request, fuzz_world):
    """Who calls: the role name and the headers to send (a DRF token; none for anonymous)."""
    if request.param == "anonymous":
        return request.param, {}
    return request.param, {"Authorization": f"Token {_token(fuzz_world[request.param]).key}"}


def _token(user) -> Token:
    """The user's API token, as obtained with a second factor (the records clerk's role needs one)."""
    from django.utils import timezone

    from egov.accounts.models import TokenSecondFactor

    token = Token.objects.get_or_create(user=user)[0]
    TokenSecondFactor.objects.get_or_create(token=token, defaults={"verified_at": timezone.now()})
    return token


# No 500 ever; and what the API answers with a documented status must match the schema it publishes.
CHECKS = [schemathesis.checks.not_a_server_error, schemathesis.checks.response_schema_conformance,
          schemathesis.checks.content_type_conformance]


@schema.parametrize()
@settings(max_examples=15, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_no_operation_answers_with_a_server_error(case, caller):
    response = case.call(base_url=BASE_URL, headers=caller[1])
    case.validate_response(response, checks=CHECKS)


def test_the_fuzzer_reaches_real_objects_through_the_same_transport(fuzz_world, caller):
    """Guard against a fuzz run that passes because every call misses (wrong host, no auth, unknown codes)."""
    role, headers = caller
    case = schema["/api/v1/my/dossiers/{code}/"]["GET"].Case(path_parameters={"code": fuzz_world["own"].code})
    response = case.call(base_url=BASE_URL, headers=headers)
    assert response.status_code == {"citizen": 200, "clerk": 403, "anonymous": 403}[role]
    if role == "citizen":
        assert response.json()["code"] == fuzz_world["own"].code
    case = schema["/api/v1/incoming-documents/{id}/"]["GET"].Case(path_parameters={"id": fuzz_world["incoming"].pk})
    response = case.call(base_url=BASE_URL, headers=headers)
    assert response.status_code == {"citizen": 404, "clerk": 200, "anonymous": 403}[role]


@pytest.mark.parametrize(("component", "field"), [
    ("Dossier", "received_at"), ("Dossier", "due_at"), ("DossierList", "received_at"), ("DossierList", "due_at"),
    ("DossierStep", "due_at"), ("DossierStep", "completed_at"), ("PublicLookup", "returned_at"),
    ("MyDossier", "submitted_at"), ("MyDossier", "received_at"), ("MyDossier", "due_at"),
])
def test_dates_a_dossier_has_not_reached_yet_are_nullable_in_the_schema(component, field):
    # Found by the response-schema check: a draft or a dossier still waiting answers null for these.
    assert schema.raw_schema["components"]["schemas"][component]["properties"][field].get("nullable") is True


def test_files_come_in_a_content_type_the_schema_documents(fuzz_world):
    """Found by the fuzzer once it reached a real upload: a dossier's file is served as what it was sniffed as
    (application/pdf), which the schema had documented as application/octet-stream."""
    checks = [schemathesis.checks.content_type_conformance, schemathesis.checks.not_a_server_error]
    for operation, parameters, user in [
        ("/api/v1/dossiers/{code}/documents/{document_id}/", {"code": fuzz_world["own"].code,
                                                              "document_id": fuzz_world["document"].pk}, "citizen"),
        ("/api/v1/incoming-documents/{id}/file/", {"id": fuzz_world["incoming"].pk}, "clerk"),
    ]:
        token = _token(fuzz_world[user])
        case = schema[operation]["GET"].Case(path_parameters=parameters)
        response = case.call(base_url=BASE_URL, headers={"Authorization": f"Token {token.key}"})
        assert response.status_code == 200, (operation, response.status_code)
        case.validate_response(response, checks=checks)
