import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Collate, Right, StrIndex, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from egov.accounts.roles import Role
from egov.core.models import ProtectedStateMixin
from one_stop.constants import ApplicantKind, DocumentKind, DossierChannel, DossierState, RatingLevel

S = DossierState
# The states of the staff's working list (selectors.QUEUE_OPEN_STATES; repeated here for the indexes).
QUEUE_OPEN_STATES = ("submitted", "received", "in_progress", "supplement_requested", "resolved")
# The folded name after its first word: "dang van cong" → "van cong" (all of it when it has one word),
# in the C collation, whose btree index serves LIKE 'prefix%' whatever the database's locale.
# What the staff search reads of a matching dossier besides its name (selectors._search_rows_and_count):
# visibility, order and the key it is joined back by.
SEARCH_COVERED = ["due_at", "code", "receiving_agency", "handling_agency", "citizen"]
NAME_WITHOUT_FAMILY = Collate(Substr("applicant_name_folded", StrIndex("applicant_name_folded", Value(" ")) + 1), "C")


class LastWord(models.Func):
    """`substring(text from '[^ ]*$')`: the last word of a folded name — a Vietnamese name's given name (tên), the
    one a clerk calls the applicant by ("Công" for Đặng Văn Công)."""

    # Migrations store the class, not this SQL: a change here needs a migration that re-creates the index.
    template = "substring(%(expressions)s from '[^ ]*$')"
    output_field = models.CharField()


GIVEN_NAME = Collate(LastWord("applicant_name_folded"), "C")


class StaffOf:
    """Who may take a transition: staff holding one of `roles` at the dossier's receiving desk, its handling
    agency, or either (a refusal or a supplement request may come from both sides); with `owner`, also the
    citizen whose dossier it is. The transition carries it (django-fsm's `permission`), so `has_transition_perm`
    answers for the pages, and the services ask the same object before the state (403 before 409)."""

    def __init__(self, *roles: str, side: str, owner: bool = False):
        self.roles, self.side, self.owner = frozenset(str(role) for role in roles), side, owner

    def __call__(self, dossier: "Dossier", user) -> bool:
        if self.owner and dossier.citizen_id is not None and dossier.citizen_id == user.pk:
            return True
        if not user.role_names() & self.roles:
            return False
        agencies = {"receiving": {dossier.receiving_agency_id}, "handling": {dossier.handling_agency_id},
                    "either": {dossier.receiving_agency_id, dossier.handling_agency_id}}[self.side]
        return user.agency_id in agencies


R = Role
# The one-stop rules of who takes each step (DESIGN.md §4): the desk receives, asks for supplements, returns
# and closes; the handling agency's specialist, head and leader decide; the applicant may withdraw.
TRANSITION_PERMISSIONS = {
    "receive": StaffOf(R.ONE_STOP_CLERK, side="receiving"),
    "start": StaffOf(R.SPECIALIST, R.HEAD_OF_DIVISION, R.LEADER, side="handling"),
    "request_supplement": StaffOf(R.ONE_STOP_CLERK, R.SPECIALIST, side="either"),
    "resume": StaffOf(R.ONE_STOP_CLERK, side="receiving"),
    "resolve": StaffOf(R.HEAD_OF_DIVISION, R.LEADER, side="handling"),
    "return_result": StaffOf(R.ONE_STOP_CLERK, side="receiving"),
    "refuse": StaffOf(R.ONE_STOP_CLERK, R.LEADER, side="either"),
    "withdraw": StaffOf(R.ONE_STOP_CLERK, side="receiving", owner=True),
}


def _submitted_by_owner(dossier: "Dossier", user) -> bool:
    return dossier.citizen_id is not None and dossier.citizen_id == user.pk


class DossierCodeCounter(models.Model):
    """One row per receiving agency and day; locked by whoever takes the next number (no gaps, no repeats)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="dossier_counter_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), model_name="DossierHistory",
                 obj_field=pghistory.ObjForeignKey(related_name="history"))
class Dossier(ProtectedStateMixin, models.Model):
    """One application by one applicant for one procedure (hồ sơ)."""

    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True)
    procedure = models.ForeignKey("one_stop.Procedure", verbose_name=_("thủ tục"), on_delete=models.PROTECT,
                                  related_name="dossiers")
    procedure_version = models.ForeignKey("one_stop.ProcedureVersion", verbose_name=_("phiên bản thủ tục"),
                                          on_delete=models.PROTECT, related_name="dossiers")
    receiving_agency = models.ForeignKey("agencies.Agency", verbose_name=_("nơi tiếp nhận"), on_delete=models.PROTECT,
                                         related_name="received_dossiers")
    handling_agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan giải quyết"),
                                        on_delete=models.PROTECT, related_name="handled_dossiers")
    state = FSMField(_("trạng thái"), default=S.SUBMITTED, choices=S.choices, protected=True, db_index=True)
    channel = models.CharField(_("hình thức nộp"), max_length=10, choices=DossierChannel.choices)
    applicant_kind = models.CharField(_("loại người nộp"), max_length=15, choices=ApplicantKind.choices,
                                      default=ApplicantKind.PERSON)
    applicant_name = models.CharField(_("tên người nộp"), max_length=255)
    # For staff search without diacritics (no unaccent in the embedded PostgreSQL).
    applicant_name_folded = models.CharField(max_length=255, editable=False, default="")
    applicant_id_number = models.CharField(_("số định danh / mã số thuế"), max_length=20, db_index=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=15, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("tài khoản công dân"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="dossiers")
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người tiếp nhận"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    clock_started_at = models.DateTimeField(_("bắt đầu tính hạn từ"), null=True, blank=True)
    # The time limit in working days, when the desk gave it because the procedure's version states none; empty:
    # the version's (dossier_time_limit reads the one that applies).
    processing_days = models.DecimalField(_("thời hạn do Bộ phận Một cửa ghi (ngày làm việc)"), max_digits=6,
                                          decimal_places=1, null=True, blank=True)
    due_at = models.DateTimeField(_("hẹn trả kết quả"), null=True, blank=True, db_index=True)
    paused_at = models.DateTimeField(_("tạm dừng tính hạn từ"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("có kết quả lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    closing_reason = models.TextField(_("lý do (từ chối, rút, yêu cầu bổ sung)"), blank=True)
    # An apology with a new return date (form 04) may be issued once; the first due date is kept.
    original_due_at = models.DateTimeField(_("hẹn trả ban đầu"), null=True, blank=True)
    postponed_at = models.DateTimeField(_("xin lỗi, hẹn lại lúc"), null=True, blank=True)
    postpone_reason = models.TextField(_("lý do chậm trả kết quả"), blank=True)
    # What the applicant filled in online (the procedure version's form), and what the desk checked
    # against the required documents: [{name, copies, received, note}].
    form_data = models.JSONField(_("nội dung tờ khai điện tử"), default=dict, blank=True)
    checklist = models.JSONField(_("thành phần hồ sơ đã nhận"), default=list, blank=True)
    # The fee due, fixed when the dossier is received (the version's fee unless exempted); None = not stated.
    fee_vnd = models.BigIntegerField(_("phí, lệ phí phải nộp (đồng)"), null=True, blank=True)
    fee_note = models.CharField(_("ghi chú phí, lệ phí (miễn, giảm)"), max_length=255, blank=True)
    # Set when the applicant sends the requested supplement back online; cleared when the desk takes it.
    supplement_submitted_at = models.DateTimeField(_("công dân gửi bổ sung lúc"), null=True, blank=True)
    # The counter form's one-time key (or the API's Idempotency-Key): a second click on "receive", or a client's retry,
    # finds the dossier the first one made instead of receiving it twice under a new code. Empty: none was sent.
    # Stored under who sent it (services.dossiers.submission_key_for_desk / _for_citizen): "desk:<key>" for the desk's
    # receipts, "citizen:<user id>:<key>" for the portal's drafts, so one submitter's key never finds (or collides
    # with) another's; the key itself is at most 64 characters.
    submission_key = models.CharField(max_length=100, blank=True, default="", editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["handling_agency", "state", "due_at"]),
            # The staff queue (selectors.dossiers_queue_page): open dossiers, most urgent first, one
            # ordered index per side of the hand-over, read as a UNION.
            models.Index(fields=["receiving_agency", "due_at", "code"], name="dossier_queue_receiving_idx",
                         condition=models.Q(state__in=QUEUE_OPEN_STATES)),
            models.Index(fields=["handling_agency", "due_at", "code"], name="dossier_queue_handling_idx",
                         condition=models.Q(state__in=QUEUE_OPEN_STATES)),
            models.Index(fields=["due_at", "code"], name="dossier_queue_all_idx",
                         condition=models.Q(state__in=QUEUE_OPEN_STATES)),
            # Staff search (selectors.dossier_search_filter): the code without its agency part
            # (260302-0001), and the start of the applicant's folded name, with or without the family
            # name (btree prefixes: the embedded PostgreSQL has no pg_trgm, and a full-text index
            # merges the huge lists of "nguyen" and "van" on every search).
            models.Index(Right("code", 11), name="dossier_code_tail_idx"),
            # Both name indexes carry what the queue's search filters and sorts by (SEARCH_COVERED), so a
            # common name's thousand matches are read from the index alone (index-only scans), never from
            # the table's pages one by one.
            models.Index(fields=["applicant_name_folded"], opclasses=["varchar_pattern_ops"],
                         name="dossier_name_prefix_idx", include=SEARCH_COVERED),
            # The folded name too: PostgreSQL reads an expression index alone only when the columns its
            # expression is computed from are in it as well.
            models.Index(NAME_WITHOUT_FAMILY, name="dossier_given_name_prefix_idx",
                         include=[*SEARCH_COVERED, "applicant_name_folded"]),
            # The given name alone (its last word): "cong" finds Đặng Văn Công.
            models.Index(GIVEN_NAME, name="dossier_name_last_word_idx", include=[*SEARCH_COVERED, "applicant_name_folded"]),
            # The API's list, newest first.
            models.Index(fields=["created_at"], name="dossier_created_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["receiving_agency", "submission_key"],
                                               condition=~models.Q(submission_key=""),
                                               name="dossier_submission_key_unique")]

    def __str__(self) -> str:
        return self.code

    def never_received(self) -> bool:
        return self.received_at is None

    def was_received(self) -> bool:
        return self.received_at is not None

    # Transitions set fields only and carry who may take them; services check, save, record the event and notify.
    @transition(field=state, source=S.DRAFT, target=S.SUBMITTED, permission=_submitted_by_owner)
    def submit(self, *, at, code):
        self.submitted_at, self.code = at, code

    # An online dossier asked for a supplement before it was ever received is received when complete.
    @transition(field=state, source=[S.SUBMITTED, S.SUPPLEMENT_REQUESTED], target=S.RECEIVED, conditions=[never_received],
                permission=TRANSITION_PERMISSIONS["receive"])
    def receive(self, *, at, by, clock_start, due_at):
        self.received_at, self.received_by, self.clock_started_at, self.due_at = at, by, clock_start, due_at
        # A supplement asked before receipt is settled by it: its reason stays in the events, not on the dossier.
        self.paused_at, self.supplement_submitted_at, self.closing_reason = None, None, ""

    @transition(field=state, source=S.RECEIVED, target=S.IN_PROGRESS, permission=TRANSITION_PERMISSIONS["start"])
    def start(self):
        pass

    @transition(field=state, source=[S.SUBMITTED, S.RECEIVED, S.IN_PROGRESS], target=S.SUPPLEMENT_REQUESTED,
                permission=TRANSITION_PERMISSIONS["request_supplement"])
    def request_supplement(self, *, at, reason):
        self.paused_at, self.closing_reason, self.supplement_submitted_at = at, reason, None

    @transition(field=state, source=S.SUPPLEMENT_REQUESTED, target=S.IN_PROGRESS, conditions=[was_received],
                permission=TRANSITION_PERMISSIONS["resume"])
    def resume(self, *, clock_start, due_at):
        # The clock restarts in full when the complete dossier comes back (one-stop rules).
        self.paused_at, self.clock_started_at, self.due_at, self.closing_reason = None, clock_start, due_at, ""
        self.supplement_submitted_at = None

    @transition(field=state, source=S.IN_PROGRESS, target=S.RESOLVED, permission=TRANSITION_PERMISSIONS["resolve"])
    def resolve(self, *, at):
        self.resolved_at = at

    @transition(field=state, source=S.RESOLVED, target=S.RETURNED, permission=TRANSITION_PERMISSIONS["return_result"])
    def return_result(self, *, at):
        self.returned_at = at

    @transition(field=state, source=[S.SUBMITTED, S.RECEIVED, S.IN_PROGRESS], target=S.REFUSED,
                permission=TRANSITION_PERMISSIONS["refuse"])
    def refuse(self, *, reason):
        self.closing_reason = reason

    @transition(field=state, source=[S.SUBMITTED, S.RECEIVED, S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED],
                target=S.WITHDRAWN, permission=TRANSITION_PERMISSIONS["withdraw"])
    def withdraw(self, *, reason):
        self.closing_reason = reason


class DossierEvent(models.Model):
    """The control sheet (phiếu kiểm soát quá trình): every step, who, where, when, from and to."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=30)
    from_state = models.CharField(_("từ trạng thái"), max_length=25)
    to_state = models.CharField(_("sang trạng thái"), max_length=25)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("lúc"))
    due_at = models.DateTimeField(_("hạn"), null=True, blank=True)
    # When the time limit counted from after this step (the due-date ledger explains the cutoff with it).
    clock_started_at = models.DateTimeField(_("tính hạn từ"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("bước xử lý hồ sơ")
        verbose_name_plural = _("phiếu kiểm soát quá trình giải quyết hồ sơ")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.action}"


class DossierRating(models.Model):
    """The applicant's rating of the service, once per dossier, after the result is returned."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    level = models.CharField(_("mức độ hài lòng"), max_length=12, choices=RatingLevel.choices)
    comment = models.TextField(_("góp ý"), blank=True)
    created_at = models.DateTimeField(_("đánh giá lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá hài lòng")
        verbose_name_plural = _("đánh giá hài lòng")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.level}"


def _document_path(document, filename: str) -> str:
    # A random name: the original (which may carry personal data) is kept in the row, not on disk.
    import uuid

    return f"dossiers/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class DossierDocument(models.Model):
    """A file of a dossier: a component scanned or uploaded, a supplement, or the result.

    Stored under MEDIA_ROOT (never served by the web server) and downloaded only through views
    that check who may see the dossier.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("loại"), max_length=12, choices=DocumentKind.choices, default=DocumentKind.SUBMITTED)
    requirement = models.CharField(_("thuộc thành phần hồ sơ"), max_length=500, blank=True)
    file = models.FileField(_("tệp"), upload_to=_document_path, max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("định dạng"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    # E-results: a result sent for the leader's signature gets an unguessable token, printed as a QR code
    # on it before signing; `signed` turns true when the file is replaced by the signed PDF.
    signed = models.BooleanField(_("đã ký số"), default=False)
    verification_token = models.CharField(_("mã xác thực kết quả"), max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("tệp hồ sơ")
        verbose_name_plural = _("tệp hồ sơ")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.original_name}"


class DossierStep(models.Model):
    """One step of the dossier's internal process with its own deadline (joint procedures give each
    agency its share of the working days)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("bước"), max_length=255)
    role = models.CharField(_("vai trò xử lý"), max_length=30)
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("cơ quan xử lý"), on_delete=models.PROTECT,
                               related_name="+")
    days = models.DecimalField(_("số ngày làm việc"), max_digits=5, decimal_places=1)
    due_at = models.DateTimeField(_("hạn của bước"), null=True, blank=True)
    # Time in and time out of the control sheet (form 05): when the dossier was handed to this step, and when the
    # step handed it on. Empty until the step's turn comes.
    started_at = models.DateTimeField(_("nhận lúc"), null=True, blank=True)
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        verbose_name = _("bước xử lý theo quy trình")
        verbose_name_plural = _("các bước xử lý theo quy trình")
        ordering = ["dossier", "order"]
        constraints = [models.UniqueConstraint(fields=["dossier", "order"], name="dossier_step_unique")]
        indexes = [
            # The queue's filters read only the open steps (a few per open dossier, among every step ever taken):
            # "việc của tôi" by the step's agency and role, the dossiers at risk by the steps past their due date.
            models.Index(fields=["agency", "role"], name="dossier_step_open_role_idx",
                         condition=models.Q(completed_at__isnull=True)),
            models.Index(fields=["due_at"], name="dossier_step_open_due_idx", condition=models.Q(completed_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} #{self.order} {self.name}"

    @property
    def display_name(self) -> str:
        """The name in the reader's language where it is a default step's (one_stop.constants.step_display_name)."""
        from one_stop.constants import step_display_name

        return step_display_name(self.name)


def _receipt_path(receipt, filename: str) -> str:
    import uuid

    return f"receipts/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class DossierReceipt(models.Model):
    """Form 01 of a dossier as last printed, so a click on "print" serves a file instead of laying out a PDF.

    A rendering, not a record: `fingerprint` is the hash of the form's HTML, and the file is rendered
    again whenever what the form shows changes (a new due date after a supplement, a postponement, a
    corrected address). Kept apart from the dossier, whose every change is part of its audited history.
    Stored under MEDIA_ROOT like the dossier's documents, never served by the web server directly.
    """

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="receipt_file")
    file = models.FileField(_("tệp"), upload_to=_receipt_path, max_length=200)
    fingerprint = models.CharField(_("dấu vân tay nội dung"), max_length=64)
    rendered_at = models.DateTimeField(_("tạo lúc"), auto_now=True)

    class Meta:
        verbose_name = _("giấy tiếp nhận đã tạo")
        verbose_name_plural = _("giấy tiếp nhận đã tạo")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.fingerprint[:12]}"
