"""Public pages: anyone can check the signatures of a PDF, or of a signed result through its QR code."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from egov.core.uploads import PDF, validate_upload
from signatures.api.views import signature_verify_page_allowed
from signatures.verification import pdf_verify, signed_copy_verify


class VerifyUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp PDF cần xác thực"),
        help_text=gettext_lazy("Tệp PDF có chữ ký số; hệ thống chỉ kiểm tra, không lưu lại tệp."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


@require_http_methods(["GET", "POST"])
def verify(request):
    form, report, status, error = VerifyUploadForm(), None, 200, ""
    if request.method == "POST" and not signature_verify_page_allowed(request):
        # Each verification costs ~0.5 s and revocation look-ups: the API's per-address ceiling holds here too.
        # The file is not kept, so the form comes back empty with the reason.
        error, status = _("Gửi quá nhiều lần: vui lòng thử lại sau ít phút."), 429
    elif request.method == "POST":
        form = VerifyUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                validate_upload(upload, allowed=(PDF,), check_pdf=False)  # a damaged PDF: the "unreadable" verdict
            except ValidationError as exc:
                if exc.code != "file_type":
                    form.add_error("file", exc)
                    status = 400
                else:
                    # Not a PDF: the answer a citizen needs is the verdict, said plainly, not a form error.
                    report = pdf_verify(upload.read())
            else:
                report = pdf_verify(upload.read())
        else:
            status = 400
    return render(request, "signatures/verify.html", {"form": form, "report": report, "error": error}, status=status)


@require_http_methods(["GET"])
def verify_signed_copy(request, sha256: str):
    report = signed_copy_verify(sha256=sha256)
    if report is None:
        raise Http404
    return render(request, "signatures/verify.html",
                  {"form": VerifyUploadForm(), "report": report, "signed_copy_sha256": sha256.lower()})
