import pytest
from django.urls import reverse

from egov.accounts.roles import Role
from one_stop.constants import DocumentKind, DossierState
from one_stop.services.documents import dossier_document_add
from one_stop.services.dossiers import dossier_act
from tests.public_services.conftest import BIRTH_POST, pdf_file

pytestmark = pytest.mark.django_db


def page(name, dossier, *args):
    return reverse(f"public_services:{name}", args=[dossier.code, *args])


def test_my_dossiers_lists_state_and_due_date_at_a_constant_query_count(client, citizen, submitted, online_birth,
                                                                        commune, django_assert_max_num_queries):
    from public_services.services import portal_draft_save, portal_submit

    client.force_login(citizen)
    url = reverse("public_services:my_dossiers")
    with django_assert_max_num_queries(12) as one:
        response = client.get(url)
    first = len(one.captured_queries)
    assert submitted.code in response.content.decode()
    assert "Đã nộp trực tuyến, chờ tiếp nhận" in response.content.decode()
    for _ in range(5):
        outcome = portal_draft_save(citizen=citizen, procedure=online_birth, form_data=BIRTH_POST, agency_id=commune.pk,
                                    uploads=[("giay_chung_sinh", pdf_file())])
        portal_submit(dossier=outcome.dossier, citizen=citizen)
    with django_assert_max_num_queries(first):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 6


def test_the_list_shows_only_the_citizens_own_dossiers(client, other_citizen, submitted):
    client.force_login(other_citizen)
    assert submitted.code not in client.get(reverse("public_services:my_dossiers")).content.decode()


@pytest.mark.parametrize(("name", "method", "extra"), [
    ("dossier", "get", ()), ("receipt", "get", ()), ("withdraw", "post", ()), ("rate", "post", ()),
    ("supplement", "post", ()), ("document", "get", ("doc",)), ("document_delete", "post", ("doc",)),
])
def test_another_citizen_gets_404_on_every_page_of_my_dossier(client, other_citizen, submitted, desk, name, method,
                                                              extra):
    dossier_act(dossier=submitted, user=desk[Role.ONE_STOP_CLERK], action="receive")
    args = [submitted.documents.get().pk if a == "doc" else a for a in extra]
    client.force_login(other_citizen)
    assert getattr(client, method)(page(name, submitted, *args)).status_code == 404
    submitted.refresh_from_db()
    assert submitted.state == DossierState.RECEIVED


def test_the_dossier_page_shows_the_timeline_and_documents(client, citizen, submitted):
    client.force_login(citizen)
    body = client.get(page("dossier", submitted)).content.decode()
    assert "Nộp trực tuyến" in body and "Tạo bản nháp" in body
    assert "giay-chung-sinh.pdf" in body
    assert page("receipt", submitted) not in body  # no receipt before the desk receives it


def test_the_owner_downloads_their_file(client, citizen, submitted):
    client.force_login(citizen)
    document = submitted.documents.get()
    response = client.get(page("document", submitted, document.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_receipt_is_available_once_received(client, citizen, submitted, desk):
    client.force_login(citizen)
    assert client.get(page("receipt", submitted)).status_code == 404
    dossier_act(dossier=submitted, user=desk[Role.ONE_STOP_CLERK], action="receive")
    response = client.get(page("receipt", submitted))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_the_citizen_sees_what_is_missing_uploads_it_and_sends_it_back(client, citizen, submitted, desk):
    dossier_act(dossier=submitted, user=desk[Role.ONE_STOP_CLERK], action="request_supplement",
                note="Giấy chứng sinh bị mờ, chụp lại rõ nét.")
    client.force_login(citizen)
    assert "Giấy chứng sinh bị mờ" in client.get(page("dossier", submitted)).content.decode()

    response = client.post(page("supplement", submitted), {"requirement": "Giấy chứng sinh", "note": "Đã chụp lại",
                                                           "files": pdf_file("chung-sinh-ro.pdf")})

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.supplement_submitted_at is not None
    assert submitted.documents.filter(kind=DocumentKind.SUPPLEMENT, requirement="Giấy chứng sinh").count() == 1
    assert submitted.events.last().action == "supplement_submit"


def test_the_supplement_form_labels_the_document_without_a_stray_word(client, citizen, submitted, desk):
    dossier_act(dossier=submitted, user=desk[Role.ONE_STOP_CLERK], action="request_supplement", note="Thiếu giấy tờ")
    client.force_login(citizen)

    html = client.get(page("dossier", submitted)).content.decode()

    assert '<label for="bo-sung-thanh-phan">Giấy tờ bổ sung</label>' in html


def test_sending_a_supplement_without_a_file_is_refused_with_a_message(client, citizen, submitted, desk):
    dossier_act(dossier=submitted, user=desk[Role.ONE_STOP_CLERK], action="request_supplement", note="Thiếu giấy tờ")
    client.force_login(citizen)
    response = client.post(page("supplement", submitted), {"note": "x"}, follow=True)
    assert "Cần tải lên giấy tờ bổ sung" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.supplement_submitted_at is None


def test_a_refused_supplement_file_keeps_the_note_and_asks_for_the_file_again(client, citizen, submitted, desk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    dossier_act(dossier=submitted, user=desk[Role.ONE_STOP_CLERK], action="request_supplement", note="Thiếu giấy tờ")
    client.force_login(citizen)
    not_a_pdf = SimpleUploadedFile("chung-sinh.pdf", b"plain text, not a PDF", content_type="application/pdf")

    response = client.post(page("supplement", submitted), {
        "requirement": "Giấy chứng sinh", "note": "Bản chụp rõ hơn, mong xem lại giúp", "files": not_a_pdf})

    html = response.content.decode()
    assert response.status_code == 400
    assert ">Bản chụp rõ hơn, mong xem lại giúp</textarea>" in html
    assert 'value="Giấy chứng sinh"' in html
    error = html[html.index('id="bo-sung-tep-error"'):]
    assert "Chọn lại tệp; ghi chú đã nhập được giữ lại." in error[:600]
    assert 'aria-describedby="bo-sung-tep-error"' in html
    submitted.refresh_from_db()
    assert submitted.supplement_submitted_at is None
    assert not submitted.documents.filter(kind=DocumentKind.SUPPLEMENT).exists()


def test_the_owner_withdraws_while_allowed(client, citizen, submitted):
    client.force_login(citizen)
    client.post(page("withdraw", submitted), {"note": "Nộp nhầm thủ tục", "xac_nhan": "on"})
    submitted.refresh_from_db()
    assert submitted.state == DossierState.WITHDRAWN
    assert submitted.events.last().actor == citizen


def _resolve(dossier, desk):
    dossier_act(dossier=dossier, user=desk[Role.ONE_STOP_CLERK], action="receive")
    dossier_act(dossier=dossier, user=desk[Role.SPECIALIST], action="start")
    dossier_document_add(dossier=dossier, user=desk[Role.SPECIALIST], file=pdf_file("giay-khai-sinh.pdf"),
                         kind=DocumentKind.RESULT)
    return dossier


def test_result_files_appear_only_once_the_result_is_approved(client, citizen, submitted, desk):
    _resolve(submitted, desk)
    client.force_login(citizen)
    result = submitted.documents.get(kind=DocumentKind.RESULT)
    assert client.get(page("document", submitted, result.pk)).status_code == 404
    dossier_act(dossier=submitted, user=desk[Role.HEAD_OF_DIVISION], action="resolve")
    assert "giay-khai-sinh.pdf" in client.get(page("dossier", submitted)).content.decode()
    assert client.get(page("document", submitted, result.pk)).status_code == 200


def test_the_owner_rates_once_after_the_result_is_returned(client, citizen, submitted, desk):
    _resolve(submitted, desk)
    dossier_act(dossier=submitted, user=desk[Role.HEAD_OF_DIVISION], action="resolve")
    dossier_act(dossier=submitted, user=desk[Role.ONE_STOP_CLERK], action="return_result")
    client.force_login(citizen)
    client.post(page("rate", submitted), {"level": "satisfied", "comment": "Nhanh"})
    submitted.refresh_from_db()
    assert submitted.rating.level == "satisfied"
    response = client.post(page("rate", submitted), {"level": "unsatisfied"}, follow=True)
    assert "đã được đánh giá" in response.content.decode()


def test_a_fee_due_links_to_the_payment_page(client, citizen, submitted, desk):
    version = submitted.procedure_version
    version.fee_vnd = 8000
    version.save(update_fields=["fee_vnd"])
    dossier_act(dossier=submitted, user=desk[Role.ONE_STOP_CLERK], action="receive")
    client.force_login(citizen)
    assert f"/thanh-toan/ho-so/{submitted.code}/" in client.get(page("dossier", submitted)).content.decode()


def test_control_characters_in_free_text_do_not_break_anything(client, citizen, submitted):
    client.force_login(citizen)
    response = client.post(page("withdraw", submitted), {"note": "Nộp nhầm\x00"})
    # The NUL is removed before any view (egov.core.middleware); unconfirmed, the page asks again, the note kept.
    assert response.status_code == 400 and 'value="Nộp nhầm"' in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == "submitted"
    response = client.post(page("withdraw", submitted), {"note": "Nộp nhầm\x07", "xac_nhan": "on"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == "withdrawn" and submitted.closing_reason.startswith("Nộp nhầm")


def test_the_dossier_page_shows_the_answers_with_their_labels(client, citizen, submitted):
    client.force_login(citizen)
    body = client.get(page("dossier", submitted)).content.decode()
    assert "Nội dung tờ khai" in body
    assert "Họ, chữ đệm và tên của trẻ" in body and "Đặng Minh An" in body
    assert "<dd>Cha</dd>" in body  # the option's label, not its value
    assert "Người được ủy quyền" not in body  # hidden for these answers


def test_a_second_supplement_round_cannot_delete_the_files_the_desk_already_accepted(client, citizen, submitted, desk):
    from one_stop.models import DossierDocument
    from public_services.services import portal_supplement_send

    clerk = desk[Role.ONE_STOP_CLERK]
    dossier_act(dossier=submitted, user=clerk, action="receive")
    dossier_act(dossier=submitted, user=clerk, action="request_supplement", note="Thiếu bản chính giấy chứng sinh")
    portal_supplement_send(dossier=submitted, citizen=citizen, uploads=[("Giấy chứng sinh", pdf_file("ban-chinh.pdf"))])
    dossier_act(dossier=submitted, user=clerk, action="resume")  # the desk accepted the first round's file
    first_round = DossierDocument.objects.get(dossier=submitted, kind="supplement")
    dossier_act(dossier=submitted, user=desk[Role.SPECIALIST], action="request_supplement", note="Thiếu văn bản ủy quyền")
    client.force_login(citizen)
    delete_url = page("document_delete", submitted, first_round.pk)

    assert delete_url not in client.get(page("dossier", submitted)).content.decode()  # not offered
    response = client.post(delete_url, follow=True)

    assert DossierDocument.objects.filter(pk=first_round.pk).exists()
    assert "Tệp đã được Bộ phận Một cửa tiếp nhận, không xóa được." in response.content.decode()
