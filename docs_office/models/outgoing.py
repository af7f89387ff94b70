from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from docs_office.constants import (
    OUTGOING_EVENT_ACTIONS,
    Confidentiality,
    DeliveryChannel,
    DeliveryState,
    OutgoingState,
    Urgency,
)
from docs_office.models.events import DocumentEvent
from docs_office.recipients import recipients_display
from docs_office.search import document_vector, number_words, symbol_key_bytes, symbol_words
from egov.core.models import ProtectedStateMixin

S = OutgoingState


class OutgoingDocument(ProtectedStateMixin, models.Model):
    """A document the agency issues (văn bản đi): drafted, reviewed, signed, numbered and sent."""

    agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT,
                               related_name="outgoing_documents")
    division = models.ForeignKey("docs_office.Division", verbose_name=_("đơn vị soạn thảo"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="outgoing_documents")
    document_type = models.ForeignKey("docs_office.DocumentType", verbose_name=_("loại văn bản"),
                                      on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(_("trích yếu"))
    summary_folded = models.TextField(editable=False, default="")
    urgency = models.CharField(_("độ khẩn"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    confidentiality = models.CharField(_("độ mật"), max_length=12, choices=Confidentiality.choices,
                                       default=Confidentiality.NORMAL)
    state = FSMField(_("trạng thái"), default=S.DRAFT, choices=S.choices, protected=True, db_index=True)
    drafter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người soạn thảo"), on_delete=models.PROTECT,
                                related_name="drafted_documents")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người ký"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    answers = models.ForeignKey("docs_office.IncomingDocument", verbose_name=_("trả lời văn bản đến"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="answers")
    recipient_agencies = models.ManyToManyField("agencies.Agency", verbose_name=_("nơi nhận trong hệ thống"),
                                                blank=True, related_name="+")
    recipients_text = models.TextField(_("nơi nhận khác"), blank=True)
    # The date the recipients are asked to answer or carry it out by: their incoming deadline, edXML's DueDate.
    reply_due_on = models.DateField(_("hạn trả lời, xử lý của nơi nhận"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("số trang"), null=True, blank=True)
    # Filled at issue, in the same transaction as the register's counter.
    register = models.ForeignKey("docs_office.Register", verbose_name=_("sổ văn bản đi"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="outgoing_documents")
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    symbol = models.CharField(_("ký hiệu"), max_length=60, blank=True)
    issued_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("văn thư phát hành"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="+")
    leader_signature = models.ForeignKey("signatures.SignatureRequest", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    agency_signature = models.ForeignKey("signatures.SignatureRequest", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    signed_file = models.FileField(_("bản đã ký số"), upload_to="docs_office/outgoing/%Y/%m/", blank=True)
    readers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("người được xem (văn bản mật)"),
                                     blank=True, related_name="+")
    recalled_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    recall_reason = models.TextField(_("lý do thu hồi"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    # Kept by PostgreSQL itself (a stored generated column): words of the summary, the number and the parts of the
    # symbol once issued, each with the agency (docs_office/search.py).
    search_vector = models.GeneratedField(
        expression=document_vector("summary_folded", *number_words(integer=True), symbol_words()),
        output_field=SearchVectorField(), db_persist=True, editable=False)

    class Meta:
        verbose_name = _("văn bản đi")
        verbose_name_plural = _("văn bản đi")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "state"]), models.Index(fields=["agency", "-created_at", "-id"]),
                   # As incoming documents' (docs_office.search.SymbolKey): a search by symbol reads its matches only.
                   models.Index(models.F("agency"), symbol_key_bytes(),
                                models.F("number"), name="outgoing_symbol_prefix_idx"),
                   GinIndex(fields=["search_vector"], name="outgoing_vector_idx")]
        constraints = [models.UniqueConstraint(fields=["register", "year", "number"],
                                               name="outgoing_number_unique")]

    def __str__(self) -> str:
        return self.number_symbol or self.summary[:60]

    @property
    def number_symbol(self) -> str:
        return f"{self.number:02d}/{self.symbol}" if self.number else ""

    @property
    def recipients_display(self) -> str:
        """Nơi nhận on one line (the pages prefetch recipient_agencies)."""
        return recipients_display(self.recipient_agencies.all(), self.recipients_text)

    @property
    def is_secret(self) -> bool:
        return self.confidentiality != Confidentiality.NORMAL

    # Transitions set fields only; services check who may act, save and record the event.
    @transition(field=state, source=S.DRAFT, target=S.HEAD_REVIEW)
    def submit(self):
        pass

    @transition(field=state, source=S.HEAD_REVIEW, target=S.LEADER_REVIEW)
    def head_approve(self):
        pass

    @transition(field=state, source=S.LEADER_REVIEW, target=S.APPROVED)
    def leader_approve(self, *, signer):
        self.signer = signer

    @transition(field=state, source=[S.HEAD_REVIEW, S.LEADER_REVIEW, S.APPROVED], target=S.DRAFT)
    def return_draft(self):
        self.signer = None

    @transition(field=state, source=S.APPROVED, target=S.SIGNING)
    def sign(self, *, request):
        self.leader_signature = request

    @transition(field=state, source=S.SIGNING, target=S.SIGNED)
    def signed(self):
        pass

    @transition(field=state, source=S.SIGNING, target=S.APPROVED)
    def signing_failed(self):
        pass

    # The approving leader can no longer sign (moved, no longer a leader, account locked) or handed the signature
    # back: the document goes back to the agency's leaders, one of whom approves and signs it.
    @transition(field=state, source=[S.APPROVED, S.SIGNING], target=S.LEADER_REVIEW)
    def signer_release(self):
        self.signer = None

    @transition(field=state, source=S.SIGNED, target=S.ISSUING)
    def issue(self, *, register, number, year, symbol, at, by):
        self.register, self.number, self.year, self.symbol = register, number, year, symbol
        self.issued_at, self.issued_by = at, by

    @transition(field=state, source=S.ISSUING, target=S.ISSUING)
    def agency_sign(self, *, request):
        self.agency_signature = request

    @transition(field=state, source=S.ISSUING, target=S.ISSUED)
    def dispatch(self):
        pass

    @transition(field=state, source=S.ISSUED, target=S.RECALLED)
    def recall(self, *, at, reason):
        self.recalled_at, self.recall_reason = at, reason


class OutgoingVersion(models.Model):
    """One uploaded version of a draft (DOCX or PDF); the newest is the current one."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    file = models.FileField(_("tệp"), upload_to="docs_office/drafts/%Y/%m/")
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("ghi chú"), blank=True)
    # A version composed on the system knows where its signature block is: [page, x1, y1, x2, y2] in PDF
    # points. An uploaded PDF does not, and is signed at the usual place.
    signature_box = models.JSONField(null=True, blank=True, editable=False)
    # A composed version also knows where its number and date of issue go, left blank until the records clerk
    # issues it: {field name: [page, x1, y1, x2, y2, align, italic]} (docs_office.pdf.compose.ISSUE_FIELDS).
    issue_fields = models.JSONField(null=True, blank=True, editable=False)
    # A composed version knows its signer's competence (thẩm quyền ký), the prefix lines of its signer block
    # ("KT. GIÁM ĐỐC"), which the edXML package and the exchange carry. An uploaded file says nothing we can read.
    signer_competence = models.CharField(_("thẩm quyền ký"), max_length=400, blank=True, editable=False)
    # The rest of a composed version's signer block: the signer's own title and name as printed. Signing checks the
    # leader is the person named (Decree 30: the block names who signs), and the envelope reads all three from here.
    signer_position = models.CharField(_("chức vụ người ký"), max_length=150, blank=True, editable=False)
    signer_name = models.CharField(_("người ký"), max_length=150, blank=True, editable=False)
    # What a composed version was composed from (docs_office.pdf.compose.Composition as a dict): "Sửa nội dung" starts
    # from it, so a returned draft is corrected as composed instead of re-uploaded and losing the layout.
    composition = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản dự thảo")
        verbose_name_plural = _("phiên bản dự thảo")
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="outgoing_version_unique")]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"


class OutgoingEvent(DocumentEvent):
    """Append-only history of an outgoing document: who, when, from, to, and the reviewer's comments."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="events")

    ACTIONS = OUTGOING_EVENT_ACTIONS
    STATES = OutgoingState

    class Meta(DocumentEvent.Meta):
        verbose_name = _("bước xử lý văn bản đi")
        verbose_name_plural = _("lịch sử văn bản đi")

    def state_choices(self) -> type[models.TextChoices]:
        # A status message moves one recipient's delivery, not the document: its row holds delivery states.
        return DeliveryState if self.action == "edxml_status" else OutgoingState


class Delivery(models.Model):
    """One recipient of an issued document: an agency of the system (liên thông văn bản), or an agency outside
    it that was sent an edXML package and reports back by status messages (named by its code and name)."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("kênh gửi"), max_length=8, choices=DeliveryChannel.choices,
                               default=DeliveryChannel.SYSTEM)
    recipient = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # edXML only: the recipient as the package named it, and the package's document id.
    recipient_code = models.CharField(_("mã định danh nơi nhận"), max_length=20, blank=True)
    recipient_name = models.CharField(_("tên nơi nhận"), max_length=255, blank=True)
    exchange_id = models.CharField(_("mã văn bản liên thông"), max_length=200, blank=True, db_index=True)
    state = models.CharField(_("trạng thái"), max_length=12, choices=DeliveryState.choices, default=DeliveryState.SENT)
    sent_at = models.DateTimeField(_("gửi lúc"))
    updated_at = models.DateTimeField(_("cập nhật lúc"))
    # The time the recipient gave in its latest status message (edXML): an older message changes nothing.
    reported_at = models.DateTimeField(_("nơi nhận báo lúc"), null=True, blank=True)
    reason = models.TextField(_("lý do"), blank=True)

    class Meta:
        verbose_name = _("nơi nhận liên thông")
        verbose_name_plural = _("nơi nhận liên thông")
        ordering = ["document", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "recipient"], condition=models.Q(channel="system"),
                                    name="delivery_unique"),
            models.UniqueConstraint(fields=["document", "recipient_code"], condition=models.Q(channel="edxml"),
                                    name="delivery_edxml_unique"),
            models.CheckConstraint(condition=models.Q(channel="system", recipient__isnull=False)
                                   | (models.Q(channel="edxml") & ~models.Q(recipient_code="")),
                                   name="delivery_has_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.recipient_id or self.recipient_code}: {self.state}"

    @property
    def recipient_label(self) -> str:
        return self.recipient.name if self.recipient_id else self.recipient_name

    @property
    def recipient_exchange_code(self) -> str:
        return self.recipient.exchange_code if self.recipient_id else self.recipient_code
