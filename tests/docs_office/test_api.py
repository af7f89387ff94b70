"""The eOffice API: same scoping as the pages, one error shape, constant queries on lists."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from docs_office.constants import Confidentiality, IncomingState, OutgoingState
from docs_office.models import OutgoingDocument
from egov.accounts.roles import Role
from tests.docs_office.factories import TINY_PDF, assign_to, register_scan
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INCOMING = "/api/v1/incoming-documents/"
OUTGOING = "/api/v1/outgoing-documents/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_list_runs_the_same_queries_for_one_or_many_documents(staff, django_assert_max_num_queries):
    clerk = staff[Role.RECORDS_CLERK]
    client = client_for(clerk)
    register_scan(clerk)
    with django_assert_max_num_queries(4) as one:
        assert len(client.get(INCOMING).json()["results"]) == 1
    queries_for_one = len(one.captured_queries)
    for n in range(20):
        register_scan(clerk, number=str(100 + n))
    with django_assert_max_num_queries(queries_for_one):
        assert len(client.get(INCOMING).json()["results"]) == 21


def test_the_list_pages_with_a_cursor(staff):
    clerk = staff[Role.RECORDS_CLERK]
    for n in range(3):
        register_scan(clerk, number=str(n))
    first = client_for(clerk).get(INCOMING, {"page_size": 2}).json()
    assert set(first) == {"next", "previous", "results"}


def test_search_ignores_diacritics(staff):
    clerk = staff[Role.RECORDS_CLERK]
    register_scan(clerk, summary="Về việc tổ chức Hội nghị tổng kết")
    register_scan(clerk, number="2", summary="Kế hoạch phòng chống thiên tai")
    found = client_for(clerk).get(INCOMING, {"q": "hoi nghi tong ket"}).json()["results"]
    assert [d["summary"] for d in found] == ["Về việc tổ chức Hội nghị tổng kết"]


def test_the_clerk_registers_through_the_api_and_a_duplicate_is_a_409(staff):
    client = client_for(staff[Role.RECORDS_CLERK])
    body = {"number": "15", "symbol": "QĐ-UBND", "issuer_name": "UBND tỉnh Lạng Sơn", "issued_on": "2026-11-20",
            "document_type": "quyet-dinh", "summary": "Về việc giao chỉ tiêu", "urgency": "urgent"}
    created = client.post(INCOMING, {**body, "file": SimpleUploadedFile("scan.pdf", TINY_PDF)}, format="multipart")
    assert created.status_code == 201, created.content
    assert created.json()["arrival_number"] == 1 and created.json()["state"] == IncomingState.REGISTERED
    again = client.post(INCOMING, {**body, "file": SimpleUploadedFile("scan.pdf", TINY_PDF)}, format="multipart")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "duplicate"


def test_bad_input_is_a_400_in_the_error_shape(staff):
    response = client_for(staff[Role.RECORDS_CLERK]).post(INCOMING, {"number": "1", "document_type": "khong-co"},
                                                          format="multipart")
    assert response.status_code == 400
    assert {"summary", "document_type", "issuer_name"} <= set(response.json()["error"]["fields"])


def test_a_specialist_cannot_register(staff):
    response = client_for(staff[Role.SPECIALIST]).post(INCOMING, {
        "number": "15", "issuer_name": "UBND", "issued_on": "2026-11-20", "document_type": "quyet-dinh",
        "summary": "x", "file": SimpleUploadedFile("scan.pdf", TINY_PDF)}, format="multipart")
    assert response.status_code == 403


def test_the_leader_assigns_through_the_action_endpoint(staff, division):
    from datetime import timedelta

    from django.utils import timezone

    document = register_scan(staff[Role.RECORDS_CLERK])
    deadline = (timezone.localdate() + timedelta(days=30)).isoformat()  # ahead, and at most ten years ahead
    response = client_for(staff[Role.LEADER]).post(f"{INCOMING}{document.pk}/actions/assign/", {"assignments": [
        {"role": "lead", "user": staff[Role.SPECIALIST].pk, "deadline": deadline, "instruction": "Trả lời"},
        {"role": "support", "division": division.pk},
    ]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == IncomingState.ASSIGNED
    assert [a["role"] for a in response.json()["assignments"]] == ["lead", "support"]


def test_an_unknown_action_is_a_404_and_a_wrong_state_a_409(staff):
    document = register_scan(staff[Role.RECORDS_CLERK])
    client = client_for(staff[Role.LEADER])
    assert client.post(f"{INCOMING}{document.pk}/actions/explode/", {}, format="json").status_code == 404
    assert client.post(f"{INCOMING}{document.pk}/actions/close/", {"result": "x"}, format="json").status_code == 409


def test_other_agencies_and_unassigned_specialists_get_a_404(staff, other_agency):
    document = register_scan(staff[Role.RECORDS_CLERK])
    for user in (UserFactory(agency=other_agency, roles=[Role.LEADER]), staff[Role.SPECIALIST]):
        client = client_for(user)
        assert client.get(f"{INCOMING}{document.pk}/").status_code == 404
        assert client.get(f"{INCOMING}{document.pk}/file/").status_code == 404
        assert client.get(INCOMING).json()["results"] == []


def test_the_file_is_served_to_whoever_sees_the_document(staff):
    leader = staff[Role.LEADER]
    document = assign_to(leader, register_scan(staff[Role.RECORDS_CLERK]), lead=staff[Role.SPECIALIST])
    response = client_for(staff[Role.SPECIALIST]).get(f"{INCOMING}{document.pk}/file/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TINY_PDF


def test_a_secret_document_has_no_file_and_is_hidden_from_unnamed_leaders(staff, agency):
    leader = staff[Role.LEADER]
    document = register_scan(staff[Role.RECORDS_CLERK], confidentiality=Confidentiality.SECRET, readers=[leader])
    assert client_for(leader).get(f"{INCOMING}{document.pk}/file/").status_code == 404
    assert client_for(leader).get(f"{INCOMING}{document.pk}/").json()["file_url"] is None
    other = UserFactory(agency=agency, roles=[Role.LEADER])
    assert client_for(other).get(f"{INCOMING}{document.pk}/").status_code == 404


def test_a_specialist_drafts_and_submits_through_the_api(staff, other_agency):
    client = client_for(staff[Role.SPECIALIST])
    created = client.post(OUTGOING, {"document_type": "cong-van", "summary": "V/v báo cáo tình hình",
                                     "recipient_agencies": [other_agency.exchange_code],
                                     "file": SimpleUploadedFile("du-thao.pdf", TINY_PDF)}, format="multipart")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    submitted = client.post(f"{OUTGOING}{pk}/actions/submit/", {}, format="json")
    assert submitted.json()["state"] == OutgoingState.HEAD_REVIEW
    assert client.get(f"{OUTGOING}{pk}/file/").status_code == 200
    assert list(OutgoingDocument.objects.get(pk=pk).recipient_agencies.all()) == [other_agency]


def test_an_unknown_recipient_code_is_refused(staff):
    response = client_for(staff[Role.SPECIALIST]).post(OUTGOING, {
        "document_type": "cong-van", "summary": "x", "recipient_agencies": ["999.99.99.H99"],
        "file": SimpleUploadedFile("du-thao.pdf", TINY_PDF)}, format="multipart")
    assert response.status_code == 400
    assert "recipient_agencies" in response.json()["error"]["fields"]


def test_signing_without_a_certificate_is_a_clear_409(staff):
    client = client_for(staff[Role.SPECIALIST])
    pk = client.post(OUTGOING, {"document_type": "cong-van", "summary": "x",
                                "file": SimpleUploadedFile("d.pdf", TINY_PDF)}, format="multipart").json()["id"]
    client.post(f"{OUTGOING}{pk}/actions/submit/", {}, format="json")
    client_for(staff[Role.HEAD_OF_DIVISION]).post(f"{OUTGOING}{pk}/actions/head_approve/", {}, format="json")
    leader = client_for(staff[Role.LEADER])
    leader.post(f"{OUTGOING}{pk}/actions/leader_approve/", {}, format="json")
    response = leader.post(f"{OUTGOING}{pk}/actions/sign/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "no_certificate"


def test_the_outgoing_list_runs_the_same_queries_for_one_or_many(staff, django_assert_max_num_queries):
    client = client_for(staff[Role.SPECIALIST])

    def create():
        client.post(OUTGOING, {"document_type": "cong-van", "summary": "x",
                               "file": SimpleUploadedFile("d.pdf", TINY_PDF)}, format="multipart")
    create()
    leader = client_for(staff[Role.LEADER])
    with django_assert_max_num_queries(4) as one:
        assert len(leader.get(OUTGOING).json()["results"]) == 1
    queries_for_one = len(one.captured_queries)  # read now: every request clears the connection's log
    for _ in range(10):
        create()
    with django_assert_max_num_queries(queries_for_one):
        assert len(leader.get(OUTGOING).json()["results"]) == 11


def test_the_schema_documents_both_resources():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path in ("/api/v1/incoming-documents/", "/api/v1/incoming-documents/{id}/actions/{action_name}/",
                 "/api/v1/incoming-documents/{id}/file/", "/api/v1/outgoing-documents/",
                 "/api/v1/outgoing-documents/{id}/actions/{action_name}/", "/api/v1/outgoing-documents/{id}/file/"):
        assert path in paths


def test_a_malformed_edxml_upload_is_a_400_listing_every_reason(staff):
    from docs_office.edxml import edxml_build
    from tests.docs_office.test_edxml import package

    data = edxml_build(package(subject="", recipients=[]))
    response = client_for(staff[Role.RECORDS_CLERK]).post(
        f"{INCOMING}import-edxml/", {"file": SimpleUploadedFile("goi.xml", data)}, format="multipart")
    assert response.status_code == 400
    problems = response.json()["error"]["fields"]["file"]
    assert any("trích yếu" in p for p in problems) and any("nơi nhận" in p for p in problems)


def test_an_edxml_package_addressed_to_the_agency_arrives_waiting_for_registration(staff, agency):
    from docs_office.edxml import Agency, edxml_build
    from tests.docs_office.test_edxml import package

    data = edxml_build(package(recipients=[Agency(agency.exchange_code, agency.name)]))
    response = client_for(staff[Role.RECORDS_CLERK]).post(
        f"{INCOMING}import-edxml/", {"file": SimpleUploadedFile("goi.xml", data)}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["state"] == IncomingState.RECEIVED
    assert response.json()["number_symbol"] == "15/QĐ-UBND"


def test_a_jpeg_scan_is_served_as_a_jpeg(staff):
    from tests.docs_office.factories import scan

    clerk = staff[Role.RECORDS_CLERK]
    document = register_scan(clerk, upload=scan("quet.jpg", b"\xff\xd8\xff\xe0 jpeg scan"))
    response = client_for(clerk).get(f"{INCOMING}{document.pk}/file/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


def test_a_draft_is_composed_through_the_api(staff):
    response = client_for(staff[Role.SPECIALIST]).post(OUTGOING, {
        "document_type": "thong-bao", "summary": "Về việc nghỉ Tết", "composition": {
            "body": "Ủy ban nhân dân tỉnh thông báo lịch nghỉ Tết.", "place": "Lạng Sơn", "signer_prefix": "TM.",
            "signer_title": "Chủ tịch", "signer_name": "Hoàng Văn Nam"}}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["versions"][0]["content_type"] == "application/pdf"


def test_a_draft_with_neither_file_nor_composition_is_refused(staff):
    response = client_for(staff[Role.SPECIALIST]).post(OUTGOING, {"document_type": "thong-bao", "summary": "x"},
                                                       format="json")
    assert response.status_code == 400
    assert "file" in response.json()["error"]["fields"]


@pytest.mark.parametrize("query", ["hoi nghi tong k", "15/QĐ-UBND"])
def test_a_search_runs_the_same_queries_for_one_or_many_matches(staff, query, django_assert_max_num_queries):
    clerk = staff[Role.RECORDS_CLERK]
    client = client_for(clerk)
    register_scan(clerk, summary="Về việc tổ chức Hội nghị tổng kết")
    with django_assert_max_num_queries(4) as one:
        assert len(client.get(INCOMING, {"q": query}).json()["results"]) == 1
    queries_for_one = len(one.captured_queries)
    for n in range(12):
        register_scan(clerk, summary=f"Hội nghị tổng kết công tác {n}")
    with django_assert_max_num_queries(queries_for_one):
        assert len(client.get(INCOMING, {"q": query}).json()["results"]) == 13  # every scan is 15/QĐ-UBND


def test_an_outgoing_search_runs_the_same_queries_for_one_or_many(staff, django_assert_max_num_queries):
    client = client_for(staff[Role.SPECIALIST])

    def create(summary):
        client.post(OUTGOING, {"document_type": "cong-van", "summary": summary,
                               "file": SimpleUploadedFile("d.pdf", TINY_PDF)}, format="multipart")
    create("Triển khai chuyển đổi số")
    create("Báo cáo tài chính")
    leader = client_for(staff[Role.LEADER])
    with django_assert_max_num_queries(4) as one:
        assert len(leader.get(OUTGOING, {"q": "chuyen doi s"}).json()["results"]) == 1
    queries_for_one = len(one.captured_queries)
    for n in range(10):
        create(f"Chuyển đổi số đợt {n}")
    with django_assert_max_num_queries(queries_for_one):
        assert len(leader.get(OUTGOING, {"q": "chuyen doi s"}).json()["results"]) == 11


@pytest.mark.parametrize("path", ["null,null/", "abc/file/", "99999999999999999999/", "-1/", "x/actions/close/"])
@pytest.mark.parametrize("resource", [INCOMING, OUTGOING])
def test_an_id_that_is_not_a_number_is_a_404_in_the_error_shape(staff, resource, path):
    # Found by tests/test_api_fuzz.py: int() of the id failed inside the query (a 500).
    client = client_for(staff[Role.RECORDS_CLERK])
    response = client.post(resource + path, {}, format="json") if "actions" in path else client.get(resource + path)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("resource", [INCOMING, OUTGOING])
def test_options_describes_the_resource_instead_of_failing(staff, resource):
    # Found by tests/test_api_fuzz.py: the viewsets had no serializer for DRF's metadata (a 500).
    response = client_for(staff[Role.RECORDS_CLERK]).options(resource)

    assert response.status_code == 200 and response.json()["name"]


@pytest.mark.parametrize("pages", ["0", "99999999999", "abc"])
def test_a_page_count_out_of_range_is_a_400_naming_it(staff, pages):
    from datetime import timedelta

    from django.utils import timezone

    response = client_for(staff[Role.RECORDS_CLERK]).post(INCOMING, {
        "number": "15", "symbol": "QĐ-UBND", "issuer_name": "UBND tỉnh Lạng Sơn", "document_type": "quyet-dinh",
        "issued_on": (timezone.localdate() - timedelta(days=2)).isoformat(), "summary": "Về việc giao chỉ tiêu",
        "page_count": pages, "file": SimpleUploadedFile("scan.pdf", TINY_PDF)}, format="multipart")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["page_count"]
    assert "Số trang" in response.json()["error"]["fields"]["page_count"][0]


def test_a_document_dated_in_the_future_is_a_400_naming_its_date(staff):
    from datetime import timedelta

    from django.utils import timezone

    from docs_office.models import IncomingDocument

    response = client_for(staff[Role.RECORDS_CLERK]).post(INCOMING, {
        "number": "15", "symbol": "QĐ-UBND", "issuer_name": "UBND tỉnh Lạng Sơn", "document_type": "quyet-dinh",
        "issued_on": (timezone.localdate() + timedelta(days=1)).isoformat(), "summary": "Về việc giao chỉ tiêu",
        "file": SimpleUploadedFile("scan.pdf", TINY_PDF)}, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "issued_on_future"
    assert list(response.json()["error"]["fields"]) == ["issued_on"]
    assert not IncomingDocument.objects.exists()


@pytest.mark.parametrize("stranger", ["other_agency", "no_such_user"])
def test_a_reader_who_is_no_colleague_is_reported_on_readers(staff, other_agency, stranger):
    from datetime import timedelta

    from django.utils import timezone

    reader = UserFactory(agency=other_agency, roles=[Role.SPECIALIST]).pk if stranger == "other_agency" else 10**20
    response = client_for(staff[Role.RECORDS_CLERK]).post(INCOMING, {
        "number": "15", "symbol": "QĐ-UBND", "issuer_name": "UBND tỉnh Lạng Sơn", "document_type": "quyet-dinh",
        "issued_on": (timezone.localdate() - timedelta(days=2)).isoformat(), "summary": "Về việc giao chỉ tiêu",
        "confidentiality": Confidentiality.CONFIDENTIAL, "readers": [reader]}, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["readers"]


def test_a_drafts_reader_or_unit_of_another_agency_is_reported_on_its_own_field(staff, other_agency):
    from docs_office.models import Division

    client = client_for(staff[Role.SPECIALIST])
    body = {"document_type": "cong-van", "summary": "V/v báo cáo", "composition": {"body": "Nội dung", "signer_name": "A"}}
    outsider = UserFactory(agency=other_agency, roles=[Role.SPECIALIST])
    response = client.post(OUTGOING, {**body, "readers": [outsider.pk]}, format="json")
    assert response.status_code == 400 and list(response.json()["error"]["fields"]) == ["readers"]
    unit = Division.objects.create(agency=other_agency, name="Văn phòng Sở")
    response = client.post(OUTGOING, {**body, "division": unit.pk}, format="json")
    assert response.status_code == 400 and list(response.json()["error"]["fields"]) == ["division"]


def test_the_same_person_leading_and_supporting_is_a_400_through_the_api(staff):
    document = register_scan(staff[Role.RECORDS_CLERK])
    specialist = staff[Role.SPECIALIST].pk
    response = client_for(staff[Role.LEADER]).post(f"{INCOMING}{document.pk}/actions/assign/", {"assignments": [
        {"role": "lead", "user": specialist}, {"role": "support", "user": specialist}]}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "assignee_twice"


def test_the_details_name_the_agencies_register_signer_and_unit(staff, registers, other_agency,
                                                                django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.docs_office.test_outgoing import issued_unsigned
    from tests.factories import AgencyFactory

    clerk, leader = staff[Role.RECORDS_CLERK], staff[Role.LEADER]
    document = issued_unsigned(staff, registers["outgoing"], recipient_agencies=[other_agency])
    OutgoingDocument.objects.filter(pk=document.pk).update(signer=leader)
    client = client_for(leader)
    with CaptureQueriesContext(connection) as one:
        body = client.get(f"{OUTGOING}{document.pk}/").json()
    assert body["signer"] == leader.full_name and body["signer_position"] == leader.position_title
    assert body["register"] == registers["outgoing"].name
    assert body["recipient_agencies"] == [{"code": other_agency.exchange_code, "name": other_agency.name}]
    assert "division" in body
    # The same queries whatever the number of recipients: the named relations come with the document.
    document.recipient_agencies.add(*(AgencyFactory() for _ in range(3)))
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(client.get(f"{OUTGOING}{document.pk}/").json()["recipient_agencies"]) == 4

    incoming = register_scan(clerk)
    body = client_for(clerk).get(f"{INCOMING}{incoming.pk}/").json()
    assert body["register"] == incoming.register.name and body["registered_by"] == clerk.full_name
    assert body["issuer_agency"] is None and body["external_id"] == "" and body["closed_at"] is None
