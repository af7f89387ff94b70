"""Page forms: input shapes only; the rules are in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from docs_office.constants import PAGE_COUNT_MAX, Confidentiality, Urgency
from docs_office.models import Division, DocumentType, Task

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
    attachments = MultipleFileField(label=_("Tệp đính kèm, phụ lục"), required=True)


class OutgoingAttachmentsForm(forms.Form):
    attachments = MultipleFileField(label=_("Phụ lục (PDF)"), required=True)


def _colleagues(user):
    from egov.accounts.models import User

    return User.objects.filter(agency_id=user.agency_id, is_active=True).order_by("full_name")


class IncomingRegisterForm(forms.Form):
    number = forms.CharField(label=_("Số văn bản"), max_length=20)
    symbol = forms.CharField(label=_("Ký hiệu"), max_length=60, required=False, help_text=_("Ví dụ: QĐ-UBND"))
    issuer_name = forms.CharField(label=_("Cơ quan ban hành"), max_length=255)
    issued_on = forms.DateField(label=_("Ngày văn bản"), widget=DateInput(), input_formats=DATE_INPUT_FORMATS)
    document_type = forms.ModelChoiceField(label=_("Loại văn bản"), queryset=DocumentType.objects.filter(is_active=True))
    summary = forms.CharField(label=_("Trích yếu"), widget=forms.Textarea(attrs={"rows": 3}))
    signer_name = forms.CharField(label=_("Người ký"), max_length=150, required=False)
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
    readers = forms.ModelMultipleChoiceField(label=_("Người được xem (văn bản mật)"), required=False, queryset=None)
    confirm_duplicate = forms.BooleanField(label=_("Tôi đã kiểm tra, vẫn vào sổ văn bản có thể trùng"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["readers"].queryset = _colleagues(user)


class AssignForm(forms.Form):
    """Assignees are written "u:<user id>" or "d:<division id>" so one list offers people and units."""

    lead = forms.ChoiceField(label=_("Xử lý chính"), error_messages={
        "required": _("Cần chọn người hoặc đơn vị xử lý chính."),
        "invalid_choice": _("Người hoặc đơn vị xử lý chính không thuộc cơ quan.")})
    support = forms.MultipleChoiceField(label=_("Phối hợp"), required=False, error_messages={
        "invalid_choice": _("Người hoặc đơn vị phối hợp không thuộc cơ quan.")})
    info = forms.MultipleChoiceField(label=_("Để biết"), required=False, error_messages={
        "invalid_choice": _("Người hoặc đơn vị để biết không thuộc cơ quan.")})
    deadline = forms.DateField(label=_("Hạn xử lý"), required=False, widget=DateInput(), input_formats=DATE_INPUT_FORMATS,
                               error_messages={"invalid": _("Hạn xử lý không phải ngày hợp lệ (ngày/tháng/năm).")})
    instruction = forms.CharField(label=_("Ý kiến chỉ đạo"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(f"d:{d.pk}", d.name) for d in Division.objects.filter(agency_id=user.agency_id)]
        choices += [(f"u:{u.pk}", f"{u.full_name} — {u.position_title}" if u.position_title else u.full_name)
                    for u in _colleagues(user)]
        self.fields["lead"].choices = [("", "—"), *choices]
        self.fields["support"].choices = choices
        self.fields["info"].choices = choices

    def assignments(self) -> list[dict]:
        data = self.cleaned_data
        rows = [("lead", data["lead"])] + [("support", v) for v in data["support"]] + [("info", v) for v in data["info"]]
        items = []
        for role, value in rows:
            kind, _sep, pk = value.partition(":")
            items.append({"role": role, "user": int(pk) if kind == "u" else None,
                          "division": int(pk) if kind == "d" else None,
                          "deadline": data["deadline"] if role != "info" else None,
                          "instruction": data["instruction"]})
        return items


class OpinionForm(forms.Form):
    text = forms.CharField(label=_("Ý kiến, tiến độ"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    progress = forms.IntegerField(
        label=_("Tiến độ (%)"), required=False, min_value=0, max_value=100,
        error_messages={problem: _("Tiến độ phải là số nguyên từ 0 đến 100.")
                        for problem in ("invalid", "min_value", "max_value")})


class OutgoingCreateForm(forms.Form):
    document_type = forms.ModelChoiceField(label=_("Loại văn bản"), queryset=DocumentType.objects.filter(is_active=True))
    summary = forms.CharField(label=_("Trích yếu"), widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("Dự thảo (DOCX hoặc PDF)"), required=False,
                           help_text=_("Hoặc để trống và soạn nội dung bên dưới: hệ thống trình bày theo Nghị định 30."))
    attachments = MultipleFileField(label=_("Phụ lục (PDF)"), required=False,
                                    help_text=_("Chọn được nhiều tệp; mỗi phụ lục là một tệp."))
    division = forms.ModelChoiceField(label=_("Đơn vị soạn thảo"), queryset=None, required=False)
    urgency = forms.ChoiceField(label=_("Độ khẩn"), choices=Urgency.choices, initial=Urgency.NORMAL)
    confidentiality = forms.ChoiceField(label=_("Độ mật"), choices=Confidentiality.choices,
                                        initial=Confidentiality.NORMAL)
    recipient_agencies = forms.ModelMultipleChoiceField(label=_("Nơi nhận trong hệ thống (liên thông)"),
                                                        queryset=None, required=False)
    recipients_text = forms.CharField(label=_("Nơi nhận khác"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    readers = forms.ModelMultipleChoiceField(
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


class TaskForm(forms.Form):
    title = forms.CharField(
        label=_("Nội dung nhiệm vụ"), max_length=Task._meta.get_field("title").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Cần nhập nội dung nhiệm vụ."),
                        "max_length": _("Nội dung nhiệm vụ dài tối đa %(limit_value)d ký tự (đang có %(show_value)d).")})
    division = forms.ModelChoiceField(
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
