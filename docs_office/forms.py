"""Page forms: input shapes only; the rules are in the services."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from docs_office.constants import PAGE_COUNT_MAX, AssignmentRole, Confidentiality, Urgency
from docs_office.models import Division, DocumentType, Task
from docs_office.services.dates import deadline_problem, document_date_problem
from egov.core.text import vietnamese_sorted

# The date picker sends ISO dates; a date typed by hand is read the Vietnamese way (day first), never as
# Django's default month-first US formats, where 05/06 would silently mean 6 May.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (a document's appendices); each is checked by content in the service."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


class AttachmentsForm(forms.Form):
    # Labelled as the step it is: the section above it is headed "Tệp đính kèm, phụ lục" already (the page read it twice).
    attachments = MultipleFileField(label=_("Thêm tệp (PDF, JPEG, PNG, DOCX)"), required=True)


class OutgoingAttachmentsForm(forms.Form):
    attachments = MultipleFileField(label=_("Phụ lục (PDF)"), required=True)


class CollatedChoiceIterator(ModelChoiceIterator):
    """The choices in Vietnamese alphabetical order of their labels ("Ủy ban…" before "Văn phòng…", "Xã Đồng Đăng"
    before "Xã Yên Phúc"), which neither the database's byte order nor its locale gives."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in vietnamese_sorted(self.queryset, key=self.field.label_from_instance):
            yield self.choice(obj)


class CollatedModelChoiceField(forms.ModelChoiceField):
    iterator = CollatedChoiceIterator


class CollatedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = CollatedChoiceIterator


def _colleagues(user):
    from egov.accounts.models import User

    return User.objects.filter(agency_id=user.agency_id, is_active=True).order_by("full_name")


class IncomingRegisterForm(forms.Form):
    number = forms.CharField(label=_("Số văn bản"), max_length=20)
    symbol = forms.CharField(label=_("Ký hiệu"), max_length=60, required=False, help_text=_("Ví dụ: QĐ-UBND"))
    issuer_name = forms.CharField(label=_("Cơ quan ban hành"), max_length=255)
    issued_on = forms.DateField(label=_("Ngày văn bản"), widget=DateInput(), input_formats=DATE_INPUT_FORMATS)
    document_type = forms.ModelChoiceField(label=_("Loại văn bản"), queryset=DocumentType.objects.filter(is_active=True),
                                           empty_label="—")
    summary = forms.CharField(label=_("Trích yếu"), widget=forms.Textarea(attrs={"rows": 3}))
    signer_name = forms.CharField(label=_("Người ký"), max_length=150, required=False)
    signer_position = forms.CharField(label=_("Chức vụ người ký"), max_length=150, required=False,
                                      help_text=_("Ví dụ: Phó Chủ tịch"))
    place = forms.CharField(label=_("Địa danh"), max_length=100, required=False,
                            help_text=_("Nơi ban hành ghi trước ngày văn bản, ví dụ: Lạng Sơn"))
    page_count = forms.IntegerField(
        label=_("Số trang"), min_value=1, max_value=PAGE_COUNT_MAX, required=False,
        error_messages={"invalid": _("Số trang phải là số nguyên."),
                        "min_value": _("Số trang phải từ 1 trở lên."),
                        "max_value": _("Số trang tối đa là %(limit_value)s.")})
    urgency = forms.ChoiceField(label=_("Độ khẩn"), choices=Urgency.choices, initial=Urgency.NORMAL)
    confidentiality = forms.ChoiceField(label=_("Độ mật"), choices=Confidentiality.choices,
                                        initial=Confidentiality.NORMAL)
    deadline = forms.DateField(label=_("Hạn xử lý"), required=False, widget=DateInput(), input_formats=DATE_INPUT_FORMATS)
    file = forms.FileField(label=_("Bản quét (PDF, JPEG, PNG)"), required=False,
                           help_text=_("Không đính kèm tệp với văn bản mật."))
    attachments = MultipleFileField(label=_("Tệp đính kèm, phụ lục (PDF, JPEG, PNG, DOCX)"), required=False,
                                    help_text=_("Chọn được nhiều tệp; mỗi phụ lục là một tệp."))
    readers = CollatedModelMultipleChoiceField(label=_("Người được xem (văn bản mật)"), required=False, queryset=None)
    confirm_duplicate = forms.BooleanField(label=_("Tôi đã kiểm tra, vẫn vào sổ văn bản có thể trùng"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["readers"].queryset = _colleagues(user)

    def clean_issued_on(self):
        issued_on = self.cleaned_data.get("issued_on")
        if problem := document_date_problem(issued_on):
            raise forms.ValidationError(problem)
        return issued_on

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if problem := deadline_problem(deadline):
            raise forms.ValidationError(problem)
        return deadline


def _assignee_choices(user, *, people_only: bool = False) -> list[tuple[str, str]]:
    """Assignees are written "u:<user id>" or "d:<division id>" so one list offers people and units — people only for
    a secret document, which is assigned to named people (offered units were refused after choosing: found by
    exploratory testing)."""
    units = [] if people_only else [(f"d:{d.pk}", d.name) for d in Division.objects.filter(agency_id=user.agency_id)]
    people = [(f"u:{u.pk}", f"{u.full_name} — {u.position_title}" if u.position_title else u.full_name)
              for u in _colleagues(user)]
    # Units first, then people, each in Vietnamese alphabetical order.
    return vietnamese_sorted(units, key=lambda c: c[1]) + vietnamese_sorted(people, key=lambda c: c[1])


class AssignmentRowForm(forms.Form):
    """One assignee of an assignment: its role (fixed by the row), who, the deadline and the instruction."""

    role = forms.ChoiceField(choices=AssignmentRole.choices, widget=forms.HiddenInput)
    assignee = forms.ChoiceField(label=_("người hoặc đơn vị"), required=False, error_messages={
        "invalid_choice": _("Người hoặc đơn vị không thuộc cơ quan.")})
    deadline = forms.DateField(label=_("hạn xử lý"), required=False, widget=DateInput(), input_formats=DATE_INPUT_FORMATS,
                               error_messages={"invalid": _("Hạn xử lý không phải ngày hợp lệ (ngày/tháng/năm).")})
    instruction = forms.CharField(label=_("ý kiến chỉ đạo"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, assignees, caption, **kwargs):
        super().__init__(*args, **kwargs)
        self.caption = caption
        self.fields["assignee"].choices = [("", "—"), *assignees]
        for name in ("assignee", "deadline", "instruction"):
            # Each control names its row: "Phối hợp 2: hạn xử lý" (the table's headers are not read with it).
            self.fields[name].label = f"{caption}: {self.fields[name].label}"

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if deadline and deadline < timezone.localdate():
            raise forms.ValidationError(_("Hạn xử lý không thể ở quá khứ."))
        if problem := deadline_problem(deadline):
            raise forms.ValidationError(problem)
        return deadline

    def clean(self):
        data = super().clean()
        if not data.get("assignee") and (data.get("deadline") or (data.get("instruction") or "").strip()):
            # A deadline or instruction typed on a row without its assignee would be silently dropped.
            self.add_error("assignee", _("Chọn người hoặc đơn vị cho dòng này, hoặc xóa hạn và ý kiến của dòng."))
        return data


ROLE_ORDER = [AssignmentRole.LEAD, AssignmentRole.SUPPORT, AssignmentRole.INFO]
# A new assignment's page: the lead, two supporters, one for information; "Thêm dòng" adds more.
NEW_ROWS = [AssignmentRole.LEAD, AssignmentRole.SUPPORT, AssignmentRole.SUPPORT, AssignmentRole.INFO]
MAX_ROWS = 60


class BaseAssignFormSet(forms.BaseFormSet):
    """The assignment page's rows, one per assignee (the issue: each with a deadline and an instruction), grouped by
    role: one lead row, then supporters, then for-information ones. A blank deadline is filled by `assignments()`:
    a supporter's is the lead's, a for-information assignee has none."""

    def __init__(self, *args, user, people_only: bool = False, **kwargs):
        self.assignees = _assignee_choices(user, people_only=people_only)
        super().__init__(*args, **kwargs)

    def _roles(self) -> list[str]:
        if self.is_bound:
            return [self.data.get(f"{self.prefix}-{i}-role", "") for i in range(self.total_form_count())]
        return [row.get("role", "") for row in self.initial or []]

    def get_form_kwargs(self, index):
        roles = self._roles()
        role = roles[index] if index is not None and index < len(roles) else ""
        label = dict(AssignmentRole.choices).get(role, "")
        same = [r for r in roles[:index + 1] if r == role] if index is not None else []
        caption = str(label) if role == AssignmentRole.LEAD else f"{label} {len(same)}"
        return {"assignees": self.assignees, "caption": caption}

    def clean(self):
        if any(self.errors):
            return
        rows = [(form, form.cleaned_data) for form in self.forms if form.cleaned_data.get("assignee")]
        if sum(1 for _form, row in rows if row["role"] == AssignmentRole.LEAD) != 1:
            raise forms.ValidationError(_("Cần chọn người hoặc đơn vị xử lý chính."))
        seen = set()
        for form, row in rows:
            assignee = row["assignee"]
            if assignee in seen:
                name = dict(self.assignees)[assignee].split(" — ")[0]  # the person, without their title
                form.add_error("assignee", _("%(w)s được chọn hai lần trong một phân công; mỗi người hoặc đơn vị chỉ "
                                             "nhận một vai trò.") % {"w": name})
            seen.add(assignee)

    def refuse(self, message: str) -> None:
        """A refusal of the service, shown above the rows."""
        self.non_form_errors()
        self._non_form_errors.append(message)

    def refuse_deadlines(self, *, document_deadline) -> bool:
        """The service's rule on the deadlines (the lead's not after the document's, the others' not after the lead's)
        checked here first, so that each refusal shows at its row's deadline; True when any was refused."""
        from docs_office.services.incoming import AssignmentData, assignment_deadline_problems

        rows = [form for form in self.forms if form.cleaned_data.get("assignee")]
        items = [AssignmentData(role=item["role"], deadline=item["deadline"]) for item in self.assignments()]
        problems = assignment_deadline_problems(document_deadline=document_deadline, assignments=items)
        for index, message in problems:
            rows[index].add_error("deadline", message)
        return bool(problems)

    def assignments(self) -> list[dict]:
        rows = [form.cleaned_data for form in self.forms if form.cleaned_data.get("assignee")]
        lead_deadline = next(row["deadline"] for row in rows if row["role"] == AssignmentRole.LEAD)
        items = []
        for row in rows:
            kind, _sep, pk = row["assignee"].partition(":")
            deadline = row["deadline"]
            if deadline is None and row["role"] == AssignmentRole.SUPPORT:
                deadline = lead_deadline
            items.append({"role": row["role"], "user": int(pk) if kind == "u" else None,
                          "division": int(pk) if kind == "d" else None, "deadline": deadline,
                          "instruction": row["instruction"]})
        return items


AssignFormSet = forms.formset_factory(AssignmentRowForm, formset=BaseAssignFormSet, extra=0, max_num=MAX_ROWS,
                                      absolute_max=MAX_ROWS, validate_max=True)
ASSIGN_PREFIX = "assign"


def _people_only(document) -> bool:
    return document is not None and document.confidentiality != Confidentiality.NORMAL


def assign_formset(*, user, document=None, data=None) -> BaseAssignFormSet:
    """The rows to show: as sent (`data`), else the document's current assignment and one more row, else NEW_ROWS."""
    if data is not None:
        return AssignFormSet(data, prefix=ASSIGN_PREFIX, user=user, people_only=_people_only(document))
    rows = []
    if document is not None:
        rows = [{"role": a.role, "assignee": f"u:{a.user_id}" if a.user_id else f"d:{a.division_id}",
                 "deadline": a.deadline, "instruction": a.instruction} for a in document.assignments.all()]
    if rows:
        # One more supporting row, among the supporters: after them, before those for information (it came last).
        rows.append({"role": AssignmentRole.SUPPORT})
        rows.sort(key=lambda row: ROLE_ORDER.index(row["role"]))  # stable: the new row comes last of its role
    return _rows_formset(user, rows or [{"role": role} for role in NEW_ROWS], people_only=_people_only(document))


def assign_formset_with_row(*, user, data, role: str, document=None) -> BaseAssignFormSet:
    """The rows as sent, unchanged, and one more empty row of `role` after the others of its role."""
    if role not in (AssignmentRole.SUPPORT, AssignmentRole.INFO):
        role = AssignmentRole.SUPPORT
    sent = AssignFormSet(data, prefix=ASSIGN_PREFIX, user=user, people_only=_people_only(document))
    rows = []
    for i in range(min(sent.total_form_count(), MAX_ROWS - 1)):
        row = {name: data.get(f"{ASSIGN_PREFIX}-{i}-{name}", "") for name in ("role", "assignee", "deadline",
                                                                            "instruction")}
        if row["role"] in ROLE_ORDER:
            rows.append(row)
    rows.append({"role": role})
    rows.sort(key=lambda row: ROLE_ORDER.index(row["role"]))  # stable: the new row comes last of its role
    return _rows_formset(user, rows, people_only=_people_only(document))


def _rows_formset(user, rows, *, people_only: bool = False) -> BaseAssignFormSet:
    return AssignFormSet(initial=rows, prefix=ASSIGN_PREFIX, user=user, people_only=people_only, form_kwargs={})


class OpinionForm(forms.Form):
    text = forms.CharField(label=_("Ý kiến, tiến độ"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    progress = forms.IntegerField(
        label=_("Tiến độ (%)"), required=False, min_value=0, max_value=100,
        error_messages={problem: _("Tiến độ phải là số nguyên từ 0 đến 100.")
                        for problem in ("invalid", "min_value", "max_value")})


class OutgoingCreateForm(forms.Form):
    document_type = forms.ModelChoiceField(label=_("Loại văn bản"), queryset=DocumentType.objects.filter(is_active=True),
                                           empty_label="—")
    summary = forms.CharField(label=_("Trích yếu"), widget=forms.Textarea(attrs={"rows": 3}), help_text=_(
        "Công văn: văn bản in “V/v” trước trích yếu; gõ hay không gõ “V/v” ở đầu đều được, không bị lặp."))
    file = forms.FileField(label=_("Dự thảo (DOCX hoặc PDF)"), required=False,
                           help_text=_("Hoặc để trống và soạn nội dung bên dưới: hệ thống trình bày theo Nghị định 30."))
    attachments = MultipleFileField(label=_("Phụ lục (PDF)"), required=False,
                                    help_text=_("Chọn được nhiều tệp; mỗi phụ lục là một tệp."))
    division = CollatedModelChoiceField(label=_("Đơn vị soạn thảo"), queryset=None, required=False, empty_label="—")
    urgency = forms.ChoiceField(label=_("Độ khẩn"), choices=Urgency.choices, initial=Urgency.NORMAL)
    confidentiality = forms.ChoiceField(label=_("Độ mật"), choices=Confidentiality.choices,
                                        initial=Confidentiality.NORMAL)
    recipient_agencies = CollatedModelMultipleChoiceField(label=_("Nơi nhận trong hệ thống (liên thông)"),
                                                        queryset=None, required=False)
    recipients_text = forms.CharField(label=_("Nơi nhận khác"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    reply_due_on = forms.DateField(
        label=_("Hạn trả lời, xử lý của nơi nhận"), required=False, widget=DateInput(), input_formats=DATE_INPUT_FORMATS,
        help_text=_("Khi đề nghị nơi nhận trả lời hoặc thực hiện trước một ngày: thành hạn xử lý của văn bản đến ở "
                    "nơi nhận trong hệ thống và hạn trong gói edXML."),
        error_messages={"invalid": _("Hạn trả lời không phải ngày hợp lệ (ngày/tháng/năm).")})
    readers = CollatedModelMultipleChoiceField(
        label=_("Người được xem (văn bản mật)"), required=False, queryset=None,
        help_text=_("Văn bản mật: ghi tên người duyệt, ký và văn thư phát hành."))
    answers = forms.IntegerField(widget=forms.HiddenInput, required=False)
    body = forms.CharField(label=_("Nội dung (soạn trên hệ thống)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 8}), help_text=_("Mỗi đoạn một dòng."))
    place = forms.CharField(label=_("Địa danh"), required=False, max_length=100)
    signer_prefix = forms.ChoiceField(label=_("Thẩm quyền ký"), required=False, choices=[
        ("", "—"), ("TM.", "TM."), ("KT.", "KT."), ("Q.", "Q."), ("TL.", "TL."), ("TUQ.", "TUQ.")])
    head_title = forms.CharField(label=_("Chức vụ người đứng đầu"), required=False, max_length=100,
                                 help_text=_("Với KT., Q., TL., TUQ.: chức vụ được ký thay, ví dụ GIÁM ĐỐC. "
                                             "Với TM., cấp phó ký thì thêm dòng KT. (mặc định: chức vụ người ký bỏ chữ PHÓ)."))
    signer_title = forms.CharField(label=_("Chức vụ người ký"), required=False, max_length=100)
    signer_name = forms.CharField(label=_("Họ tên người ký"), required=False, max_length=150)

    def composition(self):
        from docs_office.pdf.compose import Composition
        from docs_office.recipients import composition_recipients

        data = self.cleaned_data
        if data.get("file") or not data.get("body", "").strip():
            return None
        recipients = composition_recipients(agencies=data["recipient_agencies"], text=data["recipients_text"])
        return Composition(body=data["body"], place=data["place"], signer_title=data["signer_title"],
                           signer_name=data["signer_name"], signer_prefix=data["signer_prefix"], recipients=recipients,
                           head_title=data["head_title"])

    def __init__(self, *args, user, **kwargs):
        from egov.agencies.models import Agency

        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = Division.objects.filter(agency_id=user.agency_id)
        self.fields["readers"].queryset = _colleagues(user)
        self.fields["recipient_agencies"].queryset = Agency.objects.filter(is_active=True).exclude(pk=user.agency_id)


class OutgoingComposeForm(forms.Form):
    """ "Sửa nội dung": a composed draft's content and signer block, pre-filled with the current version's, composed
    again into a new version (the recipients stay the draft's)."""

    body = OutgoingCreateForm.base_fields["body"]
    place = OutgoingCreateForm.base_fields["place"]
    signer_prefix = OutgoingCreateForm.base_fields["signer_prefix"]
    head_title = OutgoingCreateForm.base_fields["head_title"]
    signer_title = OutgoingCreateForm.base_fields["signer_title"]
    signer_name = OutgoingCreateForm.base_fields["signer_name"]
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500,
                           help_text=_("Ví dụ: sửa theo ý kiến của lãnh đạo phòng."))

    def composition(self, *, recipients=()):
        from docs_office.pdf.compose import Composition

        data = self.cleaned_data
        return Composition(body=data["body"], place=data["place"], signer_title=data["signer_title"],
                           signer_name=data["signer_name"], signer_prefix=data["signer_prefix"],
                           head_title=data["head_title"], recipients=list(recipients))


class TaskForm(forms.Form):
    title = forms.CharField(
        label=_("Nội dung nhiệm vụ"), max_length=Task._meta.get_field("title").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Cần nhập nội dung nhiệm vụ."),
                        "max_length": _("Nội dung nhiệm vụ dài tối đa %(limit_value)d ký tự (đang có %(show_value)d).")})
    division = CollatedModelChoiceField(
        label=_("Đơn vị thực hiện"), queryset=None, empty_label="—",
        error_messages={"required": _("Cần chọn đơn vị thực hiện."),
                        "invalid_choice": _("Đơn vị thực hiện không thuộc cơ quan.")})
    deadline = forms.DateField(
        label=_("Hạn hoàn thành"), widget=DateInput(), input_formats=DATE_INPUT_FORMATS,
        error_messages={"required": _("Cần nhập hạn hoàn thành."),
                        "invalid": _("Hạn hoàn thành không phải ngày hợp lệ (ngày/tháng/năm).")})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = Division.objects.filter(agency_id=user.agency_id)
