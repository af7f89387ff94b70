"""Feedback and petitions (phản ánh, kiến nghị): submission, routing, deadline, answer, publication.

Deadline rule: the competent agency answers within EGOV_FEEDBACK_ANSWER_DAYS working days (default 10)
counted from the day after receipt, the time of day kept. We take 10 working days from Decree
20/2008/NĐ-CP on receiving and handling feedback on administrative regulations (as amended); we could
not check the article against the text here, hence a setting a province can change without code.
"""

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from egov.core.text import CONTROL_CHARACTERS
from egov.core.uploads import validate_upload, validate_upload_batch
from egov.workdays.services import add_working_days
from portal.constants import FeedbackState, FeedbackSubject, SenderKind
from portal.models import Feedback, FeedbackAttachment, FeedbackEvent

# Who, in the competent agency, may route, publish and close; the answer is also open to the assignee.
MANAGER_ROLES = {Role.HEAD_OF_DIVISION, Role.LEADER}
ACTION_LABELS = {
    "submit": gettext_lazy("Gửi phản ánh, kiến nghị"),
    "assign": gettext_lazy("Giao xử lý"),
    "answer": gettext_lazy("Trả lời"),
    "publish": gettext_lazy("Công khai trả lời"),
    "close": gettext_lazy("Đóng"),
}


def _clean(value, limit: int) -> str:
    return CONTROL_CHARACTERS.sub("", str(value or "")).strip()[:limit]


def feedback_due_at(received_at):
    return add_working_days(received_at, settings.EGOV_FEEDBACK_ANSWER_DAYS)


def _record(feedback: Feedback, *, action: str, from_state: str, actor, note: str = "") -> None:
    FeedbackEvent.objects.create(feedback=feedback, action=action, from_state=from_state, to_state=feedback.state,
                                 actor=actor, at=timezone.now(), note=note)


def _attachments_check(uploads: Sequence[UploadedFile]) -> list[str]:
    try:
        validate_upload_batch(uploads)
        return [validate_upload(upload) for upload in uploads]
    except ValidationError as exc:
        raise ApplicationError("file_invalid", exc.messages[0], fields={"attachments": exc.messages[0]}) from exc


def _default_agency(procedure):
    from public_services.selectors import handling_agencies_for

    agencies = handling_agencies_for(procedure=procedure)
    return agencies[0] if agencies else None


@transaction.atomic
def feedback_submit(*, sender, subject_kind: str, title: str, content: str, procedure=None, regulation: str = "",
                    agency=None, sender_kind: str = SenderKind.PERSON, organisation_name: str = "",
                    consent_publish: bool = False, uploads: Sequence[UploadedFile] = ()) -> Feedback:
    """A signed-in citizen or business sends feedback; it goes to the competent agency with its due date."""
    if not (sender.is_authenticated and sender.has_role(Role.CITIZEN)):
        raise ApplicationError("forbidden", _("Chỉ công dân, tổ chức đã đăng nhập mới gửi được phản ánh, kiến nghị."),
                               status=403)
    title, content = _clean(title, 255), _clean(content, 10000)
    regulation, organisation_name = _clean(regulation, 2000), _clean(organisation_name, 255)
    errors = {}
    if subject_kind not in FeedbackSubject.values:
        errors["subject_kind"] = _("Chọn phản ánh về thủ tục hay quy định hành chính.")
    if subject_kind == FeedbackSubject.PROCEDURE and procedure is None:
        errors["procedure"] = _("Chọn thủ tục hành chính được phản ánh.")
    if subject_kind == FeedbackSubject.REGULATION and not regulation:
        errors["regulation"] = _("Nêu quy định hành chính được phản ánh (tên, số hiệu văn bản, điều khoản).")
    if sender_kind not in SenderKind.values:
        errors["sender_kind"] = _("Chọn cá nhân hay doanh nghiệp, tổ chức.")
    if sender_kind == SenderKind.BUSINESS and not organisation_name:
        errors["organisation_name"] = _("Nhập tên doanh nghiệp, tổ chức.")
    if not title:
        errors["title"] = _("Nhập tiêu đề.")
    if not content:
        errors["content"] = _("Nhập nội dung phản ánh, kiến nghị.")
    if agency is None and procedure is not None and subject_kind == FeedbackSubject.PROCEDURE:
        agency = _default_agency(procedure)
    if agency is None:
        errors["agency"] = _("Chọn cơ quan tiếp nhận, xử lý.")
    elif not agency.is_active:
        errors["agency"] = _("Cơ quan đã chọn không còn hoạt động.")
    if errors:
        raise ApplicationError("invalid", _("Vui lòng kiểm tra lại các trường được đánh dấu."), fields=errors)
    content_types = _attachments_check(list(uploads))

    now = timezone.now()
    feedback = Feedback.objects.create(
        sender=sender, sender_kind=sender_kind, organisation_name=organisation_name if sender_kind == SenderKind.BUSINESS
        else "", subject_kind=subject_kind, procedure=procedure if subject_kind == FeedbackSubject.PROCEDURE else None,
        regulation=regulation if subject_kind == FeedbackSubject.REGULATION else "", title=title, content=content,
        agency=agency, consent_publish=bool(consent_publish), received_at=now, due_at=feedback_due_at(now),
    )
    for upload, content_type in zip(uploads, content_types, strict=True):
        FeedbackAttachment.objects.create(feedback=feedback, file=upload, original_name=(upload.name or "tep")[:255],
                                          content_type=content_type, size=upload.size)
    _record(feedback, action="submit", from_state="", actor=sender)
    return feedback


def _is_agency_staff(user, feedback: Feedback) -> bool:
    return bool(user.is_authenticated and user.is_agency_staff and user.agency_id == feedback.agency_id)


def feedback_can(*, user, feedback: Feedback, action: str) -> bool:
    """Whether `user` may take `action` on `feedback` (the staff page shows only these buttons)."""
    if not _is_agency_staff(user, feedback):
        return False
    managers = bool(user.role_names() & {str(r) for r in MANAGER_ROLES})
    if action == "answer":
        return managers or feedback.assigned_to_id == user.pk
    return managers


def _require(*, user, feedback: Feedback, action: str) -> None:
    if not feedback_can(user=user, feedback=feedback, action=action):
        raise ApplicationError("forbidden", _("Bạn không có quyền thực hiện thao tác này với phản ánh, kiến nghị."),
                               status=403)


def _locked(feedback: Feedback) -> Feedback:
    return Feedback.objects.select_for_update().get(pk=feedback.pk)


def _refuse_state(feedback: Feedback):
    return ApplicationError("invalid_state", _("Không thể thực hiện thao tác ở trạng thái “%(state)s”.")
                            % {"state": feedback.get_state_display()}, status=409)


@transaction.atomic
def feedback_assign(*, feedback: Feedback, by, to) -> Feedback:
    feedback = _locked(feedback)
    _require(user=by, feedback=feedback, action="assign")
    if to is None or not to.is_active or to.agency_id != feedback.agency_id or not to.is_agency_staff:
        raise ApplicationError("assignee_invalid", _("Chỉ giao cho cán bộ của cơ quan xử lý."),
                               fields={"assignee": _("Chọn cán bộ của cơ quan.")})
    if not can_proceed(feedback.assign):
        raise _refuse_state(feedback)
    from_state = feedback.state
    feedback.assign(to=to)
    feedback.save(update_fields=["state", "assigned_to"])
    _record(feedback, action="assign", from_state=from_state, actor=by, note=to.full_name or to.username)
    return feedback


@transaction.atomic
def feedback_answer(*, feedback: Feedback, by, text: str) -> Feedback:
    feedback = _locked(feedback)
    _require(user=by, feedback=feedback, action="answer")
    text = _clean(text, 20000)
    if not text:
        raise ApplicationError("answer_required", _("Nhập nội dung trả lời."), fields={"answer": _("Bắt buộc.")})
    if not can_proceed(feedback.answer_with):
        raise _refuse_state(feedback)
    from_state = feedback.state
    feedback.answer_with(text=text, by=by, at=timezone.now())
    feedback.save(update_fields=["state", "answer", "answered_by", "answered_at"])
    _record(feedback, action="answer", from_state=from_state, actor=by)
    _notify_sender(feedback)
    return feedback


@transaction.atomic
def feedback_publish(*, feedback: Feedback, by, question: str = "") -> Feedback:
    """Publish the answer; the public sees `question` (the content by default) and never who sent it."""
    feedback = _locked(feedback)
    _require(user=by, feedback=feedback, action="publish")
    if feedback.state == FeedbackState.ANSWERED and not feedback.consent_publish:
        raise ApplicationError("no_consent", _("Người gửi không đồng ý công khai: không thể công khai trả lời."),
                               status=409)
    if not can_proceed(feedback.publish):
        raise _refuse_state(feedback)
    question = _clean(question, 10000) or feedback.content
    from_state = feedback.state
    feedback.publish(question=question, at=timezone.now())
    feedback.save(update_fields=["state", "public_question", "published_at"])
    _record(feedback, action="publish", from_state=from_state, actor=by)
    return feedback


@transaction.atomic
def feedback_close(*, feedback: Feedback, by, reason: str) -> Feedback:
    feedback = _locked(feedback)
    _require(user=by, feedback=feedback, action="close")
    reason = _clean(reason, 2000)
    if not reason:
        raise ApplicationError("reason_required", _("Nêu lý do đóng phản ánh, kiến nghị."),
                               fields={"reason": _("Bắt buộc.")})
    if not can_proceed(feedback.close):
        raise _refuse_state(feedback)
    from_state = feedback.state
    feedback.close(reason=reason, at=timezone.now())
    feedback.save(update_fields=["state", "close_reason", "closed_at"])
    _record(feedback, action="close", from_state=from_state, actor=by, note=reason)
    return feedback


def _notify_sender(feedback: Feedback) -> None:
    from egov.notifications.models import Channel
    from egov.notifications.services import notification_send, recipient_language

    # The sender's message, in the language they chose for their messages, whatever the answering officer's.
    with recipient_language(feedback.sender):
        payload = {
            "subject": _("Phản ánh, kiến nghị %(code)s đã có trả lời") % {"code": feedback.code},
            "text": _("%(agency)s đã trả lời phản ánh, kiến nghị “%(title)s” của ông/bà. Xem nội dung trả lời tại mục "
                      "Phản ánh, kiến nghị của tôi trên Cổng.") % {"agency": feedback.agency.name, "title": feedback.title},
            "feedback": feedback.code,
        }
        sender = feedback.sender
        notification_send(template="message", channel=Channel.IN_APP, recipient=sender, payload=payload)
        if sender.email:
            notification_send(template="message", channel=Channel.EMAIL, recipient=sender, payload=payload)
