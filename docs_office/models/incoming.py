from typing import NamedTuple

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from docs_office.constants import (
    INCOMING_EVENT_ACTIONS,
    AssignmentRole,
    Confidentiality,
    DeliveryState,
    IncomingState,
    Urgency,
)
from docs_office.models.events import DocumentEvent
from docs_office.search import document_vector, number_words, symbol_key_bytes, symbol_words
from egov.core.models import ProtectedStateMixin

S = IncomingState
OPEN_STATES = (S.REGISTERED, S.ASSIGNED, S.IN_PROGRESS)


class Recall(NamedTuple):
    """The sender's recall of a copy received by the exchange: who recalled it (the sending agency), when, why."""

    by: str
    at: object  # an aware datetime
    reason: str


class IncomingDocument(ProtectedStateMixin, models.Model):
    """A document received by an agency (văn bản đến), on paper (a scan) or from another agency of the system."""

    agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan nhận"), on_delete=models.PROTECT,
                               related_name="incoming_documents")
    register = models.ForeignKey("docs_office.Register", verbose_name=_("sổ văn bản đến"), on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="incoming_documents")
    arrival_number = models.PositiveIntegerField(_("số đến"), null=True, blank=True)
    arrival_year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    received_at = models.DateTimeField(_("thời gian nhận"))
    state = FSMField(_("trạng thái"), default=S.RECEIVED, choices=S.choices, protected=True, db_index=True)
    # The issuer's number and symbol as printed: "15" and "QĐ-UBND".
    number = models.CharField(_("số"), max_length=20, blank=True)
    symbol = models.CharField(_("ký hiệu"), max_length=60, blank=True)
    issuer_agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan ban hành (trong hệ thống)"),
                                      on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    issuer_name = models.CharField(_("cơ quan ban hành"), max_length=255)
    issuer_name_folded = models.CharField(max_length=255, editable=False, default="", db_index=True)
    issued_on = models.DateField(_("ngày văn bản"))
    document_type = models.ForeignKey("docs_office.DocumentType", verbose_name=_("loại văn bản"),
                                      on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(_("trích yếu"))
    summary_folded = models.TextField(editable=False, default="")
    signer_name = models.CharField(_("người ký"), max_length=150, blank=True)
    # The rest of the signer block and of the header as the sender wrote them (Decree 30 appendix VI; the edXML
    # SignerInfo, PromulgationInfo/Place, ToPlaces and TraceHeaderList): kept so that a document received by edXML
    # or by the exchange loses nothing of its envelope.
    signer_position = models.CharField(_("chức vụ người ký"), max_length=150, blank=True)
    # Thẩm quyền ký: the lines above the signer's title ("TM. ỦY BAN NHÂN DÂN", "KT. GIÁM ĐỐC"); empty when the
    # signer signs in their own name.
    signer_competence = models.CharField(_("thẩm quyền ký"), max_length=400, blank=True)
    place = models.CharField(_("địa danh"), max_length=100, blank=True)
    # Nơi nhận of the sender's document, one entry a line as listed in its package.
    to_places = models.JSONField(_("nơi nhận của văn bản"), default=list, blank=True)
    # The routing trace, one hop a line: "<agency code>,<ISO 8601 time>" (docs_office.edxml.trace_hop).
    trace = models.JSONField(_("vết chuyển văn bản"), default=list, blank=True)
    page_count = models.PositiveIntegerField(_("số trang"), null=True, blank=True)
    urgency = models.CharField(_("độ khẩn"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    confidentiality = models.CharField(_("độ mật"), max_length=12, choices=Confidentiality.choices,
                                       default=Confidentiality.NORMAL)
    deadline = models.DateField(_("hạn xử lý"), null=True, blank=True, db_index=True)
    # A secret document is registered as metadata only: no file ever (Decree 30; secrets law).
    file = models.FileField(_("tệp văn bản"), upload_to="docs_office/incoming/%Y/%m/", blank=True)
    readers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("người được xem (văn bản mật)"),
                                     blank=True, related_name="+", through="docs_office.IncomingReader")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("văn thư vào sổ"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="+")
    registered_at = models.DateTimeField(_("vào sổ lúc"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("báo nhận lúc"), null=True, blank=True)
    source_delivery = models.OneToOneField("docs_office.Delivery", verbose_name=_("liên thông từ"), null=True,
                                           blank=True, on_delete=models.PROTECT, related_name="incoming")
    # The sender's document id in an edXML package: the same id twice is the same document.
    external_id = models.CharField(_("mã văn bản liên thông"), max_length=200, blank=True, db_index=True)
    # The package sender's agency code (edXML): where status messages about this document go.
    external_sender_code = models.CharField(_("mã định danh nơi gửi"), max_length=20, blank=True)
    result = models.TextField(_("kết quả xử lý"), blank=True)
    answered_by = models.ForeignKey("docs_office.OutgoingDocument", verbose_name=_("văn bản trả lời"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    # The agency's own outgoing document this one answers (the sender's ResponseFor; set on arrival by the
    # internal exchange or an edXML package), so the sender sees its letter was answered.
    in_reply_to = models.ForeignKey("docs_office.OutgoingDocument", verbose_name=_("trả lời văn bản đi"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="replies")
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    closing_reason = models.TextField(_("lý do trả lại, thu hồi"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    # Kept by PostgreSQL itself (a stored generated column): words of the summary and issuer, the number and the
    # parts of the symbol ("45", "bnv", "vp"), each with the agency (docs_office/search.py).
    search_vector = models.GeneratedField(
        expression=document_vector("summary_folded", "issuer_name_folded", *number_words(integer=False),
                                   symbol_words()),
        output_field=SearchVectorField(), db_persist=True, editable=False)

    class Meta:
        verbose_name = _("văn bản đến")
        verbose_name_plural = _("văn bản đến")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["agency", "state", "deadline"]),
                   models.Index(fields=["agency", "-received_at", "-id"]),
                   models.Index(fields=["agency", "number"]),
                   # A search by symbol ("QĐ-UBND", "15/QĐ-UBND") compares the folded symbol (search.SymbolKey):
                   # without it, a symbol the agency never received was looked for in all its documents. Byte-wise
                   # (collation "C"), so the start of a symbol ("QĐ-UB") is a range of it whatever the database's
                   # collation (search.SymbolPrefix); equality reads it too.
                   models.Index(models.F("agency"), symbol_key_bytes(),
                                models.F("number"), name="incoming_symbol_prefix_idx"),
                   # Word search on the folded copies, with the built-in "simple" configuration: the
                   # embedded PostgreSQL has no unaccent or pg_trgm (DESIGN.md §2); docs_office/search.py.
                   GinIndex(fields=["search_vector"], name="incoming_vector_idx")]
        constraints = [models.UniqueConstraint(fields=["register", "arrival_year", "arrival_number"],
                                               name="incoming_arrival_number_unique")]

    def __str__(self) -> str:
        return self.number_symbol or self.summary[:60]

    @property
    def number_symbol(self) -> str:
        return "/".join(p for p in (self.number, self.symbol) if p)

    @property
    def arrival_number_display(self) -> str:
        """The arrival number as every page, message and register writes it: "04" (Decree 30: a leading zero below
        10); empty before registration. The API gives the number itself."""
        from docs_office.services.registers import format_number

        return format_number(self.arrival_number) if self.arrival_number else ""

    @property
    def is_secret(self) -> bool:
        return self.confidentiality != Confidentiality.NORMAL

    @property
    def recall(self) -> Recall | None:
        """The sender's recall of this copy, else None: the copy was withdrawn, or (handled and closed before the
        recall, so not withdrawn) its delivery was recalled. A recalled copy keeps its metadata and history; its files
        are no longer served. Reads `source_delivery`: select it with the document."""
        if self.state == S.WITHDRAWN:
            return Recall(self.issuer_name, self.closed_at, self.closing_reason)
        delivery = self.source_delivery if self.source_delivery_id else None
        if delivery is not None and delivery.state == DeliveryState.RECALLED:
            return Recall(self.issuer_name, delivery.updated_at, delivery.reason)
        return None

    @property
    def trace_hops(self) -> list[tuple[str, object]]:
        """The trace as (agency code, aware datetime) pairs for display; every stored line was checked on arrival."""
        from docs_office.edxml import trace_hop

        return [hop for hop in (trace_hop(line) for line in self.trace or []) if hop is not None]

    # Transitions set fields only; services check who may act, save and record the event.
    @transition(field=state, source=S.RECEIVED, target=S.REGISTERED)
    def register_arrival(self, *, register, number, year, by, at):
        self.register, self.arrival_number, self.arrival_year = register, number, year
        self.registered_by, self.registered_at = by, at
        self.acknowledged_at = self.acknowledged_at or at

    @transition(field=state, source=[S.REGISTERED, S.ASSIGNED, S.IN_PROGRESS], target=S.ASSIGNED)
    def assign(self):
        pass

    @transition(field=state, source=[S.ASSIGNED, S.IN_PROGRESS], target=S.IN_PROGRESS)
    def start(self):
        pass

    @transition(field=state, source=[S.ASSIGNED, S.IN_PROGRESS], target=S.CLOSED)
    def close(self, *, at, result, answered_by=None):
        self.closed_at, self.result, self.answered_by = at, result, answered_by

    @transition(field=state, source=S.RECEIVED, target=S.RETURNED)
    def return_to_sender(self, *, at, reason):
        self.closed_at, self.closing_reason = at, reason

    @transition(field=state, source=[S.RECEIVED, *OPEN_STATES], target=S.WITHDRAWN)
    def withdraw(self, *, at, reason):
        self.closed_at, self.closing_reason = at, reason


class IncomingReader(models.Model):
    """A reader of a secret incoming document: named at registration, or added by an assignment (`by_assignment`),
    whom a new assignment that no longer names them takes off again (services.incoming.incoming_assign)."""

    incomingdocument = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    # Rows from before this flag existed are all False: kept, as registration readers are.
    by_assignment = models.BooleanField(_("do được phân công"), default=False)

    class Meta:
        db_table = "docs_office_incomingdocument_readers"
        unique_together = [("incomingdocument", "user")]

    def __str__(self) -> str:
        return f"{self.incomingdocument_id} {self.user_id}"


class IncomingAssignment(models.Model):
    """The leader's assignment (phân công): a person or a unit, in one role, with a deadline and an instruction."""

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("vai trò"), max_length=10, choices=AssignmentRole.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("cán bộ"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="incoming_assignments")
    division = models.ForeignKey("docs_office.Division", verbose_name=_("phòng, ban"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="incoming_assignments")
    deadline = models.DateField(_("hạn"), null=True, blank=True)
    instruction = models.TextField(_("ý kiến chỉ đạo"), blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("phân công lúc"))

    class Meta:
        verbose_name = _("phân công xử lý")
        verbose_name_plural = _("phân công xử lý")
        ordering = ["role", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(user__isnull=False) | models.Q(division__isnull=False),
                                   name="assignment_has_assignee"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.role}"

    @property
    def assignee_name(self) -> str:
        return str(self.user or self.division)


class IncomingOpinion(models.Model):
    """A handler's opinion or progress report on an incoming document."""

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="opinions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("ý kiến"))
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), null=True, blank=True)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("ý kiến xử lý")
        verbose_name_plural = _("ý kiến xử lý")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.text[:40]}"


class IncomingEvent(DocumentEvent):
    """Append-only history: every step of an incoming document, who, when, from and to."""

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="events")

    ACTIONS = INCOMING_EVENT_ACTIONS
    STATES = IncomingState

    class Meta(DocumentEvent.Meta):
        verbose_name = _("bước xử lý văn bản đến")
        verbose_name_plural = _("lịch sử văn bản đến")
