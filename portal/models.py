import uuid

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from egov.core.models import ProtectedStateMixin
from egov.core.state_labels import StateLabels
from portal.constants import CALENDAR_TRACKED_FIELDS, ArticleKind, FeedbackState, FeedbackSubject, SenderKind

S = FeedbackState


def _random_name(prefix: str) -> str:
    # A random name on disk: the original name (which may carry personal data) stays in the row.
    return f"{prefix}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


def _article_file_path(instance, filename: str) -> str:
    return _random_name("portal/articles")


def _feedback_file_path(instance, filename: str) -> str:
    return _random_name("portal/feedback")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Article(models.Model):
    """News (tin tức) or a leadership direction (thông tin chỉ đạo điều hành) on the public portal.

    Shown only once `published_at` has come: an editor may schedule it for later, or leave it empty
    (a draft). The body is HTML cleaned by `portal.services.articles.article_save`.
    """

    kind = models.CharField(_("loại tin"), max_length=12, choices=ArticleKind.choices, default=ArticleKind.NEWS)
    title = models.CharField(_("tiêu đề"), max_length=300)
    slug = models.SlugField(_("đường dẫn"), max_length=320, unique=True, blank=True,
                            help_text=_("Để trống để tạo tự động từ tiêu đề."))
    summary = models.TextField(_("tóm tắt"), blank=True)
    body = models.TextField(_("nội dung"), blank=True,
                            help_text=_("HTML; thẻ và thuộc tính không an toàn sẽ bị loại bỏ khi lưu. "
                                        "Ảnh: tải lên ở mục tệp đính kèm rồi chèn đường dẫn của tệp."))
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, null=True,
                               blank=True, related_name="articles", help_text=_("Để trống nếu là tin chung của tỉnh."))
    published_at = models.DateTimeField(_("xuất bản lúc"), null=True, blank=True, db_index=True,
                                        help_text=_("Để trống: bản nháp. Thời điểm trong tương lai: hẹn giờ xuất bản."))
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("biên tập viên"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("tin bài")
        verbose_name_plural = _("tin tức, chỉ đạo điều hành")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["kind", "-published_at"]), models.Index(fields=["agency", "-published_at"])]

    def __str__(self) -> str:
        return self.title


class ArticleAttachment(models.Model):
    """A public file of an article (a document to download, or an image the body shows)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to=_article_file_path, max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    content_type = models.CharField(_("định dạng"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"), default=0)
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(),
                 model_name="CalendarEntryHistory", obj_field=pghistory.ObjForeignKey(related_name="history"))
class CalendarEntry(models.Model):
    """One item of an agency leaders' weekly work calendar (lịch công tác tuần).

    Every version is kept by pghistory; what changed since publication is also kept on the row
    (`revisions`), so the weekly page highlights it without reading the history table.
    """

    agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT,
                               related_name="calendar_entries")
    date = models.DateField(_("ngày"))
    start_time = models.TimeField(_("giờ bắt đầu"))
    end_time = models.TimeField(_("giờ kết thúc"), null=True, blank=True)
    content = models.TextField(_("nội dung"))
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    participants = models.TextField(_("thành phần (lãnh đạo chủ trì, dự)"), blank=True)
    preparing_unit = models.CharField(_("đơn vị chuẩn bị"), max_length=255, blank=True)
    is_published = models.BooleanField(_("công khai"), default=False)
    published_at = models.DateTimeField(_("công khai lần đầu lúc"), null=True, blank=True)
    # {field: value when first published} for each field changed since, and when it last changed.
    revisions = models.JSONField(_("nội dung đã điều chỉnh"), default=dict, blank=True)
    revised_at = models.DateTimeField(_("điều chỉnh lúc"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    cancel_reason = models.CharField(_("lý do hủy"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("lịch công tác")
        verbose_name_plural = _("lịch công tác")
        ordering = ["date", "start_time", "id"]
        indexes = [models.Index(fields=["agency", "date"]), models.Index(fields=["date"])]
        constraints = [
            models.CheckConstraint(condition=Q(end_time__isnull=True) | Q(end_time__gt=models.F("start_time")),
                                   name="calendar_entry_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.start_time:%H:%M} {self.content[:60]}"

    @property
    def revision_list(self) -> list[dict]:
        """What changed since publication, for the "Điều chỉnh" badge: [{label, was}]."""
        return [{"label": CALENDAR_TRACKED_FIELDS[field], "was": was} for field, was in self.revisions.items()
                if field in CALENDAR_TRACKED_FIELDS]


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), model_name="FeedbackHistory",
                 obj_field=pghistory.ObjForeignKey(related_name="history"))
class Feedback(ProtectedStateMixin, models.Model):
    """A citizen's or business's feedback or petition (phản ánh, kiến nghị) on a procedure or a regulation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người gửi"), on_delete=models.PROTECT,
                               related_name="feedbacks")
    sender_kind = models.CharField(_("người gửi là"), max_length=10, choices=SenderKind.choices,
                                   default=SenderKind.PERSON)
    organisation_name = models.CharField(_("tên doanh nghiệp, tổ chức"), max_length=255, blank=True)
    subject_kind = models.CharField(_("phản ánh về"), max_length=12, choices=FeedbackSubject.choices)
    procedure = models.ForeignKey("one_stop.Procedure", verbose_name=_("thủ tục hành chính"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="feedbacks")
    regulation = models.TextField(_("quy định hành chính"), blank=True)
    title = models.CharField(_("tiêu đề"), max_length=255)
    content = models.TextField(_("nội dung phản ánh, kiến nghị"))
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan xử lý"), on_delete=models.PROTECT,
                               related_name="feedbacks")
    consent_publish = models.BooleanField(_("đồng ý công khai nội dung trả lời"), default=False)
    state = FSMField(_("trạng thái"), default=S.RECEIVED, choices=S.choices, protected=True, db_index=True)
    received_at = models.DateTimeField(_("tiếp nhận lúc"))
    due_at = models.DateTimeField(_("hạn trả lời"), db_index=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người xử lý"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người trả lời"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    # What the public page shows as the question: the content with any personal data taken out by staff.
    public_question = models.TextField(_("nội dung công khai"), blank=True)
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    close_reason = models.TextField(_("lý do đóng"), blank=True)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["agency", "state", "due_at"])]
        constraints = [
            models.CheckConstraint(name="feedback_subject_given", condition=(
                Q(subject_kind=FeedbackSubject.PROCEDURE, procedure__isnull=False)
                | (Q(subject_kind=FeedbackSubject.REGULATION) & ~Q(regulation="")))),
            models.CheckConstraint(name="feedback_published_with_consent",
                                   condition=Q(published_at__isnull=True) | Q(consent_publish=True)),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"PAKN-{self.pk:06d}" if self.pk else "PAKN-?"

    def has_consent(self) -> bool:
        return self.consent_publish

    # Transitions set fields only; services check who may act, save, record the event and notify.
    @transition(field=state, source=[S.RECEIVED, S.ASSIGNED], target=S.ASSIGNED)
    def assign(self, *, to):
        self.assigned_to = to

    @transition(field=state, source=[S.RECEIVED, S.ASSIGNED], target=S.ANSWERED)
    def answer_with(self, *, text, by, at):
        self.answer, self.answered_by, self.answered_at = text, by, at

    @transition(field=state, source=S.ANSWERED, target=S.PUBLISHED, conditions=[has_consent])
    def publish(self, *, question, at):
        self.public_question, self.published_at = question, at

    @transition(field=state, source=[S.RECEIVED, S.ASSIGNED, S.ANSWERED], target=S.CLOSED)
    def close(self, *, reason, at):
        self.close_reason, self.closed_at = reason, at


class FeedbackEvent(StateLabels, models.Model):
    """Append-only history of a feedback: who did what, when, from which state to which."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=20)
    from_state = models.CharField(_("từ trạng thái"), max_length=12, blank=True)
    to_state = models.CharField(_("sang trạng thái"), max_length=12)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(_("lúc"))
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("bước xử lý phản ánh")
        verbose_name_plural = _("quá trình xử lý phản ánh, kiến nghị")
        ordering = ["at", "id"]

    STATES = FeedbackState

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.action}"

    @property
    def action_label(self) -> str:
        from portal.services.feedback import ACTION_LABELS

        return str(ACTION_LABELS.get(self.action, self.action))


class FeedbackAttachment(models.Model):
    """A file the sender attached; private: only the sender and the agency's staff download it."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to=_feedback_file_path, max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("định dạng"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm phản ánh")
        verbose_name_plural = _("tệp đính kèm phản ánh")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name
