import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from one_stop.constants import DossierState
from one_stop.models import Dossier, DossierDocument
from tests.factories import UserFactory
from tests.public_services.conftest import BIRTH_POST, pdf_file

pytestmark = pytest.mark.django_db


def apply_url(code="1.001193", draft=None):
    url = reverse("public_services:apply", args=[code])
    return f"{url}?nhap={draft}" if draft else url


def test_the_form_is_prefilled_from_the_profile_and_carries_its_conditions(client, citizen, online_birth, commune):
    client.force_login(citizen)
    body = client.get(apply_url()).content.decode()
    assert f'value="{citizen.full_name}" readonly' in body
    assert f'value="{citizen.national_id}" readonly' in body
    assert 'data-show-if="{&quot;field&quot;: &quot;quan_he&quot;, &quot;equals&quot;: &quot;uy_quyen&quot;}"' in body
    assert '<label for="f-ho-ten-tre">' in body
    assert "Ủy ban nhân dân Phường Đông Kinh" in body


def test_only_signed_in_citizens_apply(client, online_birth, desk):
    assert client.get(apply_url()).status_code == 302
    client.force_login(next(iter(desk.values())))
    assert client.get(apply_url()).status_code == 403


def test_a_procedure_without_an_online_form_sends_the_citizen_back(client, citizen, birth_procedure):
    client.force_login(citizen)
    response = client.get(apply_url())
    assert response.status_code == 302 and response.url == reverse("public_services:procedure", args=["1.001193"])


def test_saving_a_draft_keeps_partial_answers_under_a_temporary_code(client, citizen, online_birth, commune):
    client.force_login(citizen)
    response = client.post(apply_url(), {"agency": commune.pk, "ho_ten_tre": "Đặng Minh An", "action": "save"})

    dossier = Dossier.objects.get(citizen=citizen)
    assert dossier.state == DossierState.DRAFT and dossier.code.startswith("NHAP-")
    assert dossier.form_data["ho_ten_tre"] == "Đặng Minh An"
    assert response.status_code == 302 and response.url == apply_url(draft=dossier.code)
    assert "Đặng Minh An" in client.get(response.url).content.decode()


def test_submitting_incomplete_answers_shows_errors_next_to_each_field_and_loses_nothing(client, citizen,
                                                                                         online_birth, commune):
    client.force_login(citizen)
    post = {**BIRTH_POST, "agency": commune.pk, "quan_he": "uy_quyen", "so_dinh_danh_me": "123", "action": "submit"}
    del post["ho_ten_tre"]

    response = client.post(apply_url(), post)

    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="f-ho-ten-tre-error"' in body and 'id="f-so-dinh-danh-me-error"' in body
    assert 'id="f-ten-nguoi-uy-quyen-error"' in body  # shown by the choice, so required
    # Everything typed comes back in the form, and a refused submission leaves no draft behind.
    assert 'value="123"' in body and BIRTH_POST["noi_sinh"] in body
    assert not Dossier.objects.filter(citizen=citizen).exists()


def test_submitting_without_the_required_upload_is_refused_by_name(client, citizen, online_birth, commune):
    client.force_login(citizen)
    response = client.post(apply_url(), {**BIRTH_POST, "agency": commune.pk, "action": "submit"})
    assert response.status_code == 400
    assert "Cần tải lên: Giấy chứng sinh" in response.content.decode()
    assert not Dossier.objects.filter(citizen=citizen).exists()


def test_an_empty_form_reports_every_error_at_once_and_leaves_no_draft(client, citizen, online_birth, commune):
    from tests.factories import AgencyFactory

    AgencyFactory(commune=True, name="Ủy ban nhân dân Phường Tam Thanh")  # two desks: the citizen must choose
    client.force_login(citizen)

    response = client.post(apply_url(), {"action": "submit"})

    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="f-agency-error"' in body and 'id="f-ho-ten-tre-error"' in body and 'id="f-ngay-sinh-error"' in body
    assert "Cần tải lên: Giấy chứng sinh" in body
    assert "Hồ sơ chưa được nộp." in body
    assert not Dossier.objects.exists()


def test_a_refused_submission_with_an_agency_leaves_no_stray_draft(client, citizen, online_birth, commune):
    client.force_login(citizen)

    for _ in range(3):
        assert client.post(apply_url(), {"agency": commune.pk, "action": "submit"}).status_code == 400

    assert not Dossier.objects.filter(citizen=citizen).exists()
    assert "Bản nháp" not in client.get(reverse("public_services:my_dossiers")).content.decode()


def test_a_refused_submission_says_the_chosen_files_were_not_kept(client, citizen, online_birth, commune):
    client.force_login(citizen)
    post = {**BIRTH_POST, "agency": commune.pk, "action": "submit", "upload-giay_chung_sinh": pdf_file()}
    del post["ho_ten_tre"]

    body = client.post(apply_url(), post).content.decode()

    assert "Các tệp vừa chọn chưa được lưu" in body
    assert not DossierDocument.objects.exists()


def test_a_refused_submission_of_a_saved_draft_keeps_the_new_answers_in_that_draft(client, citizen, online_birth,
                                                                                    commune):
    client.force_login(citizen)
    client.post(apply_url(), {"agency": commune.pk, "ho_ten_tre": "Đặng Minh An", "action": "save"})
    draft = Dossier.objects.get(citizen=citizen)

    response = client.post(apply_url(), {"nhap": draft.code, "noi_sinh": "Trạm y tế phường", "action": "submit"})

    assert response.status_code == 400 and "Cần tải lên: Giấy chứng sinh" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == DossierState.DRAFT and draft.form_data["noi_sinh"] == "Trạm y tế phường"
    assert Dossier.objects.filter(citizen=citizen).count() == 1


def test_a_complete_form_with_its_pdf_is_submitted_to_the_chosen_desk(client, citizen, online_birth, commune):
    client.force_login(citizen)
    response = client.post(apply_url(), {**BIRTH_POST, "agency": commune.pk, "action": "submit",
                                         "upload-giay_chung_sinh": pdf_file()})

    dossier = Dossier.objects.get(citizen=citizen)
    assert response.status_code == 302 and response.url == reverse("public_services:dossier", args=[dossier.code])
    assert dossier.state == DossierState.SUBMITTED and not dossier.code.startswith("NHAP-")
    assert dossier.code.startswith(commune.exchange_code)
    assert dossier.receiving_agency == commune == dossier.handling_agency
    assert (dossier.applicant_name, dossier.applicant_id_number) == (citizen.full_name, citizen.national_id)
    assert dossier.form_data["ho_ten_tre"] == "Đặng Minh An" and "ten_nguoi_uy_quyen" not in dossier.form_data
    assert list(dossier.events.values_list("action", flat=True)) == ["draft", "submit"]
    assert list(dossier.documents.values_list("requirement", "content_type")) == [("giay_chung_sinh", "application/pdf")]


def test_a_renamed_executable_is_refused_and_the_answers_come_back(client, citizen, online_birth, commune):
    client.force_login(citizen)
    fake = SimpleUploadedFile("giay-chung-sinh.pdf", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")
    response = client.post(apply_url(), {**BIRTH_POST, "agency": commune.pk, "action": "submit",
                                         "upload-giay_chung_sinh": fake})
    assert response.status_code == 400
    body = response.content.decode()
    # The slot's own types, as its file chooser and its note say: no DOCX for a birth certificate.
    assert "không đúng định dạng cho phép (PDF, JPEG, PNG)" in body
    assert DossierDocument.objects.count() == 0 and not Dossier.objects.exists()
    assert 'value="Đặng Minh An"' in body


def test_an_empty_file_is_called_empty(client, citizen, online_birth, commune):
    client.force_login(citizen)
    empty = SimpleUploadedFile("giay-chung-sinh.pdf", b"", content_type="application/pdf")

    response = client.post(apply_url(), {"agency": commune.pk, "action": "save", "upload-giay_chung_sinh": empty})

    body = response.content.decode()
    assert response.status_code == 400
    assert "Tệp “giay-chung-sinh.pdf” trống (0 byte)" in body and "không đúng định dạng" not in body
    assert not DossierDocument.objects.exists()


def test_each_file_input_accepts_and_names_exactly_the_types_its_slot_takes(client, citizen, online_birth, commune):
    from public_services.demo_forms import BIRTH_REGISTRATION

    client.force_login(citizen)
    body = client.get(apply_url()).content.decode()

    slot = BIRTH_REGISTRATION["uploads"][0]
    assert slot["accept"] == ["pdf", "jpeg", "png"]
    tag = body[body.index(f'id="u-{slot["name"]}" name='):]
    tag = tag[:tag.index(">")]
    assert 'accept=".pdf,application/pdf,.jpg,.jpeg,image/jpeg,.png,image/png"' in tag
    assert f'aria-describedby="u-{slot["name"]}-types"' in tag
    assert f'<small id="u-{slot["name"]}-types">Định dạng nhận: PDF, JPEG, PNG.</small>' in body
    assert "PDF, JPEG, PNG hoặc DOCX" not in body


def test_a_docx_slot_offers_docx_files_by_extension_and_type():
    from public_services.forms.html import form_bind

    schema = {"sections": [], "uploads": [{"name": "hop_dong", "label": "Hợp đồng", "accept": ["pdf", "docx"]}]}

    upload = form_bind(schema, {}, {})["uploads"][0]

    assert upload["accept_attr"] == (".pdf,application/pdf,.docx,"
                                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert upload["types_label"] == "PDF, DOCX"


def test_a_desk_outside_the_list_is_refused(client, citizen, online_birth, commune):
    client.force_login(citizen)
    response = client.post(apply_url(), {**BIRTH_POST, "agency": "999999", "action": "save"})
    assert response.status_code == 400
    html = response.content.decode()
    # The refusal and the field's error are one message: under the list, and as the summary's link to the list.
    assert html.count("Chọn nơi nộp hồ sơ") == 2
    select_to_hint = html[html.index('<select id="f-agency"'):html.index("Thủ tục cấp xã")]
    assert "Chọn nơi nộp hồ sơ" in select_to_hint and 'aria-describedby="f-agency-error f-agency-help"' in select_to_hint
    assert "Còn 1 thông tin cần sửa" in html
    start = html.index('id="form-errors"')
    summary = html[start:html.index("<form", start)]
    assert '<a href="#f-agency">' in summary and "Chọn nơi nộp hồ sơ" in summary
    assert not Dossier.objects.exists()


def test_another_citizens_draft_is_404(client, citizen, other_citizen, online_birth, commune):
    client.force_login(citizen)
    client.post(apply_url(), {"agency": commune.pk, "action": "save"})
    draft = Dossier.objects.get(citizen=citizen)
    client.force_login(other_citizen)
    assert client.get(apply_url(draft=draft.code)).status_code == 404
    assert client.post(apply_url(), {"nhap": draft.code, "action": "submit"}).status_code == 404


def test_a_draft_file_can_be_removed_before_submission(client, citizen, online_birth, commune):
    client.force_login(citizen)
    client.post(apply_url(), {"agency": commune.pk, "action": "save", "upload-giay_chung_sinh": pdf_file()})
    document = DossierDocument.objects.get()
    response = client.post(reverse("public_services:document_delete", args=[document.dossier.code, document.pk]))
    assert response.status_code == 302
    assert not DossierDocument.objects.exists()


def test_a_citizen_without_a_verified_id_number_gets_a_clear_error_not_a_500(client, online_birth, commune):
    from egov.accounts.roles import Role

    client.force_login(UserFactory(roles=[Role.CITIZEN]))
    response = client.post(apply_url(), {**BIRTH_POST, "agency": commune.pk, "action": "save"})
    assert response.status_code == 400
    assert "số định danh" in response.content.decode()


@pytest.mark.parametrize("typed", ["1" * 5000, "1" * 400 + ".5"])
def test_a_huge_number_in_the_online_form_is_a_field_error_not_a_500(client, citizen, online_birth, commune, typed):
    client.raise_request_exception = False
    client.force_login(citizen)
    post = {**BIRTH_POST, "agency": commune.pk, "sinh_doi": "on", "anh_chi_em_sinh_cung-0-_": "",
            "anh_chi_em_sinh_cung-0-ho_ten": "Đặng Minh Anh", "anh_chi_em_sinh_cung-0-thu_tu": typed,
            "action": "save"}

    response = client.post(apply_url(), post)

    body = response.content.decode()
    assert response.status_code == 400
    assert "Nhập một số." in body and typed in body  # what was typed comes back, with the field's error


@pytest.mark.parametrize(("typed", "error", "shown"), [
    ("1e400", "Nhập một số.", '<input type="text" id="f-anh-chi-em-sinh-cung-0-thu-tu" name="anh_chi_em_sinh_cung-0-thu_tu"'
                              ' value="1e400"'),
    ("NaN", "Nhập một số.", '<input type="text" id="f-anh-chi-em-sinh-cung-0-thu-tu" name="anh_chi_em_sinh_cung-0-thu_tu"'
                            ' value="NaN"'),
    ("12,0", "Nhập một số.", '<input type="text" id="f-anh-chi-em-sinh-cung-0-thu-tu" name="anh_chi_em_sinh_cung-0-thu_tu"'
                             ' value="12,0"'),
    # A number, not whole: it stays a number field, its value written as a number input reads it (not "2,5").
    ("2.5", "Nhập một số nguyên.", '<input type="number" id="f-anh-chi-em-sinh-cung-0-thu-tu"'
                                   ' name="anh_chi_em_sinh_cung-0-thu_tu" value="2.5"'),
])
def test_an_invalid_number_comes_back_as_typed_next_to_its_error(client, citizen, online_birth, commune, typed, error,
                                                                 shown):
    client.force_login(citizen)
    post = {**BIRTH_POST, "agency": commune.pk, "sinh_doi": "on", "anh_chi_em_sinh_cung-0-_": "",
            "anh_chi_em_sinh_cung-0-ho_ten": "Đặng Minh Anh", "anh_chi_em_sinh_cung-0-thu_tu": typed,
            "action": "save"}

    body = client.post(apply_url(), post).content.decode()

    assert shown in body
    field = body.split('data-field="thu_tu"')[1].split("</div>")[0]
    assert error in field and 'aria-invalid="true"' in field
    assert 'inputmode="decimal"' in field if "text" in shown else 'inputmode' not in field


def test_a_valid_number_comes_back_in_a_number_field(client, citizen, online_birth, commune):
    client.force_login(citizen)
    post = {**BIRTH_POST, "agency": commune.pk, "sinh_doi": "on", "anh_chi_em_sinh_cung-0-_": "",
            "anh_chi_em_sinh_cung-0-ho_ten": "", "anh_chi_em_sinh_cung-0-thu_tu": "2", "action": "submit"}

    body = client.post(apply_url(), post).content.decode()

    assert ('<input type="number" id="f-anh-chi-em-sinh-cung-0-thu-tu" name="anh_chi_em_sinh_cung-0-thu_tu" value="2"'
            ' step="1" min="1" max="5"') in body
