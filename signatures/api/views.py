from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from egov.core.errors import ApplicationError
from egov.core.throttling import FixedWindowAnonThrottle
from egov.core.uploads import PDF, validate_upload
from signatures.api.serializers import ApiErrorSerializer, VerificationReportSerializer, VerifyUploadSerializer
from signatures.verification import pdf_verify


class SignatureVerifyThrottle(AnonRateThrottle):
    # A verification costs ~0.5 s of CPU and OCSP requests: a public endpoint needs a ceiling.
    scope = "signature_verify"
    rate = "30/min"


class SignatureVerifyPageThrottle(FixedWindowAnonThrottle):
    """The API's ceiling for the pages that verify an uploaded file (/xac-thuc-chu-ky/ and a signed result's page):
    the same cost, so the same rate. One budget for both pages, counted by address for everyone — a page has the
    session's user, and a signed-in account costs as much CPU as a stranger. Its own counter: this throttle keeps
    an integer where DRF's keeps a list of times, so the two cannot share a key."""

    scope = "signature_verify_page"

    def get_rate(self):
        # Read at each request, so that the API's rate stays the one place to change (and to lower in a test).
        return SignatureVerifyThrottle.rate

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def signature_verify_page_allowed(request) -> bool:
    """Count one verification POST of a page against the client address's budget; False once it is spent."""
    return SignatureVerifyPageThrottle().allow_request(request, None)


class SignatureVerifyView(APIView):
    """Anyone may verify a PDF: no account, so no session (and no CSRF) either."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (SignatureVerifyThrottle,)
    parser_classes = (MultiPartParser, FormParser)

    @extend_schema(
        operation_id="signatures_verify",
        summary="Xác thực chữ ký số của một tệp PDF",
        description=("Kiểm tra từng chữ ký và dấu thời gian tài liệu: tính toàn vẹn, thay đổi sau khi ký, "
                     "chuỗi chứng thư đến chứng thư gốc được tin cậy, thu hồi, khả năng kiểm tra lâu dài. "
                     "Kết luận `verdict`: valid, modified, untrusted, revoked, no_signatures, unreadable. "
                     "Tệp không phải PDF bị từ chối (400); tệp PDF hỏng cho kết luận `unreadable`."),
        tags=["signatures"],
        request={"multipart/form-data": VerifyUploadSerializer},
        responses={
            200: VerificationReportSerializer,
            400: OpenApiResponse(ApiErrorSerializer, description="Thiếu tệp, tệp không phải PDF hoặc quá lớn."),
            429: OpenApiResponse(ApiErrorSerializer, description="Gửi quá nhiều yêu cầu, thử lại sau."),
        },
        auth=[],
    )
    def post(self, request):
        serializer = VerifyUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        try:
            validate_upload(upload, allowed=(PDF,), check_pdf=False)  # a damaged PDF: the "unreadable" verdict
        except ValidationError as exc:
            message = exc.messages[0]
            code = "not_a_pdf" if exc.code == "file_type" else exc.code or "invalid_file"
            raise ApplicationError(code, message, fields={"file": [message]}) from exc
        report = pdf_verify(upload.read())
        return Response(VerificationReportSerializer(report).data)
