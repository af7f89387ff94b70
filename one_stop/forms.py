from django import forms
from django.utils.translation import gettext_lazy as _

from egov.accounts.validators import validate_phone
from one_stop.constants import DESK_CHANNELS, ApplicantKind, DossierChannel
from one_stop.models import Procedure


class CounterReceiptForm(forms.Form):
    procedure = forms.CharField(label=_("Mã thủ tục"), max_length=40,
                                help_text=_("Ví dụ 1.001193 — hoặc tìm thủ tục theo tên ở ô “Tìm thủ tục” phía trên."))
    # Not required: left out (a page opened before these fields existed, a script) they mean the clerk's own agency,
    # the counter and a person — what the form preselects.
    handling_agency = forms.TypedChoiceField(
        label=_("Cơ quan giải quyết"), coerce=int, choices=(), required=False, empty_value=None,
        help_text=_("Mặc định là cơ quan của bạn; với hồ sơ thuộc thẩm quyền nơi khác trong tỉnh, chọn cơ quan có thẩm "
                    "quyền — mã hồ sơ vẫn là mã của nơi tiếp nhận."))
    channel = forms.ChoiceField(label=_("Hình thức nộp"), widget=forms.RadioSelect, initial=DossierChannel.COUNTER,
                                required=False,
                                choices=[(c.value, c.label) for c in DESK_CHANNELS])
    applicant_kind = forms.ChoiceField(label=_("Người nộp là"), widget=forms.RadioSelect, initial=ApplicantKind.PERSON,
                                       required=False,
                                       choices=ApplicantKind.choices)
    full_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=255,
                                help_text=_("Với tổ chức: tên tổ chức theo giấy chứng nhận đăng ký."))
    id_number = forms.CharField(label=_("Số định danh cá nhân hoặc mã số thuế"), max_length=20,
                                help_text=_("Cá nhân: số định danh cá nhân (hoặc hộ chiếu). Tổ chức: mã số thuế, 10 chữ số "
                                            "hoặc 10 chữ số-3 chữ số với đơn vị phụ thuộc."))
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False, validators=[validate_phone])
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    fee_exempt_reason = forms.CharField(label=_("Miễn, giảm phí, lệ phí (ghi rõ đối tượng, nếu có)"), max_length=255,
                                        required=False)
    processing_days = forms.DecimalField(
        label=_("Thời hạn giải quyết (ngày làm việc)"), required=False, min_value=0, max_value=365, decimal_places=1,
        help_text=_("Chỉ ghi khi danh mục chưa nêu thời hạn của thủ tục; nếu danh mục đã nêu, thời hạn đó được áp dụng."))
    # A one-time key per form shown (kept when the form comes back with errors): a double click on "receive" sends it
    # twice, and the second finds the dossier of the first (services.dossiers.dossier_receive_at_counter).
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    # The applicant's data is typed on a desk's shared browser: none of it is offered again to the next clerk or
    # applicant at the counter (the browser's memory of typed values), nor taken as the clerk's own to fill in.
    APPLICANT_FIELDS = ("full_name", "id_number", "phone", "email", "address")

    def __init__(self, *args, clerk, **kwargs):
        import secrets

        from one_stop.selectors import desk_handling_agencies

        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["submission_key"].initial = secrets.token_urlsafe(24)
        for name in self.APPLICANT_FIELDS:
            self.fields[name].widget.attrs["autocomplete"] = "off"
        groups = desk_handling_agencies()
        self._agencies = {agency.pk: agency for _group, members in groups for agency in members}
        if clerk.agency is not None and clerk.agency_id not in self._agencies:  # own agency, even if closed since
            self._agencies[clerk.agency_id] = clerk.agency
            groups = [(_("Cơ quan của bạn"), [clerk.agency]), *groups]
        self.fields["handling_agency"].choices = [(group, [(a.pk, a.name) for a in members]) for group, members in groups]
        self.fields["handling_agency"].initial = self._own_agency_id = clerk.agency_id

    def clean_procedure(self):
        code = self.cleaned_data["procedure"].strip()
        procedure = Procedure.objects.filter(code=code, is_active=True).first()
        if procedure is None:
            raise forms.ValidationError(_("Không có thủ tục đang áp dụng với mã này."))
        return procedure

    def clean_handling_agency(self):
        chosen = self.cleaned_data["handling_agency"]
        return self._agencies[chosen] if chosen is not None else self._agencies.get(self._own_agency_id)

    def clean_channel(self):
        return self.cleaned_data["channel"] or DossierChannel.COUNTER

    def clean_applicant_kind(self):
        return self.cleaned_data["applicant_kind"] or ApplicantKind.PERSON

    def clean(self):
        from egov.core.errors import ApplicationError
        from one_stop.services.dossiers import applicant_id_number_clean

        data = super().clean()
        if data.get("applicant_kind") and data.get("id_number"):
            # The service's rule, asked before the checklist step: a wrong tax code is said at the first answer.
            try:
                data["id_number"] = applicant_id_number_clean(kind=data["applicant_kind"], id_number=data["id_number"])
            except ApplicationError as exc:
                self.add_error("id_number", exc.message)
        return data


class DossierActionForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú, lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # Receiving an online dossier of a procedure whose catalogue entry states no time limit.
    processing_days = forms.DecimalField(required=False, min_value=0, max_value=365, decimal_places=1)


class DocumentUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp (PDF, JPEG, PNG, DOCX)"))
    requirement = forms.CharField(label=_("Thuộc thành phần hồ sơ"), max_length=500, required=False)


class ForwardForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Chuyển đến cơ quan"), queryset=None, empty_label=_("— Chọn —"))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        from egov.agencies.selectors import agencies_active

        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_active().order_by("name")


class PostponeForm(forms.Form):
    new_due_at = forms.DateTimeField(label=_("Ngày hẹn trả mới"), input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
                                     # The one format a datetime-local input shows a value in (the drafted date).
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    reason = forms.CharField(label=_("Lý do chậm trả kết quả"), widget=forms.Textarea(attrs={"rows": 2}))


REGISTER_FIRST_YEAR = 2000


def register_day_in_range(on) -> bool:
    """The desk opened this century and books no further ahead than next year; 9999-12-31 would also overflow the
    day-after bound of the register's query."""
    from django.utils import timezone

    return REGISTER_FIRST_YEAR <= on.year <= timezone.localdate().year + 1


class RegisterDayForm(forms.Form):
    """The day of the desk's register (form 06) to print."""

    # A browser's date field sends 2026-12-07; one without it lets the clerk type 07/12/2026.
    ngay = forms.DateField(label=_("Ngày của sổ"), input_formats=["%Y-%m-%d", "%d/%m/%Y"],
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"required": _("Chọn ngày cần in sổ."),
                                           "invalid": _("Ngày không hợp lệ: chọn ngày theo dạng ngày/tháng/năm.")})

    def clean_ngay(self):
        day = self.cleaned_data["ngay"]
        if not register_day_in_range(day):
            raise forms.ValidationError(_("Sổ theo dõi có từ năm %(first)s đến hết năm sau: chọn ngày khác.")
                                        % {"first": REGISTER_FIRST_YEAR})
        return day


# --- A new version of a procedure (admin site): the form reads what was typed, the service judges it -------------

def _step_role_choices():
    from egov.accounts.roles import Role

    # A blank first choice: an empty extra row sends no role, so it is not taken as a row half filled in.
    return [("", "—"), *((role.value, role.label) for role in Role if role != Role.CITIZEN)]


class ProcedureVersionForm(forms.Form):
    effective_from = forms.DateField(label=_("Áp dụng từ ngày"), input_formats=["%Y-%m-%d", "%d/%m/%Y"],
                                     widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                     help_text=_("Hồ sơ tiếp nhận từ ngày này theo phiên bản mới; hồ sơ đã tiếp nhận "
                                                 "giữ phiên bản cũ. Hôm nay: áp dụng ngay."))
    allow_past = forms.BooleanField(label=_("Cho phép ngày áp dụng trong quá khứ (ghi nhận quyết định đã có hiệu lực)"),
                                    required=False)
    processing_days = forms.DecimalField(label=_("Thời hạn giải quyết (ngày làm việc)"), required=False,
                                         max_digits=6, decimal_places=1,
                                         help_text=_("Để trống nếu văn bản chưa nêu: Bộ phận Một cửa ghi khi tiếp nhận."))
    processing_text = forms.CharField(label=_("Thời hạn giải quyết (nguyên văn)"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    fee_vnd = forms.IntegerField(label=_("Phí, lệ phí (đồng)"), required=False,
                                 help_text=_("0: miễn phí; để trống nếu chưa nêu."))
    fee_text = forms.CharField(label=_("Phí, lệ phí (nguyên văn)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("Căn cứ, lý do thay đổi"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Ví dụ: số, ngày của quyết định công bố thủ tục sửa đổi."))


class VersionChannelForm(forms.Form):
    channel = forms.ChoiceField(label=_("Hình thức nộp"), choices=[])
    processing_days = forms.DecimalField(label=_("Thời hạn (ngày làm việc)"), required=False, max_digits=6, decimal_places=1)
    fee_vnd = forms.IntegerField(label=_("Phí, lệ phí (đồng)"), required=False)
    processing_text = forms.CharField(label=_("Thời hạn (nguyên văn)"), required=False)
    fee_text = forms.CharField(label=_("Phí, lệ phí (nguyên văn)"), required=False)

    def __init__(self, *args, **kwargs):
        from one_stop.constants import DossierChannel

        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [("", "—"), *DossierChannel.choices]


class VersionDocumentForm(forms.Form):
    name = forms.CharField(label=_("Tên giấy tờ"), max_length=1000)
    copies = forms.CharField(label=_("Số lượng, bản chính/bản sao"), max_length=255, required=False)
    group = forms.CharField(label=_("Nhóm"), max_length=255, required=False)
    form = forms.CharField(label=_("Tệp mẫu đơn, tờ khai"), max_length=255, required=False)


class ProcedureFormTemplateForm(forms.ModelForm):
    """A blank form uploaded on the procedure's admin page: which form (a name the versions' documents give) and the
    file. The file is checked here so the error shows next to it; the service checks again and saves."""

    class Meta:
        from one_stop.models import ProcedureFormTemplate

        model = ProcedureFormTemplate
        fields = ["name", "file"]

    def __init__(self, *args, procedure=None, **kwargs):
        from one_stop.services.form_templates import procedure_form_names

        super().__init__(*args, **kwargs)
        names = procedure_form_names(procedure=procedure) if procedure is not None and procedure.pk else []
        if self.instance.pk and self.instance.name not in names:
            names.append(self.instance.name)
        self.fields["name"] = forms.ChoiceField(
            label=_("Mẫu đơn, tờ khai"), choices=[("", "—"), *((name, name) for name in names)],
            help_text=_("Các mẫu mà thành phần hồ sơ của thủ tục nêu; muốn thêm mẫu cho một giấy tờ, tạo phiên bản "
                        "mới ghi tên mẫu ở cột “Tệp mẫu đơn, tờ khai”."))
        # A published form keeps its name: replacing the file is what changes; another form is another row.
        self.fields["name"].disabled = bool(self.instance.pk)
        self.fields["file"].help_text = _("DOCX, DOC, PDF, XLSX hoặc XLS. Tải tệp mới để thay mẫu đã đăng, không cần "
                                          "tạo phiên bản mới.")

    def clean_file(self):
        from one_stop.services.form_templates import form_template_validate

        upload = self.cleaned_data.get("file")
        if upload is not None and hasattr(upload, "content_type"):  # a new upload, not the stored file
            form_template_validate(upload)
        return upload


class VersionStepForm(forms.Form):
    name = forms.CharField(label=_("Tên bước"), max_length=255)
    role = forms.ChoiceField(label=_("Vai trò xử lý"), choices=[])
    agency = forms.CharField(label=_("Nơi xử lý"), max_length=20, initial="competent",
                             help_text=_("competent: cơ quan giải quyết; receiving: Bộ phận Một cửa nơi tiếp nhận; "
                                         "hoặc mã định danh của cơ quan khác (thủ tục liên thông)."))
    days = forms.DecimalField(label=_("Số ngày làm việc"), max_digits=5, decimal_places=1, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _step_role_choices()


VersionChannelFormSet = forms.formset_factory(VersionChannelForm, extra=1, can_delete=True)
VersionDocumentFormSet = forms.formset_factory(VersionDocumentForm, extra=2, can_delete=True)
VersionStepFormSet = forms.formset_factory(VersionStepForm, extra=2, can_delete=True)


class UnkeptTextInput(forms.TextInput):
    """A text box never filled in again with what was sent: a refused form is shown again on a public page, maybe on
    the desk's shared screen, without the ID number typed into it."""

    def format_value(self, value):
        return None


class LookupRatingForm(forms.Form):
    """The rating on the public lookup page: anyone may open it, so the applicant proves who they are."""

    level = forms.ChoiceField(label=_("Mức độ hài lòng"), choices=[], widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Góp ý (không bắt buộc)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    id_number = forms.CharField(label=_("Số định danh cá nhân hoặc mã số thuế đã khai khi nộp hồ sơ"), max_length=20,
                                help_text=_("Để xác nhận ông/bà là người nộp hồ sơ; không hiển thị trên trang này."),
                                widget=UnkeptTextInput(attrs={"autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        from one_stop.constants import RatingLevel

        super().__init__(*args, **kwargs)
        self.fields["level"].choices = RatingLevel.choices
