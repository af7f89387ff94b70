from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from egov.accounts.codes import code_normalize
from egov.accounts.data_requests import DETAILS_MAX_LENGTH
from egov.accounts.models import DataRequestKind


class IdentifierLoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Số định danh, số điện thoại, thư điện tử hoặc tên đăng nhập"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    error_messages = {
        "invalid_login": _("Thông tin đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }


class OTPTokenForm(forms.Form):
    token = forms.CharField(
        label=_("Mã xác thực 6 chữ số"), min_length=6, max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class _CodeField(forms.CharField):
    """A code as typed, spaces dropped and in lower case ("ABCD EFGH" is the backup code abcdefgh; digits are
    unchanged), before its length is checked."""

    def to_python(self, value):
        return "".join(super().to_python(value).split()).lower()


class OTPVerifyForm(OTPTokenForm):
    """The sign-in's second step: an app's 6 digits, or a backup code (8 letters and digits) — so the keyboard
    is a text one."""

    token = _CodeField(
        label=_("Mã xác thực 6 chữ số hoặc mã dự phòng"), min_length=6, max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "autofocus": True}),
    )


class SignupForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    national_id = forms.CharField(
        label=_("Số định danh cá nhân"), max_length=12, help_text=_("12 chữ số, in trên căn cước / căn cước công dân."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(label=_("Số điện thoại di động"), max_length=20,
                            help_text=_("Mã xác thực sẽ được gửi tới số này."),
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    email = forms.CharField(label=_("Thư điện tử (không bắt buộc)"), max_length=254, required=False,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1 = forms.CharField(label=_("Mật khẩu"), strip=False,
                                help_text=_("Ít nhất 10 ký tự, không toàn chữ số, không quá giống thông tin cá nhân."),
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Nhập lại mật khẩu"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    # The label links to the notice: the template renders this box itself (accounts/signup.html).
    privacy_consent = forms.BooleanField(
        label=_("Tôi đã đọc và đồng ý với Thông báo xử lý dữ liệu cá nhân"),
        error_messages={"required": _("Vui lòng đọc và đồng ý với Thông báo xử lý dữ liệu cá nhân để đăng ký tài khoản.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("Hai mật khẩu không khớp nhau."))
        return data


class PrivacyConsentForm(forms.Form):
    privacy_consent = forms.BooleanField(
        label=_("Tôi đã đọc và đồng ý với Thông báo xử lý dữ liệu cá nhân"),
        error_messages={"required": _("Vui lòng đánh dấu ô đồng ý để tiếp tục.")},
    )


class ConsentWithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Tôi hiểu: tài khoản không bắt đầu được hồ sơ trực tuyến mới cho tới khi tôi đồng ý lại"),
        error_messages={"required": _("Đánh dấu ô xác nhận để rút lại sự đồng ý.")},
    )


class AccountEraseForm(forms.Form):
    """The citizen confirms, with their password when the account has one (a VNeID account has none), that their
    account is to be erased."""

    password = forms.CharField(label=_("Mật khẩu hiện tại"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
                               error_messages={"required": _("Nhập mật khẩu để xác nhận.")})
    confirm = forms.BooleanField(
        label=_("Tôi hiểu: tài khoản và dữ liệu cá nhân của nó bị xóa vĩnh viễn, không khôi phục được; hồ sơ đã nộp vẫn "
                "được cơ quan lưu giữ theo quy định"),
        error_messages={"required": _("Đánh dấu ô xác nhận để xóa tài khoản.")},
    )

    def __init__(self, *args, request, **kwargs):
        # Prefixed: the consent form on the same page has a "confirm" box too, and ids must be unique.
        super().__init__(*args, prefix="erase", **kwargs)
        self.request, self.user = request, request.user
        if not self.user.has_usable_password():
            del self.fields["password"]

    def clean_password(self):
        from egov.accounts.services import user_password_confirms

        password = self.cleaned_data["password"]
        if not user_password_confirms(request=self.request, user=self.user, password=password):
            raise forms.ValidationError(_("Mật khẩu không đúng."), code="password_incorrect")
        return password


class DataRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại yêu cầu"), choices=[("", "—"), *DataRequestKind.choices],
                             error_messages={"required": _("Chọn loại yêu cầu.")})
    details = forms.CharField(
        label=_("Nội dung yêu cầu"), max_length=DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Nêu dữ liệu nào (ví dụ: số điện thoại trong hồ sơ 000.00.00.H41-260105-0001) và bạn muốn xử lý ra "
                    "sao. Không gửi kèm giấy tờ tùy thân."),
        error_messages={"required": _("Nêu dữ liệu nào và bạn muốn xử lý ra sao."),
                        "max_length": _("Tối đa %(limit_value)s ký tự.")},
    )


class _OneTimeCodeField(forms.CharField):
    """A sent code as typed (egov.accounts.codes.code_normalize: "603 679" is 603679) before its length is checked;
    the box takes the spaces (a `maxlength` of 6 cut "603 679" to "603 67", a wrong attempt)."""

    def to_python(self, value):
        return code_normalize(super().to_python(value))

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": "20"}


class CodeForm(forms.Form):
    code = _OneTimeCodeField(
        label=_("Mã xác thực 6 chữ số"), max_length=6, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class PasswordResetRequestForm(forms.Form):
    identifier = forms.CharField(label=_("Số định danh, số điện thoại hoặc thư điện tử"), max_length=254,
                                 widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))


class PasswordResetConfirmForm(CodeForm):
    new_password1 = forms.CharField(label=_("Mật khẩu mới"), strip=False, required=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password2 = forms.CharField(label=_("Nhập lại mật khẩu mới"), strip=False, required=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("Hai mật khẩu không khớp nhau."))
        return data


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    birth_date = forms.DateField(label=_("Ngày sinh"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
                                 error_messages={"invalid": _("Ngày sinh không hợp lệ.")})
    gender = forms.ChoiceField(label=_("Giới tính"), required=False, widget=forms.Select(attrs={"autocomplete": "sex"}))
    address = forms.CharField(label=_("Địa chỉ thường trú"), max_length=255, required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "street-address"}))

    def __init__(self, *args, **kwargs):
        from egov.accounts.models import Gender

        super().__init__(*args, **kwargs)
        self.fields["gender"].choices = [("", _("— Chọn —")), *Gender.choices]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Ngôn ngữ của thư, tin nhắn và thông báo gửi cho bạn"),
                                 help_text=_("Thông báo về hồ sơ và tài khoản của bạn được viết bằng ngôn ngữ này."))

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        # Each language named in itself, as settings.LANGUAGES names them ("Tiếng Việt", "English"), as a reader of
        # the other one looks for it (the footer's switch names them so too).
        self.fields["language"].choices = list(settings.LANGUAGES)


class ContactChangeForm(forms.Form):
    value = forms.CharField(max_length=254)

    def __init__(self, *args, field: str, **kwargs):
        super().__init__(*args, prefix=field, **kwargs)
        self.field_name = field
        self.fields["value"].label = _("Số điện thoại mới") if field == "phone" else _("Thư điện tử mới")
        self.fields["value"].widget.attrs["inputmode"] = "tel" if field == "phone" else "email"
        # WCAG 1.3.5: the citizen's own new phone or e-mail address.
        self.fields["value"].widget.attrs["autocomplete"] = "tel" if field == "phone" else "email"
