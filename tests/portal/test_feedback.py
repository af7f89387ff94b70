import itertools
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from egov.notifications.models import Notification
from one_stop.catalogue.data import ProcedureData
from one_stop.services.catalogue import procedure_upsert
from portal.constants import FeedbackState, FeedbackSubject
from portal.models import Feedback, FeedbackAttachment
from portal.selectors import feedback_overdue
from portal.services import feedback as services
from tests.factories import AgencyFactory, UserFactory
from tests.portal.conftest import PDF, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure(db):
    return procedure_upsert(data=ProcedureData(code="1.001193", name="Thủ tục đăng ký khai sinh", field="Hộ tịch",
                                               levels=["commune"]))[0]


def _submit(citizen, agency, **fields):
    values = {"subject_kind": FeedbackSubject.REGULATION, "regulation": "Quyết định 15/2025/QĐ-UBND, Điều 3",
              "title": "Giờ tiếp nhận hồ sơ", "content": "Đề nghị tiếp nhận đến 17 giờ.", "agency": agency}
    return services.feedback_submit(sender=citizen, **{**values, **fields})


def test_the_answer_is_due_ten_working_days_later_skipping_tet(citizen, agency):
    # Received Friday 13 Feb 2026, 09:00: Tết closes 16–20 Feb, so the 10th working day is Friday 6 March.
    with mock.patch("django.utils.timezone.now", return_value=local(2026, 2, 13, 9, 0)):
        feedback = _submit(citizen, agency)
    assert feedback.due_at == local(2026, 3, 6, 9, 0)


def test_the_number_of_days_is_a_setting(citizen, agency, settings):
    settings.EGOV_FEEDBACK_ANSWER_DAYS = 5
    with mock.patch("django.utils.timezone.now", return_value=local(2026, 3, 2, 10, 0)):  # a Monday
        feedback = _submit(citizen, agency)
    assert feedback.due_at == local(2026, 3, 9, 10, 0)


def test_a_procedure_feedback_without_a_chosen_agency_goes_to_the_procedure_s_handling_agency(citizen, procedure):
    commune = AgencyFactory(commune=True, name="Ủy ban nhân dân Phường Đông Kinh")
    feedback = _submit(citizen, None, subject_kind=FeedbackSubject.PROCEDURE, procedure=procedure, regulation="")
    assert feedback.agency == commune and feedback.procedure == procedure


def test_the_citizen_may_choose_the_agency(citizen, procedure, agency):
    AgencyFactory(commune=True)
    feedback = _submit(citizen, agency, subject_kind=FeedbackSubject.PROCEDURE, procedure=procedure)
    assert feedback.agency == agency


def test_submission_records_the_first_event(citizen, agency):
    feedback = _submit(citizen, agency)
    event = feedback.events.get()
    assert (event.action, event.from_state, event.to_state, event.actor) == ("submit", "", "received", citizen)


def test_missing_fields_are_named_in_vietnamese_and_nothing_is_saved(citizen, agency):
    with pytest.raises(ApplicationError) as refused:
        _submit(citizen, agency, regulation="", title=" ", content="")
    assert set(refused.value.fields) == {"regulation", "title", "content"}
    assert Feedback.objects.count() == 0


def test_staff_cannot_send_feedback(agency, head):
    with pytest.raises(ApplicationError) as refused:
        _submit(head, agency)
    assert refused.value.status == 403


def test_the_form_sends_feedback_with_an_attachment_and_shows_the_due_date(client, citizen, agency):
    client.force_login(citizen)
    response = client.post(reverse("portal:feedback_submit"), {
        "sender_kind": "person", "subject_kind": "regulation", "regulation": "Điều 3", "title": "Tiêu đề",
        "content": "Nội dung", "agency": agency.pk, "consent_publish": "on",
        "attachments": SimpleUploadedFile("anh-chup.pdf", PDF),
    }, follow=True)
    feedback = Feedback.objects.get()
    assert feedback.consent_publish and feedback.attachments.get().original_name == "anh-chup.pdf"
    assert "Hạn trả lời" in response.content.decode()
    download = client.get(reverse("portal:feedback_file", args=[feedback.attachments.get().pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_a_fake_attachment_is_refused_with_a_400_and_the_typed_text_kept(client, citizen, agency):
    client.force_login(citizen)
    response = client.post(reverse("portal:feedback_submit"), {
        "sender_kind": "person", "subject_kind": "regulation", "regulation": "Điều 3", "title": "Tiêu đề giữ lại",
        "content": "Nội dung", "agency": agency.pk, "attachments": SimpleUploadedFile("hoa-don.pdf", b"<html>no</html>"),
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert "không đúng định dạng" in page and "Tiêu đề giữ lại" in page
    assert Feedback.objects.count() == 0 and FeedbackAttachment.objects.count() == 0


def test_an_unknown_procedure_code_is_a_400_not_a_500(client, citizen):
    client.force_login(citizen)
    response = client.post(reverse("portal:feedback_submit"), {
        "sender_kind": "person", "subject_kind": "procedure", "procedure_code": "9.999999", "title": "T", "content": "C"})
    assert response.status_code == 400 and "Không tìm thấy thủ tục" in response.content.decode()


def test_the_sender_is_told_when_the_answer_comes(citizen, agency, head, django_capture_on_commit_callbacks):
    feedback = _submit(citizen, agency)
    with django_capture_on_commit_callbacks():
        services.feedback_answer(feedback=feedback, by=head, text="Đã điều chỉnh giờ tiếp nhận.")
    notes = Notification.objects.filter(recipient=citizen)
    assert {n.channel for n in notes} == {"in_app", "email"}
    assert all(feedback.code in n.subject for n in notes)



def test_an_officer_answering_in_english_still_tells_the_sender_in_vietnamese(citizen, agency, head):
    from django.utils import translation

    feedback = _submit(citizen, agency)
    with translation.override("en"):
        services.feedback_answer(feedback=feedback, by=head, text="Đã điều chỉnh giờ tiếp nhận.")
    for note in Notification.objects.filter(recipient=citizen):
        assert note.subject == f"Phản ánh, kiến nghị {feedback.code} đã có trả lời", note.channel
        assert "đã trả lời phản ánh, kiến nghị" in note.body

def test_a_sender_who_chose_english_is_told_in_english(citizen, agency, head):
    from django.utils import translation
    from django.utils.translation import gettext as _

    from egov.accounts.services import user_language_set

    user_language_set(user=citizen, language="en")
    feedback = _submit(citizen, agency)
    services.feedback_answer(feedback=feedback, by=head, text="Đã điều chỉnh giờ tiếp nhận.")
    with translation.override("en"):
        subject = _("Phản ánh, kiến nghị %(code)s đã có trả lời") % {"code": feedback.code}
    assert not subject.startswith("Phản ánh")
    assert {note.subject for note in Notification.objects.filter(recipient=citizen)} == {subject}


def test_every_transition_writes_an_event_with_who_and_from_to(citizen, agency, head, specialist):
    feedback = _submit(citizen, agency, consent_publish=True)
    services.feedback_assign(feedback=feedback, by=head, to=specialist)
    services.feedback_answer(feedback=feedback, by=specialist, text="Trả lời")
    services.feedback_publish(feedback=feedback, by=head)
    rows = list(feedback.events.values_list("action", "from_state", "to_state", "actor"))
    assert rows == [("submit", "", "received", citizen.pk), ("assign", "received", "assigned", head.pk),
                    ("answer", "assigned", "answered", specialist.pk), ("publish", "answered", "published", head.pk)]


ACTIONS = {
    "assign": lambda f, by, to: services.feedback_assign(feedback=f, by=by, to=to),
    "answer": lambda f, by, to: services.feedback_answer(feedback=f, by=by, text="Trả lời"),
    "publish": lambda f, by, to: services.feedback_publish(feedback=f, by=by),
    "close": lambda f, by, to: services.feedback_close(feedback=f, by=by, reason="Trùng lặp"),
}
ALLOWED = {  # state → actions a head of division of the competent agency may take
    "received": {"assign", "answer", "close"},
    "assigned": {"assign", "answer", "close"},
    "answered": {"publish", "close"},
    "published": set(),
    "closed": set(),
}


def _in_state(state, citizen, agency, head, specialist):
    feedback = _submit(citizen, agency, consent_publish=True)
    path = {"received": [], "assigned": ["assign"], "answered": ["answer"], "published": ["answer", "publish"],
            "closed": ["close"]}[state]
    for action in path:
        ACTIONS[action](feedback, head, specialist)
    return Feedback.objects.get(pk=feedback.pk)


@pytest.mark.parametrize(("state", "action", "role"), list(itertools.product(
    ALLOWED, ACTIONS, ["head", "specialist_unassigned", "other_agency_head", "citizen"])))
def test_the_transition_table(state, action, role, citizen, agency, head, specialist):
    feedback = _in_state(state, citizen, agency, head, specialist)
    actor = {"head": head, "specialist_unassigned": UserFactory(agency=agency, roles=[Role.SPECIALIST]),
             "other_agency_head": UserFactory(agency=AgencyFactory(), roles=[Role.HEAD_OF_DIVISION]),
             "citizen": citizen}[role]
    allowed = role == "head" and action in ALLOWED[state]
    if allowed:
        ACTIONS[action](feedback, actor, specialist)
        assert feedback.events.count() >= 2
    else:
        events = feedback.events.count()
        with pytest.raises(ApplicationError):
            ACTIONS[action](feedback, actor, specialist)
        assert Feedback.objects.get(pk=feedback.pk).state == state and feedback.events.count() == events


def test_the_assignee_may_answer(citizen, agency, head, specialist):
    feedback = _submit(citizen, agency)
    services.feedback_assign(feedback=feedback, by=head, to=specialist)
    assert services.feedback_answer(feedback=feedback, by=specialist, text="Trả lời").state == FeedbackState.ANSWERED


def test_without_consent_the_answer_is_never_published(citizen, agency, head):
    feedback = _submit(citizen, agency, consent_publish=False)
    services.feedback_answer(feedback=feedback, by=head, text="Trả lời riêng")
    with pytest.raises(ApplicationError, match="không đồng ý công khai"):
        services.feedback_publish(feedback=feedback, by=head)


def test_the_public_page_shows_the_answer_without_personal_data(client, agency, head):
    citizen = UserFactory(citizen=True, full_name="Phạm Thị Riêng Tư")
    feedback = _submit(citizen, agency, consent_publish=True, sender_kind="business", organisation_name="Công ty TNHH Bí Mật",
                       regulation="Quy định mà tôi, Phạm Thị Riêng Tư, phản ánh",
                       title="Tiêu đề riêng", content="Tôi là Phạm Thị Riêng Tư, hỏi về giờ tiếp nhận.")
    FeedbackAttachment.objects.create(feedback=feedback, file=SimpleUploadedFile("cccd.pdf", PDF),
                                      original_name="cccd-pham-thi-rieng-tu.pdf", content_type="application/pdf", size=10)
    services.feedback_answer(feedback=feedback, by=head, text="Bộ phận Một cửa tiếp nhận đến 17 giờ.")
    services.feedback_publish(feedback=feedback, by=head, question="Một người dân hỏi về giờ tiếp nhận.")

    page = client.get(reverse("portal:feedback_public")).content.decode()

    assert "Bộ phận Một cửa tiếp nhận đến 17 giờ." in page and "Một người dân hỏi về giờ tiếp nhận." in page
    for private in ("Phạm Thị Riêng Tư", citizen.national_id, citizen.phone, citizen.email, "Công ty TNHH Bí Mật",
                    "cccd-pham-thi-rieng-tu", "Tiêu đề riêng", head.full_name):
        assert private not in page


def test_unpublished_answers_stay_off_the_public_page(client, citizen, agency, head):
    feedback = _submit(citizen, agency, consent_publish=True)
    services.feedback_answer(feedback=feedback, by=head, text="Chưa công khai")
    assert "Chưa công khai" not in client.get(reverse("portal:feedback_public")).content.decode()


def test_overdue_feedback_is_selected_per_agency(citizen, agency, other_agency, head):
    with mock.patch("django.utils.timezone.now", return_value=local(2026, 3, 2, 9, 0)):
        late = _submit(citizen, agency)
        answered = _submit(citizen, agency)
        elsewhere = _submit(citizen, other_agency)
    services.feedback_answer(feedback=answered, by=head, text="Đã trả lời")
    _submit(citizen, agency)  # received now: not due yet
    later = local(2026, 3, 17, 9, 0)  # eleven working days on
    assert list(feedback_overdue(now=later)) == [late, elsewhere]
    assert list(feedback_overdue(agency=agency, now=later)) == [late]
    assert list(feedback_overdue(agency=agency, now=local(2026, 3, 16, 8, 59))) == []  # 10th working day, before 09:00


def test_the_staff_list_highlights_overdue_feedback_and_hides_other_agencies(client, citizen, agency, other_agency, head):
    with mock.patch("django.utils.timezone.now", return_value=local(2026, 1, 5, 9, 0)):
        _submit(citizen, agency, title="Phản ánh đã quá hạn")
    _submit(citizen, agency, title="Phản ánh còn hạn")
    _submit(citizen, other_agency, title="Phản ánh của cơ quan khác")
    client.force_login(head)
    page = client.get(reverse("portal:feedback_staff_list")).content.decode()
    assert "Phản ánh đã quá hạn" in page and "Phản ánh còn hạn" in page and "Phản ánh của cơ quan khác" not in page
    assert page.count('class="row-overdue"') == 1


def test_staff_of_another_agency_and_other_citizens_cannot_open_a_feedback(client, citizen, agency, other_agency):
    feedback = _submit(citizen, agency)
    attachment = FeedbackAttachment.objects.create(feedback=feedback, file=SimpleUploadedFile("a.pdf", PDF),
                                                   original_name="a.pdf", content_type="application/pdf", size=10)
    client.force_login(UserFactory(agency=other_agency, roles=[Role.HEAD_OF_DIVISION]))
    assert client.get(reverse("portal:feedback_staff_detail", args=[feedback.pk])).status_code == 404
    assert client.get(reverse("portal:feedback_file", args=[attachment.pk])).status_code == 404
    client.force_login(UserFactory(citizen=True))
    assert client.get(reverse("portal:feedback_mine_detail", args=[feedback.public_id])).status_code == 404
    assert client.get(reverse("portal:feedback_file", args=[attachment.pk])).status_code == 404
    assert client.get(reverse("portal:feedback_staff_list")).status_code == 403


def test_staff_answer_through_the_page_and_a_blank_answer_is_a_400(client, citizen, agency, head):
    feedback = _submit(citizen, agency)
    client.force_login(head)
    url = reverse("portal:feedback_staff_detail", args=[feedback.pk])
    blank = client.post(url, {"action": "answer", "answer": "  "})
    assert blank.status_code == 400 and "Nhập nội dung trả lời" in blank.content.decode()
    assert client.post(url, {"action": "answer", "answer": "Đã tiếp thu."}).status_code == 302
    assert Feedback.objects.get(pk=feedback.pk).answer == "Đã tiếp thu."


@pytest.mark.parametrize("rows", [1, 12])
def test_the_lists_run_a_constant_number_of_queries(client, citizen, agency, head, rows, django_assert_max_num_queries):
    for n in range(rows):
        feedback = _submit(citizen, agency, consent_publish=True, title=f"Phản ánh {n}")
        services.feedback_answer(feedback=feedback, by=head, text=f"Trả lời {n}")
        services.feedback_publish(feedback=feedback, by=head)
    with django_assert_max_num_queries(4):
        assert client.get(reverse("portal:feedback_public")).status_code == 200
    client.force_login(head)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("portal:feedback_staff_list")).status_code == 200
    client.force_login(citizen)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("portal:feedback_mine")).status_code == 200


def test_the_staff_workspace_links_to_the_feedback_list(client, head):
    client.force_login(head)
    assert reverse("portal:feedback_staff_list") in client.get(reverse("workspace")).content.decode()


@pytest.mark.parametrize(("language", "received", "answered"), [("vi", "Đã tiếp nhận", "Đã trả lời"),
                                                                 ("en", "Received", "Answered")])
def test_the_staff_history_names_the_states_in_the_reader_s_language_not_their_codes(client, citizen, agency, head,
                                                                                     language, received, answered):
    feedback = _submit(citizen, agency)
    services.feedback_answer(feedback=feedback, by=head, text="Đã tiếp thu.")
    client.force_login(head)
    client.cookies["django_language"] = language
    page = client.get(reverse("portal:feedback_staff_detail", args=[feedback.pk])).content.decode()
    assert f"(— → {received})" in page and f"({received} → {answered})" in page
    assert "→ received)" not in page and "(received →" not in page


@pytest.mark.django_db
def test_the_link_to_send_feedback_is_offered_to_visitors_and_citizens_not_to_staff(client, agency):
    """Found by exploratory testing: staff followed it to a 403 (feedback is the citizens')."""
    submit = reverse("portal:feedback_submit")
    for path in ("/", reverse("portal:feedback_public")):
        assert f'href="{submit}"' in client.get(path).content.decode()
    client.force_login(UserFactory(citizen=True))
    assert f'href="{submit}"' in client.get(reverse("portal:feedback_public")).content.decode()
    client.force_login(UserFactory(agency=agency, roles=[Role.SPECIALIST]))
    for path in ("/", reverse("portal:feedback_public")):
        assert f'href="{submit}"' not in client.get(path).content.decode()
