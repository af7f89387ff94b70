import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from egov.accounts.roles import Role
from one_stop.constants import DossierState
from one_stop.models import Dossier, DossierDocument
from one_stop.services.dossiers import dossier_act
from tests.public_services.conftest import BIRTH_POST, PDF_BYTES, pdf_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(citizen):
    client = APIClient()
    client.force_authenticate(citizen)
    return client


def create_draft(api, commune, form_data=None):
    response = api.post("/api/v1/dossiers/drafts/", {"procedure": "1.001193", "agency": commune.pk,
                                                     "form_data": form_data or BIRTH_POST}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_the_form_comes_with_the_profile_prefill_and_the_desks(api, citizen, online_birth, commune):
    body = api.get("/api/v1/procedures/1.001193/form/").json()
    assert body["form"]["sections"][0]["id"] == "nguoi_yeu_cau"
    assert body["prefill"]["ho_ten"] == citizen.full_name and body["prefill"]["so_dinh_danh"] == citizen.national_id
    assert body["agencies"] == [{"id": commune.pk, "name": commune.name}]


def test_a_procedure_without_a_form_answers_in_the_error_shape(api, birth_procedure):
    response = api.get("/api/v1/procedures/1.001193/form/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_online"


def test_staff_and_anonymous_callers_are_refused(online_birth, desk):
    client = APIClient()
    assert client.get("/api/v1/procedures/1.001193/form/").status_code in (401, 403)
    client.force_authenticate(desk[Role.ONE_STOP_CLERK])
    assert client.get("/api/v1/my/dossiers/").status_code == 403



def test_the_citizens_only_refusal_reads_in_the_language_the_client_asks_for(online_birth, desk):
    client = APIClient()
    client.force_authenticate(desk[Role.ONE_STOP_CLERK])

    def message(**headers):
        return client.get("/api/v1/my/dossiers/", **headers).json()["error"]["message"]

    assert message() == "Chỉ tài khoản công dân, tổ chức dùng được chức năng này."
    assert message(HTTP_ACCEPT_LANGUAGE="en") == "Only citizen and organisation accounts can use this function."
    assert message() == "Chỉ tài khoản công dân, tổ chức dùng được chức năng này."

def test_a_draft_is_created_updated_given_a_file_and_submitted(api, citizen, online_birth, commune):
    draft = create_draft(api, commune, {"ho_ten_tre": "Đặng Minh An", "ngay_sinh": "không rõ"})
    assert draft["state"] == "draft" and draft["code"].startswith("NHAP-")
    assert draft["errors"] == {"ngay_sinh": ["Ngày không hợp lệ (định dạng năm-tháng-ngày)."]}
    code = draft["code"]

    incomplete = api.post(f"/api/v1/dossiers/{code}/submit/")
    assert incomplete.status_code == 400
    assert {"ngay_sinh", "noi_sinh", "uploads.giay_chung_sinh"} <= set(incomplete.json()["error"]["fields"])

    assert api.patch(f"/api/v1/dossiers/{code}/draft/", {"form_data": BIRTH_POST}, format="json").json()["errors"] == {}
    uploaded = api.post(f"/api/v1/dossiers/{code}/documents/", {"file": pdf_file(), "requirement": "giay_chung_sinh"},
                        format="multipart")
    assert uploaded.status_code == 201 and uploaded.json()["requirement"] == "giay_chung_sinh"

    submitted = api.post(f"/api/v1/dossiers/{code}/submit/")
    assert submitted.status_code == 200
    dossier = Dossier.objects.get(citizen=citizen)
    assert submitted.json()["code"] == dossier.code and dossier.state == DossierState.SUBMITTED
    assert api.patch(f"/api/v1/dossiers/{dossier.code}/draft/", {"form_data": {}}, format="json").status_code == 409


def test_a_draft_posted_again_with_its_idempotency_key_is_not_a_second_draft(api, citizen, online_birth, commune):
    """A client's retry (a timeout, a double tap) with the same key: the first draft, not another (found in review:
    the counter's and the online form's keys had no counterpart here)."""
    def post(key, form_data=BIRTH_POST):
        return api.post("/api/v1/dossiers/drafts/", {"procedure": "1.001193", "agency": commune.pk, "form_data": form_data},
                        format="json", HTTP_IDEMPOTENCY_KEY=key)

    key = "app-7f3c9a1e-0001"
    first = post(key, {"ho_ten_tre": "Đặng Minh An"})
    assert first.status_code == 201
    again = post(key)
    assert again.status_code == 200 and again.json()["code"] == first.json()["code"]
    draft = Dossier.objects.get(citizen=citizen)
    assert draft.form_data["noi_sinh"] == BIRTH_POST["noi_sinh"]  # the retry's answers kept: the latest sending
    # Submitted, the key gives back the dossier unchanged.
    api.post(f"/api/v1/dossiers/{draft.code}/documents/", {"file": pdf_file(), "requirement": "giay_chung_sinh"},
             format="multipart")
    code = api.post(f"/api/v1/dossiers/{draft.code}/submit/").json()["code"]
    after = post(key, {"ho_ten_tre": "Người khác"})
    assert after.status_code == 200 and after.json()["code"] == code and after.json()["state"] == "submitted"
    assert Dossier.objects.filter(citizen=citizen).count() == 1
    # Another key, or none, is another draft; a key the portal would not make is refused, storing nothing.
    assert post("app-7f3c9a1e-0002").status_code == 201
    bad = post("short")
    assert bad.status_code == 400 and "Idempotency-Key" in bad.json()["error"]["message"]
    assert Dossier.objects.filter(citizen=citizen).count() == 2


@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("giay.pdf", b"MZ\x90\x00" + b"\0" * 64), "không đúng định dạng"),
    (SimpleUploadedFile("giay.jpg", PDF_BYTES), "không khớp với nội dung"),
    (SimpleUploadedFile("giay.pdf", PDF_BYTES + b"\0" * (2 * 1024 * 1024)), "quá lớn"),
])
def test_bad_uploads_are_refused_with_a_clear_message_and_nothing_kept(api, online_birth, commune, settings, upload,
                                                                         message):
    settings.EGOV_MAX_UPLOAD_MB = 1
    code = create_draft(api, commune)["code"]
    response = api.post(f"/api/v1/dossiers/{code}/documents/", {"file": upload, "requirement": "giay_chung_sinh"},
                        format="multipart")
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]
    assert not DossierDocument.objects.exists()


def test_an_unknown_upload_slot_is_refused(api, online_birth, commune):
    code = create_draft(api, commune)["code"]
    response = api.post(f"/api/v1/dossiers/{code}/documents/", {"file": pdf_file(), "requirement": "khong_co"},
                        format="multipart")
    assert response.status_code == 400


def test_another_citizen_gets_404_on_every_dossier_route(api, other_citizen, submitted, online_birth, commune):
    document = submitted.documents.get()
    other = APIClient()
    other.force_authenticate(other_citizen)
    code = submitted.code
    assert other.get(f"/api/v1/my/dossiers/{code}/").status_code == 404
    assert other.get(f"/api/v1/dossiers/{code}/documents/{document.pk}/").status_code == 404
    assert other.post(f"/api/v1/dossiers/{code}/documents/", {"file": pdf_file(), "requirement": "x"},
                      format="multipart").status_code == 404
    assert other.post(f"/api/v1/dossiers/{code}/submit/").status_code == 404
    assert other.patch(f"/api/v1/dossiers/{code}/draft/", {"form_data": {}}, format="json").status_code == 404
    assert other.get("/api/v1/my/dossiers/").json()["results"] == []
    # One-stop's own dossier route applies the same rule.
    assert other.get(f"/api/v1/dossiers/{code}/").status_code == 404
    assert api.get(f"/api/v1/dossiers/{code}/documents/{document.pk}/").status_code == 200


def test_my_dossiers_is_cursor_paginated_at_a_constant_query_count(api, citizen, submitted, online_birth, commune,
                                                                    django_assert_max_num_queries):
    from public_services.api.views import MyDossiersPagination

    with django_assert_max_num_queries(8) as one:
        body = api.get("/api/v1/my/dossiers/").json()
    first = len(one.captured_queries)  # read now: later requests clear the connection's query log
    assert [d["code"] for d in body["results"]] == [submitted.code]
    for _ in range(MyDossiersPagination.page_size + 2):
        create_draft(api, commune)
    with django_assert_max_num_queries(first):
        body = api.get("/api/v1/my/dossiers/").json()
    assert len(body["results"]) == MyDossiersPagination.page_size and "cursor=" in body["next"]
    assert len(api.get(body["next"]).json()["results"]) == 3


def test_my_dossiers_carry_their_history_as_the_page_shows_it(api, submitted, desk):
    clerk = desk[Role.ONE_STOP_CLERK]
    dossier_act(dossier=submitted, user=clerk, action="request_supplement", note="Thiếu bản chính giấy chứng sinh")
    listed = api.get("/api/v1/my/dossiers/").json()["results"][0]["history"]
    one = api.get(f"/api/v1/my/dossiers/{submitted.code}/").json()["history"]
    assert listed == one
    assert [(e["action"], e["to_state"]) for e in one] == [("draft", "draft"), ("submit", "submitted"),
                                                           ("request_supplement", "supplement_requested")]
    assert one[1]["label"] == "nộp trực tuyến" and one[2]["to_label"] == "Yêu cầu bổ sung, hoàn thiện"
    assert one[2]["note"] == "Thiếu bản chính giấy chứng sinh" and one[2]["agency"] == submitted.receiving_agency.name
    # Who at the agency did it is the agency's: no staff name reaches the citizen.
    assert clerk.full_name not in str(one) and "actor" not in one[0]


def test_staff_working_notes_stay_off_the_citizens_history(api, client, citizen, submitted, desk):
    """A note written for colleagues (at receipt, at a forward, "Trình <leader> ký số kết quả") is the agency's: the
    citizen reads the step without it, on the page and in the API; notes written to them stay."""
    from one_stop.models import DossierEvent

    clerk = desk[Role.ONE_STOP_CLERK]
    dossier_act(dossier=submitted, user=clerk, action="receive", note="Chuyển anh Bình thẩm định trước thứ Sáu")
    DossierEvent.objects.create(dossier=submitted, action="result_sign_request", from_state="received",
                                to_state="received", actor=clerk, agency=clerk.agency, at=submitted.created_at,
                                note="Trình Nguyễn Văn Lãnh Đạo ký số kết quả")
    history = api.get(f"/api/v1/my/dossiers/{submitted.code}/").json()["history"]
    notes = {e["action"]: e["note"] for e in history}
    assert notes["receive"] == "" and notes["result_sign_request"] == ""
    client.force_login(citizen)
    page = client.get(reverse("public_services:dossier", args=[submitted.code])).content.decode()
    assert "anh Bình" not in page and "Lãnh Đạo" not in page and "Trình lãnh đạo ký kết quả" in page


def test_the_desk_api_shows_a_citizen_their_dossier_without_staff_names_or_working_notes(api, submitted, desk):
    """The staff dossier API answers a citizen for their own dossiers too (list and detail): the history as the
    applicant reads it — who acted and the staff's notes stay the agency's; the notes written to the citizen stay."""
    clerk = desk[Role.ONE_STOP_CLERK]
    dossier_act(dossier=submitted, user=clerk, action="receive", note="Chuyển anh Bình thẩm định")
    dossier_act(dossier=submitted, user=clerk, action="request_supplement", note="Thiếu bản chính giấy chứng sinh")
    listed = api.get("/api/v1/dossiers/").json()["results"]
    assert [d["code"] for d in listed] == [submitted.code]
    detail = api.get(f"/api/v1/dossiers/{submitted.code}/").json()
    for history in (listed[0]["history"], detail["history"]):
        assert clerk.full_name not in str(history) and "anh Bình" not in str(history)
        assert {e["action"]: e["note"] for e in history}["request_supplement"] == "Thiếu bản chính giấy chứng sinh"
        assert all(e["actor"] == "" for e in history)
    # Staff still read who did what, and their notes.
    staff_api = APIClient()
    staff_api.force_authenticate(clerk)
    history = staff_api.get(f"/api/v1/dossiers/{submitted.code}/").json()["history"]
    assert {e["action"]: e["actor"] for e in history}["receive"] == clerk.full_name
    assert "anh Bình" in str(history)


def test_a_supplement_goes_back_through_the_same_routes(api, submitted, desk):
    dossier_act(dossier=submitted, user=desk[Role.ONE_STOP_CLERK], action="request_supplement", note="Thiếu bản chính")
    code = submitted.code
    assert api.post(f"/api/v1/dossiers/{code}/submit/").json()["error"]["code"] == "supplement_empty"
    uploaded = api.post(f"/api/v1/dossiers/{code}/documents/", {"file": pdf_file("ban-chinh.pdf"),
                                                                "requirement": "Bản chính"}, format="multipart")
    assert uploaded.status_code == 201 and uploaded.json()["kind"] == "supplement"
    assert api.post(f"/api/v1/dossiers/{code}/submit/").status_code == 200
    submitted.refresh_from_db()
    assert submitted.supplement_submitted_at is not None
    # Once sent, the supplement is what the desk reviews: no file joins it afterwards.
    late = api.post(f"/api/v1/dossiers/{code}/documents/", {"file": pdf_file("them.pdf"), "requirement": "Bản chính"},
                    format="multipart")
    assert late.status_code == 409 and submitted.documents.filter(original_name="them.pdf").count() == 0


def test_the_citizen_routes_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/").content.decode()
    for path in ("/api/v1/procedures/{code}/form/", "/api/v1/dossiers/drafts/", "/api/v1/dossiers/{code}/draft/",
                 "/api/v1/dossiers/{code}/documents/", "/api/v1/dossiers/{code}/submit/", "/api/v1/my/dossiers/",
                 "/api/v1/dossiers/{code}/documents/{document_id}/"):
        assert path + ":" in schema, path


def test_the_api_refuses_an_infinite_number_with_a_400(client, citizen, online_birth, commune):
    # JSON's 1e400 is a valid number that Python reads as inf: PostgreSQL's JSONB stores no Infinity (it was a 500).
    client.raise_request_exception = False
    client.force_login(citizen)
    body = (f'{{"procedure": "1.001193", "agency": {commune.pk}, "form_data": {{"sinh_doi": true, '
            '"anh_chi_em_sinh_cung": [{"ho_ten": "A", "thu_tu": 1e400}]}}')

    response = client.post("/api/v1/dossiers/drafts/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"anh_chi_em_sinh_cung.0.thu_tu": ["Nhập một số."]}
    assert not Dossier.objects.filter(citizen=citizen).exists()


SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20)
JSON = st.recursive(SCALARS,
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=10)
FIELD_NAMES = st.sampled_from(["ho_ten_tre", "ngay_sinh", "quan_he", "sinh_doi", "anh_chi_em_sinh_cung", "so_ban", "x"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form_data=st.dictionaries(FIELD_NAMES, JSON, max_size=6) | JSON)
def test_malformed_form_data_never_causes_a_server_error(api, online_birth, commune, form_data):
    response = api.post("/api/v1/dossiers/drafts/", {"procedure": "1.001193", "agency": commune.pk,
                                                     "form_data": form_data}, format="json")
    assert response.status_code in (201, 400)
    assert response.status_code == 201 or "error" in response.json()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_uploads_each_answer_their_own_file_and_the_slot_limit_holds(citizen, online_birth, commune):
    """Found in review: the answer was "the one document new since the request began" — two uploads at once (a phone's
    parallel requests) saw two, a 500; and both could pass a slot's file limit (giay_chung_sinh: 2 files)."""
    import threading

    from django.db import connection

    client = APIClient()
    client.force_authenticate(citizen)
    code = create_draft(client, commune)["code"]
    barrier = threading.Barrier(3)
    answers = [None] * 3

    def upload(index):
        try:
            api = APIClient()
            api.force_authenticate(citizen)
            barrier.wait()
            answers[index] = api.post(f"/api/v1/dossiers/{code}/documents/",
                                      {"file": pdf_file(f"giay-{index}.pdf"), "requirement": "giay_chung_sinh"},
                                      format="multipart")
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [201, 201, 400]
    stored = {a.json()["id"]: a.json()["name"] for a in answers if a.status_code == 201}
    documents = DossierDocument.objects.filter(dossier__code=code)
    assert {d.pk: d.original_name for d in documents} == stored
