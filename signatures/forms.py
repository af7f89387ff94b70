from django import forms
from django.utils.translation import gettext_lazy as _


class ConfirmSignatureForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Mã xác thực 6 chữ số để xác nhận ký"), min_length=6, max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
