from django import forms
from django.utils.translation import gettext_lazy as _

from egov.accounts.validators import validate_phone
from one_stop.models import Procedure


class CounterReceiptForm(forms.Form):
    procedure = forms.CharField(label=_("Mã thủ tục"), max_length=40,
                                help_text=_("Ví dụ 1.001193 — tra mã tại danh mục thủ tục."))
    full_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=255)
    id_number = forms.CharField(label=_("Số định danh cá nhân hoặc mã số thuế"), max_length=20)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False, validators=[validate_phone])
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    fee_exempt_reason = forms.CharField(label=_("Miễn, giảm phí, lệ phí (ghi rõ đối tượng, nếu có)"), max_length=255,
                                        required=False)
    processing_days = forms.DecimalField(
        label=_("Thời hạn giải quyết (ngày làm việc)"), required=False, min_value=0, max_value=365, decimal_places=1,
        help_text=_("Chỉ ghi khi danh mục chưa nêu thời hạn của thủ tục; nếu danh mục đã nêu, thời hạn đó được áp dụng."))

    # The applicant's data is typed on a desk's shared browser: none of it is offered again to the next clerk or
    # applicant at the counter (the browser's memory of typed values), nor taken as the clerk's own to fill in.
    APPLICANT_FIELDS = ("full_name", "id_number", "phone", "email", "address")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.APPLICANT_FIELDS:
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean_procedure(self):
        code = self.cleaned_data["procedure"].strip()
        procedure = Procedure.objects.filter(code=code, is_active=True).first()
        if procedure is None:
            raise forms.ValidationError(_("Không có thủ tục đang áp dụng với mã này."))
        return procedure


class DossierActionForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú, lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # Receiving an online dossier of a procedure whose catalogue entry states no time limit.
    processing_days = forms.DecimalField(required=False, min_value=0, max_value=365, decimal_places=1)


class DocumentUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp (PDF, JPEG, PNG, DOCX)"))
    requirement = forms.CharField(label=_("Thuộc thành phần hồ sơ"), max_length=500, required=False)


class ForwardForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Chuyển đến cơ quan"), queryset=None)
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
