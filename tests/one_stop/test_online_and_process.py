"""Drafts and online submission, the desk's online inbox, dossier files, the internal process with
per-step deadlines, the due-date ledger, and the counter's checklist."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from one_stop.catalogue.data import ProcedureData, ProcessStep, RequiredDocument
from one_stop.constants import DocumentKind
from one_stop.constants import DossierState as S
from one_stop.models import Dossier, DossierDocument
from one_stop.services.catalogue import procedure_upsert
from one_stop.services.documents import dossier_document_add
from one_stop.services.dossiers import (
    dossier_act,
    dossier_draft_create,
    dossier_draft_update,
    dossier_submit,
    dossier_supplement_submit,
)
from one_stop.services.process import dossier_step_complete
from tests.factories import AgencyFactory, UserFactory
from tests.one_stop.factories import at_local, receive_at_counter
from tests.pdfs import MINIMAL_PDF

PDF = MINIMAL_PDF


def pdf(name="to-khai.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/octet-stream")


def at(when):
    return mock.patch("django.utils.timezone.now", return_value=when)


@pytest.fixture
def citizen(db):
    return UserFactory(citizen=True, full_name="Hoàng Thị Lan", national_id="020195004321")


# ----------------------------------------------------------------------------- drafts and submission

@pytest.mark.django_db
def test_a_draft_gets_a_temporary_code_and_the_desk_code_only_when_submitted(citizen, procedure, agency):
    with at(at_local(2026, 3, 2, 9, 0)):
        draft = dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=agency,
                                     form_data={"ho_ten_tre": "Nguyễn Văn An"})
    assert draft.state == S.DRAFT and draft.code.startswith("NHAP-")
    dossier_draft_update(dossier=draft, citizen=citizen, form_data={"ho_ten_tre": "Nguyễn Văn Bình"})
    dossier_document_add(dossier=draft, user=citizen, file=pdf(), requirement="Tờ khai")
    with at(at_local(2026, 3, 2, 10, 0)):
        submitted = dossier_submit(dossier=draft, citizen=citizen)
    assert submitted.state == S.SUBMITTED and submitted.code == "000.00.00.H41-260302-0001"
    assert submitted.form_data == {"ho_ten_tre": "Nguyễn Văn Bình"} and submitted.due_at is None
    assert list(submitted.events.values_list("action", "from_state", "to_state")) == [
        ("draft", "", S.DRAFT), ("submit", S.DRAFT, S.SUBMITTED)]
    with pytest.raises(ApplicationError) as info:
        dossier_draft_update(dossier=submitted, citizen=citizen, form_data={})
    assert info.value.status == 409
    with pytest.raises(ApplicationError) as info:
        dossier_document_add(dossier=submitted, user=citizen, file=pdf())
    assert info.value.status == 409


@pytest.mark.django_db
def test_another_citizen_cannot_touch_a_draft(citizen, procedure, agency):
    draft = dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=agency)
    other = UserFactory(citizen=True)
    with pytest.raises(ApplicationError) as info:
        dossier_submit(dossier=draft, citizen=other)
    assert info.value.status == 404
    with pytest.raises(ApplicationError):
        dossier_document_add(dossier=draft, user=other, file=pdf())
    assert Dossier.objects.get().state == S.DRAFT and not DossierDocument.objects.exists()


@pytest.mark.django_db
def test_an_upload_is_checked_by_content_not_by_name(citizen, procedure, agency):
    draft = dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=agency)
    fake = SimpleUploadedFile("giay-to.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ApplicationError) as info:
        dossier_document_add(dossier=draft, user=citizen, file=fake)
    assert info.value.status == 400 and "không đúng định dạng" in info.value.message
    document = dossier_document_add(dossier=draft, user=citizen, file=pdf("Giấy khai sinh.pdf"))
    assert document.content_type == "application/pdf" and document.size == len(PDF)
    assert "Giấy" not in document.file.name  # stored under a random name; the original is kept in the row
    assert document.original_name == "Giấy khai sinh.pdf"


@pytest.mark.django_db
def test_the_desk_asks_an_online_applicant_for_a_supplement_and_receives_the_complete_dossier(
        staff, citizen, procedure, agency):
    clerk = staff[Role.ONE_STOP_CLERK]
    draft = dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=agency)
    dossier = dossier_submit(dossier=draft, citizen=citizen)
    with at(at_local(2026, 3, 2, 9, 0)):
        dossier = dossier_act(dossier=dossier, user=clerk, action="request_supplement",
                              note="Thiếu giấy chứng sinh; tờ khai chưa ký")
    assert dossier.state == S.SUPPLEMENT_REQUESTED and dossier.received_at is None
    with pytest.raises(ApplicationError) as info:  # nothing uploaded yet
        dossier_supplement_submit(dossier=dossier, citizen=citizen)
    assert info.value.code == "supplement_empty"
    dossier_document_add(dossier=dossier, user=citizen, file=pdf("giay-chung-sinh.pdf"), kind=DocumentKind.SUPPLEMENT)
    dossier = dossier_supplement_submit(dossier=dossier, citizen=citizen)
    from one_stop.selectors import dossiers_online_inbox_for

    assert list(dossiers_online_inbox_for(user=clerk)) == [dossier]
    with pytest.raises(ApplicationError) as info:  # never received: there is no clock to resume
        dossier_act(dossier=dossier, user=clerk, action="resume")
    assert info.value.status == 409
    with at(at_local(2026, 3, 4, 16, 0)):  # Wednesday after 15:00
        dossier = dossier_act(dossier=dossier, user=clerk, action="receive")
    assert dossier.state == S.RECEIVED and dossier.supplement_submitted_at is None
    assert dossier.closing_reason == ""  # the request is settled: its text stays in the history, not on the dossier
    assert dossier.due_at == at_local(2026, 3, 12, 17, 0)  # 5 working days from Thursday 5 March
    assert list(dossiers_online_inbox_for(user=clerk)) == []


@pytest.mark.django_db
def test_the_online_inbox_lists_only_this_desks_submissions_in_constant_queries(
        client, staff, citizen, procedure, agency, django_assert_num_queries):
    other_desk = AgencyFactory()
    dossier_submit(dossier=dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=other_desk),
                   citizen=citizen)
    client.force_login(staff[Role.ONE_STOP_CLERK])
    client.get("/mot-cua/truc-tuyen/")  # the staff menu is cached after the first page: measure warm pages

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/mot-cua/truc-tuyen/")
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    mine = dossier_submit(dossier=dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=agency),
                          citizen=citizen)
    one, page = count_queries()
    assert mine.code in page and "000.00" in page
    for _ in range(5):
        dossier_submit(dossier=dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=agency),
                       citizen=citizen)
    many, page = count_queries()
    assert one == many
    assert page.count("<tr>") == 1 + 6  # header + this desk's six, not the other desk's
    client.force_login(staff[Role.SPECIALIST])
    assert client.get("/mot-cua/truc-tuyen/").status_code == 404


# ----------------------------------------------------------------------------- files

@pytest.mark.django_db
def test_files_are_downloaded_here_only_by_the_dossiers_agencies(client, staff, citizen, procedure, agency):
    draft = dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=agency)
    document = dossier_document_add(dossier=draft, user=citizen, file=pdf())
    dossier = dossier_submit(dossier=draft, citizen=citizen)
    url = f"/mot-cua/ho-so/{dossier.code}/tep/{document.pk}/"
    client.force_login(staff[Role.SPECIALIST])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    # The owner too gets 404 on the desk's route: the portal's own route applies the citizen's rules (a result
    # only once approved).
    client.force_login(citizen)
    assert client.get(url).status_code == 404
    assert client.get(f"/dich-vu-cong/ho-so-cua-toi/{dossier.code}/tep/{document.pk}/").status_code == 200
    for outsider in (UserFactory(citizen=True), UserFactory(agency=AgencyFactory(), roles=[Role.SPECIALIST])):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_handling_agency_uploads_the_result_but_the_desk_cannot(staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    dossier = dossier_act(dossier=dossier, user=staff[Role.SPECIALIST], action="start")
    with pytest.raises(ApplicationError) as info:
        dossier_document_add(dossier=dossier, user=staff[Role.ONE_STOP_CLERK], file=pdf(), kind=DocumentKind.RESULT)
    assert info.value.status == 403
    result = dossier_document_add(dossier=dossier, user=staff[Role.SPECIALIST], file=pdf("ket-qua.pdf"),
                                  kind=DocumentKind.RESULT)
    assert result.kind == DocumentKind.RESULT


# ----------------------------------------------------------------------------- the counter's checklist

@pytest.mark.django_db
def test_the_counter_shows_the_checklist_then_receives_with_ticks_scans_and_an_exemption(client, staff, agency):
    procedure_upsert(data=ProcedureData(
        code="2.000815", name="Thủ tục cấp bản sao trích lục hộ tịch", processing_days=1, fee_vnd=8000,
        required_documents=[RequiredDocument(name="Tờ khai cấp bản sao", copies="1 bản chính"),
                            RequiredDocument(name="Giấy ủy quyền", copies="1 bản chính")]),
        effective_from=at_local(2025, 7, 1, 0, 0))
    client.force_login(staff[Role.ONE_STOP_CLERK])
    applicant = {"procedure": "2.000815", "full_name": "Đặng Văn Công", "id_number": "020095001234",
                 "fee_exempt_reason": "Người có công với cách mạng"}
    first = client.post("/mot-cua/tiep-nhan/", applicant)
    assert first.status_code == 200 and not Dossier.objects.exists()
    assert "Tờ khai cấp bản sao" in first.content.decode() and 'name="checklist_shown"' in first.content.decode()
    fragment = client.get("/mot-cua/tiep-nhan/thanh-phan/", {"procedure": "2.000815"}).content.decode()
    assert "Giấy ủy quyền" in fragment
    response = client.post("/mot-cua/tiep-nhan/", {**applicant, "checklist_shown": "1", "received": ["0"],
                                                   "scan-0": pdf("to-khai-scan.pdf")})
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert [item["received"] for item in dossier.checklist] == [True, False]
    assert dossier.fee_vnd == 0 and dossier.fee_note == "Người có công với cách mạng"
    assert list(dossier.documents.values_list("requirement", "original_name")) == [("Tờ khai cấp bản sao",
                                                                                  "to-khai-scan.pdf")]
    import subprocess

    from one_stop.pdf.receipt import receipt_pdf
    from tests.one_stop.test_receipt import _tool

    text = subprocess.run([_tool("pdftotext"), "-", "-"], input=receipt_pdf(dossier=dossier, base_url="http://testserver/"),
                          capture_output=True, check=True).stdout.decode()
    assert "Tờ khai cấp bản sao" in text and "Giấy ủy quyền" not in text and "Miễn phí" in text


# ----------------------------------------------------------------------------- the internal process

@pytest.mark.django_db
def test_the_default_process_spreads_the_time_limit_and_ends_on_the_due_date(staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))  # Monday, 5 working days
    steps = list(dossier.steps.order_by("order"))
    assert [(s.name, s.role, s.days) for s in steps] == [
        ("Tiếp nhận hồ sơ", Role.ONE_STOP_CLERK, 0), ("Thẩm định, giải quyết", Role.SPECIALIST, 4),
        ("Phê duyệt kết quả", Role.LEADER, 1), ("Trả kết quả", Role.ONE_STOP_CLERK, 0)]
    assert steps[0].completed_at == dossier.received_at
    assert steps[1].due_at == at_local(2026, 3, 6, 17, 0) and steps[2].due_at == dossier.due_at
    dossier = dossier_act(dossier=dossier, user=staff[Role.SPECIALIST], action="start")
    dossier = dossier_act(dossier=dossier, user=staff[Role.LEADER], action="resolve")
    assert [s.completed_at is not None for s in dossier.steps.order_by("order")] == [True, True, True, False]
    dossier_act(dossier=dossier, user=staff[Role.ONE_STOP_CLERK], action="return_result")
    assert not dossier.steps.filter(completed_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_joint_procedure_gives_each_agency_its_deadline_and_hands_the_dossier_over(staff, agency):
    tax = AgencyFactory(name="Thuế tỉnh Lạng Sơn", exchange_code="000.00.31.H41")
    tax_officer = UserFactory(agency=tax, roles=[Role.SPECIALIST])
    procedure = procedure_upsert(data=ProcedureData(
        code="1.004222", name="Thủ tục chuyển nhượng quyền sử dụng đất", processing_days=10, process=[
            ProcessStep(name="Tiếp nhận", role=Role.ONE_STOP_CLERK, agency="receiving", days=0),
            ProcessStep(name="Thẩm định hồ sơ", role=Role.SPECIALIST, agency="competent", days=4),
            ProcessStep(name="Xác định nghĩa vụ tài chính", role=Role.SPECIALIST, agency="000.00.31.H41", days=3),
            ProcessStep(name="Ký giấy chứng nhận", role=Role.LEADER, agency="competent", days=3),
            ProcessStep(name="Trả kết quả", role=Role.ONE_STOP_CLERK, agency="receiving", days=0)]),
        effective_from=at_local(2025, 7, 1, 0, 0))[0]
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    due = {s.name: s.due_at for s in dossier.steps.all()}
    assert due["Thẩm định hồ sơ"] == at_local(2026, 3, 6, 17, 0)
    assert due["Xác định nghĩa vụ tài chính"] == at_local(2026, 3, 11, 17, 0)
    assert due["Ký giấy chứng nhận"] == dossier.due_at == at_local(2026, 3, 16, 17, 0)
    with pytest.raises(ApplicationError) as info:  # not the tax office's turn yet
        dossier_step_complete(dossier=dossier, user=tax_officer)
    assert info.value.status == 403
    with at(at_local(2026, 3, 9, 10, 0)):  # a day late for its step
        dossier_step_complete(dossier=dossier, user=staff[Role.SPECIALIST], note="Hồ sơ hợp lệ")
    dossier.refresh_from_db()
    assert dossier.handling_agency == tax and dossier.state == S.IN_PROGRESS
    assert "quá hạn của bước" in dossier.events.get(action="step_complete").note
    dossier_step_complete(dossier=dossier, user=tax_officer)
    dossier.refresh_from_db()
    assert dossier.handling_agency == tax  # the leader's step is at the competent agency, which is the desk here
    assert dossier.steps.get(name="Xác định nghĩa vụ tài chính").completed_by == tax_officer


@pytest.mark.django_db
def test_a_supplement_restarts_the_deadlines_of_the_open_steps(staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    with at(at_local(2026, 3, 3, 9, 0)):
        dossier = dossier_act(dossier=dossier, user=staff[Role.SPECIALIST], action="request_supplement", note="Thiếu")
    with at(at_local(2026, 3, 9, 9, 0)):
        dossier = dossier_act(dossier=dossier, user=staff[Role.ONE_STOP_CLERK], action="resume")
    assert dossier.steps.get(order=2).due_at == at_local(2026, 3, 13, 17, 0)
    assert dossier.steps.get(order=3).due_at == dossier.due_at == at_local(2026, 3, 16, 17, 0)


# ----------------------------------------------------------------------------- the due-date ledger

@pytest.mark.django_db
def test_the_ledger_explains_the_cutoff_the_pause_the_restart_and_the_postponement(client, staff, procedure):
    from one_stop.services.dossiers import dossier_postpone

    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 4, 15, 20))  # Wednesday after 15:00
    with at(at_local(2026, 3, 5, 10, 0)):
        dossier = dossier_act(dossier=dossier, user=staff[Role.ONE_STOP_CLERK], action="request_supplement",
                              note="Thiếu giấy chứng sinh")
    with at(at_local(2026, 3, 10, 9, 0)):
        dossier = dossier_act(dossier=dossier, user=staff[Role.ONE_STOP_CLERK], action="resume")
    with at(at_local(2026, 3, 12, 9, 0)):
        dossier_postpone(dossier=dossier, user=staff[Role.LEADER], new_due_at=at_local(2026, 3, 20, 17, 0),
                         reason="Chờ xác minh")
    client.force_login(staff[Role.SPECIALIST])
    page = client.get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    ledger = page[page.index('class="ledger"'):page.index("</ol>", page.index('class="ledger"'))]
    for line in ("Tiếp nhận hồ sơ lúc 15:20 04/03/2026.",
                 "thời hạn tính từ 07:30 05/03/2026",
                 "Thời hạn giải quyết 5 ngày làm việc → hẹn trả 17:00 12/03/2026.",
                 "tạm dừng tính thời hạn (Thiếu giấy chứng sinh)",
                 "Nhận đủ hồ sơ bổ sung lúc 09:00 10/03/2026",
                 "hẹn trả 17:00 17/03/2026.",
                 "từ 17:00 17/03/2026 sang 17:00 20/03/2026 — Chờ xác minh"):
        assert line in ledger, line


@pytest.mark.django_db
def test_the_dossier_page_forwards_with_a_note_and_postpones_once(client, staff, procedure, agency):
    department = AgencyFactory(name="Sở Tư pháp")
    with at(at_local(2026, 3, 2, 9, 0)):
        dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    client.force_login(staff[Role.SPECIALIST])
    page = client.get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    assert "Chuyển cơ quan khác giải quyết" in page and "Xin lỗi và hẹn lại ngày trả kết quả" in page
    with at(at_local(2026, 3, 4, 9, 0)):
        bad = client.post(f"/mot-cua/ho-so/{dossier.code}/hen-lai/", {"new_due_at": "2026-03-01T17:00", "reason": "x"},
                          follow=True)
        assert "Ngày hẹn mới phải sau ngày hẹn trả hiện tại." in bad.content.decode()
        client.post(f"/mot-cua/ho-so/{dossier.code}/hen-lai/", {"new_due_at": "2026-03-13T17:00",
                                                                 "reason": "Chờ xác minh nhân thân"})
    dossier.refresh_from_db()
    assert dossier.due_at == at_local(2026, 3, 13, 17, 0) and dossier.original_due_at == at_local(2026, 3, 9, 17, 0)
    response = client.post(f"/mot-cua/ho-so/{dossier.code}/chuyen/", {"agency": department.pk, "note": "Đúng thẩm quyền Sở"})
    dossier.refresh_from_db()
    assert dossier.handling_agency == department
    assert response["Location"] == f"/mot-cua/ho-so/{dossier.code}/"  # the desk's agency still sees it (it received it)
    assert "Đúng thẩm quyền Sở" in dossier.events.get(action="forward").note


@pytest.mark.django_db
def test_the_applicant_is_told_of_each_change_in_the_portal_by_email_and_by_sms(staff, citizen, procedure, agency):
    from egov.notifications.models import Notification

    dossier = dossier_submit(dossier=dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=agency),
                             citizen=citizen)
    with at(at_local(2026, 3, 2, 9, 0)):
        dossier_act(dossier=dossier, user=staff[Role.ONE_STOP_CLERK], action="request_supplement",
                    note="thiếu giấy chứng sinh")
    in_app = list(Notification.objects.filter(recipient=citizen, channel="in_app").order_by("pk").values_list("body",
                                                                                                             flat=True))
    assert len(in_app) == 2
    assert "đang chờ tiếp nhận" in in_app[0] and "cần bổ sung, hoàn thiện: thiếu giấy chứng sinh" in in_app[1]
    assert Notification.objects.filter(channel="sms", address=citizen.phone).count() == 2
    assert Notification.objects.filter(channel="email", address=citizen.email).count() == 2



@pytest.mark.django_db
def test_a_clerk_working_in_english_still_writes_to_the_applicant_in_vietnamese(staff, citizen, procedure, agency):
    """The clerk's interface language is the clerk's: the applicant's SMS, e-mail and portal message are the
    authority's correspondence, in the portal's language."""
    from django.utils import translation

    from egov.notifications.models import Notification

    dossier = dossier_submit(dossier=dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=agency),
                             citizen=citizen)
    with at(at_local(2026, 3, 2, 9, 0)), translation.override("en"):
        dossier_act(dossier=dossier, user=staff[Role.ONE_STOP_CLERK], action="request_supplement",
                    note="thiếu giấy chứng sinh")
        assert translation.get_language() == "en"  # the clerk's page goes on in English
    sent = Notification.objects.filter(payload__dossier=dossier.code).order_by("pk")
    for notification in sent.filter(body__contains="thiếu giấy chứng sinh"):
        assert "cần bổ sung, hoàn thiện: thiếu giấy chứng sinh" in notification.body, notification.channel
        assert notification.subject == f"Hồ sơ {dossier.code}: Yêu cầu bổ sung, hoàn thiện", notification.subject
    assert {n.channel for n in sent.filter(body__contains="cần bổ sung")} == {"in_app", "sms", "email"}

@pytest.mark.django_db
def test_an_applicant_who_chose_english_is_written_to_in_english(staff, citizen, procedure, agency):
    """The applicant's own account says which language their messages are in (the profile's choice), whatever the
    clerk's; an applicant without an account, or who chose nothing, reads the portal's Vietnamese."""
    from django.utils import translation
    from django.utils.translation import gettext as _

    from egov.accounts.services import user_language_set
    from egov.notifications.models import Notification
    from one_stop.constants import DossierState

    user_language_set(user=citizen, language="en")
    dossier = dossier_submit(dossier=dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=agency),
                             citizen=citizen)
    with at(at_local(2026, 3, 2, 9, 0)):
        dossier_act(dossier=dossier, user=staff[Role.ONE_STOP_CLERK], action="request_supplement",
                    note="thiếu giấy chứng sinh")
        assert translation.get_language() == "vi"  # the clerk's page goes on in Vietnamese
    with translation.override("en"):
        subject = _("Hồ sơ %(code)s: %(state)s") % {"code": dossier.code,
                                                  "state": DossierState.SUPPLEMENT_REQUESTED.label}
    assert subject.startswith("Dossier ")
    sent = Notification.objects.filter(payload__dossier=dossier.code, body__contains="thiếu giấy chứng sinh")
    assert {n.channel for n in sent} == {"in_app", "sms", "email"}
    assert {n.subject for n in sent} == {subject}


@pytest.mark.django_db
def test_the_dossier_api_shows_the_owner_a_result_only_once_approved(client, staff, citizen, procedure, agency):
    clerk, specialist = staff[Role.ONE_STOP_CLERK], staff[Role.SPECIALIST]
    dossier = dossier_submit(dossier=dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=agency),
                             citizen=citizen)
    dossier = dossier_act(dossier=dossier_act(dossier=dossier, user=clerk, action="receive"), user=specialist,
                          action="start")
    dossier_document_add(dossier=dossier, user=specialist, file=pdf("ket-qua.pdf"), kind=DocumentKind.RESULT)

    def kinds(user):
        client.force_login(user)
        return [d["kind"] for d in client.get(f"/api/v1/dossiers/{dossier.code}/").json()["documents"]]

    assert kinds(specialist) == ["result"] and kinds(citizen) == []
    dossier_act(dossier=dossier, user=staff[Role.LEADER], action="resolve")
    assert kinds(citizen) == ["result"]
    # Once a signed result exists, the applicant reads it alone, as the portal shows it: not the unsigned draft it
    # was made from, nor a stamped copy waiting for a signature.
    signed = dossier_document_add(dossier=dossier, user=specialist, file=pdf("ket-qua-ky-so.pdf"), kind=DocumentKind.RESULT)
    waiting = dossier_document_add(dossier=dossier, user=specialist, file=pdf("cho-ky.pdf"), kind=DocumentKind.RESULT)
    type(signed).objects.filter(pk=signed.pk).update(signed=True)
    type(waiting).objects.filter(pk=waiting.pk).update(verification_token="cho-ky-" + "x" * 30)

    def names(user):
        client.force_login(user)
        return sorted(d["name"] for d in client.get(f"/api/v1/dossiers/{dossier.code}/").json()["documents"])

    assert names(citizen) == ["ket-qua-ky-so.pdf"]
    assert names(specialist) == ["cho-ky.pdf", "ket-qua-ky-so.pdf", "ket-qua.pdf"]


@pytest.mark.django_db
def test_an_online_dossier_owes_the_online_fee_the_catalogue_states(staff, citizen, agency):
    """"Trực tuyến: 10.000 đồng; Trực tiếp: 20.000 đồng": an online dossier was received (and paid) at 20.000."""
    from one_stop.catalogue.data import ChannelTerms
    from public_services.payments.services import dossier_fee_due

    procedure = procedure_upsert(data=ProcedureData(
        code="1.004222", name="Đăng ký thường trú", processing_days=7, fee_vnd=20000,
        channels=[ChannelTerms(channel="counter", processing_days=7, fee_vnd=20000),
                  ChannelTerms(channel="online", processing_days=7, fee_vnd=10000)]),
        effective_from=at_local(2025, 7, 1, 0, 0))[0]
    draft = dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=agency)
    dossier = dossier_submit(dossier=draft, citizen=citizen)
    assert dossier_fee_due(dossier) == 10000  # before receipt, from the catalogue's online row
    with at(at_local(2026, 3, 2, 9, 0)):
        dossier = dossier_act(dossier=dossier, user=staff[Role.ONE_STOP_CLERK], action="receive")
    assert dossier.fee_vnd == 10000
    assert receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0)).fee_vnd == 20000


@pytest.mark.django_db
def test_a_second_supplement_round_cannot_be_sent_without_a_new_file(staff, citizen, procedure, agency):
    """Found in review: the file of the first round counted for the second, so the applicant could "send" the second
    supplement with nothing new and the desk got the dossier back as if completed."""
    clerk = staff[Role.ONE_STOP_CLERK]
    dossier = dossier_submit(dossier=dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=agency),
                             citizen=citizen)
    with at(at_local(2026, 3, 2, 9, 0)):
        dossier = dossier_act(dossier=dossier, user=clerk, action="request_supplement", note="Thiếu giấy chứng sinh")
    with at(at_local(2026, 3, 2, 10, 0)):
        dossier_document_add(dossier=dossier, user=citizen, file=pdf("giay-chung-sinh.pdf"),
                             kind=DocumentKind.SUPPLEMENT)
        dossier = dossier_supplement_submit(dossier=dossier, citizen=citizen)
    with at(at_local(2026, 3, 3, 9, 0)):
        dossier = dossier_act(dossier=dossier, user=clerk, action="receive")
    with at(at_local(2026, 3, 4, 9, 0)):
        dossier = dossier_act(dossier=dossier, user=clerk, action="request_supplement", note="Tờ khai chưa ký")

    with at(at_local(2026, 3, 4, 10, 0)), pytest.raises(ApplicationError) as info:
        dossier_supplement_submit(dossier=dossier, citizen=citizen)

    assert info.value.code == "supplement_empty"
    with at(at_local(2026, 3, 4, 11, 0)):
        dossier_document_add(dossier=dossier, user=citizen, file=pdf("to-khai-da-ky.pdf"), kind=DocumentKind.SUPPLEMENT)
        dossier = dossier_supplement_submit(dossier=dossier, citizen=citizen)
    assert dossier.supplement_submitted_at is not None


@pytest.mark.django_db
def test_a_later_supplement_round_deletes_only_its_own_new_files_not_those_the_desk_accepted(staff, citizen, procedure,
                                                                                            agency):
    """Found in review: while a second round was open the applicant could delete the first round's file, which the
    desk had accepted when it took the dossier back."""
    from one_stop.services.documents import dossier_document_delete

    clerk = staff[Role.ONE_STOP_CLERK]
    dossier = dossier_submit(dossier=dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=agency),
                             citizen=citizen)
    with at(at_local(2026, 3, 2, 9, 0)):
        dossier = dossier_act(dossier=dossier, user=clerk, action="request_supplement", note="Thiếu giấy chứng sinh")
    with at(at_local(2026, 3, 2, 10, 0)):
        accepted = dossier_document_add(dossier=dossier, user=citizen, file=pdf("giay-chung-sinh.pdf"),
                                        kind=DocumentKind.SUPPLEMENT)
        dossier = dossier_supplement_submit(dossier=dossier, citizen=citizen)
    with at(at_local(2026, 3, 3, 9, 0)):
        dossier = dossier_act(dossier=dossier, user=clerk, action="receive")
    with at(at_local(2026, 3, 4, 9, 0)):
        dossier = dossier_act(dossier=dossier, user=clerk, action="request_supplement", note="Tờ khai chưa ký")
    with at(at_local(2026, 3, 4, 10, 0)):
        new = dossier_document_add(dossier=dossier, user=citizen, file=pdf("to-khai-da-ky.pdf"),
                                   kind=DocumentKind.SUPPLEMENT)

    with pytest.raises(ApplicationError) as info:
        dossier_document_delete(document=accepted, user=citizen)
    dossier_document_delete(document=new, user=citizen)

    assert (info.value.status, info.value.code) == (409, "document_accepted")
    assert info.value.message == "Tệp đã được Bộ phận Một cửa tiếp nhận, không xóa được."
    assert list(DossierDocument.objects.filter(dossier=dossier).values_list("pk", flat=True)) == [accepted.pk]
