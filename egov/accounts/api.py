"""The citizens' account API: register, verify with the code (→ a token), read and edit one's profile, consent to the
personal-data notice and requests about one's data.

Serializers check shapes only; the rules live in egov.accounts.citizens, shared with the pages.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from egov.accounts.citizens import (
    citizen_profile_update,
    citizen_signup,
    citizen_signup_resend,
    citizen_signup_verify,
)
from egov.accounts.codes import code_normalize, resend_wait_seconds
from egov.accounts.models import DataRequestKind, Gender
from egov.accounts.privacy import privacy_consent_state
from egov.accounts.roles import Role
from egov.accounts.selectors import citizen_profile_values
from egov.audit.middleware import client_ip


class RegisterSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=150)
    national_id = serializers.CharField(max_length=12, help_text=_("12 chữ số."))
    phone = serializers.CharField(max_length=20)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    password = serializers.CharField(write_only=True, trim_whitespace=False, style={"input_type": "password"})
    privacy_consent = serializers.BooleanField(
        default=False, help_text=_("true: công dân đã đọc và đồng ý với Thông báo xử lý dữ liệu cá nhân (bắt buộc)."))


class VerificationSerializer(serializers.Serializer):
    verification_id = serializers.UUIDField(help_text=_("Mã phiên xác thực nhận được khi đăng ký."))
    expires_at = serializers.DateTimeField()
    resend_after_seconds = serializers.IntegerField()
    channel = serializers.CharField()


class _OneTimeCodeField(serializers.RegexField):
    """A sent code as typed ("603 679", full-width digits: egov.accounts.codes.code_normalize) before the pattern."""

    def to_internal_value(self, data):
        return code_normalize(super().to_internal_value(data))


class VerifySerializer(serializers.Serializer):
    verification_id = serializers.UUIDField()
    code = _OneTimeCodeField(r"^\d{6}$", error_messages={"invalid": _("Mã xác thực gồm 6 chữ số.")})


class ResendSerializer(serializers.Serializer):
    verification_id = serializers.UUIDField()


class ProfileSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=150)
    id_number = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True, help_text=_("Đổi trên cổng, có xác thực bằng mã."))
    email = serializers.CharField(read_only=True, help_text=_("Đổi trên cổng, có xác thực bằng mã."))
    address = serializers.CharField(max_length=255, allow_blank=True, required=False)
    birth_date = serializers.DateField(allow_null=True, required=False)
    gender = serializers.ChoiceField(choices=[("", "—"), *Gender.choices], allow_blank=True, required=False)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False,
                                       help_text=_("Ngôn ngữ của thư, tin nhắn và thông báo gửi cho công dân."))


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    profile = ProfileSerializer()


def _verification(otc) -> dict:
    return {"verification_id": otc.public_id, "expires_at": otc.expires_at, "resend_after_seconds": resend_wait_seconds(otc),
            "channel": otc.channel}


class IsCitizen(permissions.BasePermission):
    message = _("Chức năng này dành cho tài khoản công dân.")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_role(Role.CITIZEN))


class _Anonymous(APIView):
    # Anyone may start a sign-up: no session (so no CSRF dance) and no token.
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]


class RegisterView(_Anonymous):
    @extend_schema(request=RegisterSerializer, responses={201: VerificationSerializer}, tags=["citizens"],
                   summary="Đăng ký tài khoản công dân; gửi mã xác thực tới số điện thoại")
    def post(self, request):
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        otc = citizen_signup(**data.validated_data, ip=client_ip(request))
        return Response(VerificationSerializer(_verification(otc)).data, status=status.HTTP_201_CREATED)


class ResendView(_Anonymous):
    @extend_schema(request=ResendSerializer, responses={200: VerificationSerializer}, tags=["citizens"],
                   summary="Gửi lại mã xác thực đăng ký (sau thời gian chờ)")
    def post(self, request):
        data = ResendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        otc = citizen_signup_resend(public_id=data.validated_data["verification_id"])
        return Response(VerificationSerializer(_verification(otc)).data)


class VerifyView(_Anonymous):
    @extend_schema(request=VerifySerializer, responses={200: TokenSerializer}, tags=["citizens"],
                   summary="Nhập mã xác thực: kích hoạt tài khoản và nhận token")
    def post(self, request):
        data = VerifySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = citizen_signup_verify(public_id=data.validated_data["verification_id"], code=data.validated_data["code"],
                                     ip=client_ip(request))
        token, _created = Token.objects.get_or_create(user=user)
        return Response(TokenSerializer({"token": token.key, "profile": _profile(user)}).data)


class MeView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsCitizen]

    @extend_schema(responses=ProfileSerializer, tags=["citizens"], summary="Thông tin cá nhân của công dân đang đăng nhập")
    def get(self, request):
        return Response(ProfileSerializer(_profile(request.user)).data)

    @extend_schema(request=ProfileSerializer, responses=ProfileSerializer, tags=["citizens"],
                   summary="Sửa họ tên, địa chỉ, ngày sinh, giới tính, ngôn ngữ nhận thông báo")
    def patch(self, request):
        from egov.accounts.services import user_language_set

        data = ProfileSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        language = changes.pop("language", None)
        user = citizen_profile_update(user=request.user, ip=client_ip(request), **changes)
        if language is not None:
            user = user_language_set(user=user, language=language)
        return Response(ProfileSerializer(_profile(user)).data)


def _profile(user) -> dict:
    """The profile as the forms prefill it, and the language of the messages to the citizen."""
    return {**citizen_profile_values(user), "language": user.language or settings.LANGUAGE_CODE}




class TokenRequestSerializer(serializers.Serializer):
    # django-axes records the name of a failed attempt in a 255-character column: a longer one was a 500.
    username = serializers.CharField(max_length=254, error_messages={
        "max_length": _("Không được dài quá {max_length} ký tự.")})
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(required=False, allow_blank=True, max_length=16, help_text=_(
        "Mã xác thực hai lớp (ứng dụng xác thực): bắt buộc với lãnh đạo, văn thư và quản trị."))


def _locked_out(request):
    """The sign-in page's lock-out message (accounts/locked_out.html), as the API's error: 429, minutes to wait."""
    from axes.helpers import get_cool_off
    from django.utils.translation import gettext, ngettext

    from egov.core.errors import ApplicationError
    from egov.core.templatetags.durations import minutes

    cool_off = get_cool_off(request._request)
    retry_after = None
    if cool_off:
        retry_after = int(cool_off.total_seconds())
        wait = minutes(cool_off)
        message = ngettext(
            "Tài khoản này đã nhập sai mật khẩu quá nhiều lần từ địa chỉ của bạn. Vui lòng thử lại sau %(minutes)s phút.",
            "Tài khoản này đã nhập sai mật khẩu quá nhiều lần từ địa chỉ của bạn. Vui lòng thử lại sau %(minutes)s phút.",
            wait) % {"minutes": wait}
    else:
        message = gettext("Tài khoản này đã nhập sai mật khẩu quá nhiều lần từ địa chỉ của bạn. Vui lòng thử lại sau.")
    return ApplicationError("locked_out", message, status=429, retry_after=retry_after)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class TokenObtainView(APIView):
    """A token for the API from a password — and, for the roles that pass a second factor before any page,
    a current code of their authenticator app (the same devices as the portal's two-factor pages)."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenResponseSerializer}, tags=["auth"],
                   summary="Lấy token API bằng tên đăng nhập, mật khẩu (và mã xác thực hai lớp khi vai trò cần)")
    def post(self, request):
        from django.utils import timezone
        from django_otp import devices_for_user, match_token
        from rest_framework.authtoken.serializers import AuthTokenSerializer

        from egov.accounts.middleware import requires_two_factor
        from egov.accounts.models import TokenSecondFactor
        from egov.core.errors import ApplicationError

        TokenRequestSerializer(data=request.data).is_valid(raise_exception=True)
        credentials = AuthTokenSerializer(data=request.data, context={"request": request})
        try:
            credentials.is_valid(raise_exception=True)
        except serializers.ValidationError:
            # django-axes flags the request it authenticated — DRF's, which its middleware never sees: without
            # this, a locked-out name was answered as a wrong password, with no word of when to try again.
            if getattr(request, "axes_locked_out", False) or getattr(request._request, "axes_locked_out", False):
                raise _locked_out(request) from None
            raise
        user = credentials.validated_data["user"]
        second_factor = requires_two_factor(user)
        if second_factor:
            code = str(request.data.get("otp") or "").strip()
            if not any(True for _device in devices_for_user(user, confirmed=True)):
                raise ApplicationError("two_factor_required", _(
                    "Vai trò của bạn cần xác thực hai lớp: hãy đăng nhập trên cổng và đăng ký ứng dụng xác thực trước."),
                    status=403)
            if not code:
                raise ApplicationError("two_factor_required", _("Vai trò của bạn cần xác thực hai lớp: gửi kèm mã xác thực."),
                                       fields={"otp": [_("Bắt buộc với vai trò của bạn.")]}, status=403)
            # match_token goes through the devices' own throttling: repeated wrong codes are refused for a while.
            if match_token(user, code) is None:
                raise ApplicationError("otp_invalid", _("Mã xác thực không đúng hoặc đã hết hạn."),
                                       fields={"otp": [_("Mã xác thực không đúng hoặc đã hết hạn.")]})
        token, _created = Token.objects.get_or_create(user=user)
        if second_factor:
            TokenSecondFactor.objects.update_or_create(token=token, defaults={"verified_at": timezone.now()})
        return Response({"token": token.key})


# --- personal data (Law 91/2025/QH15): consent and requests, as on the page /tai-khoan/du-lieu-ca-nhan/ ------------


class EraseSerializer(serializers.Serializer):
    password = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, write_only=True,
                                     help_text=_("Mật khẩu hiện tại; bắt buộc khi tài khoản có mật khẩu (tài khoản "
                                                 "VNeID không có)."))
    confirm = serializers.BooleanField(help_text=_("true: xác nhận xóa vĩnh viễn tài khoản và dữ liệu cá nhân của nó."))


class EraseView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsCitizen]

    @extend_schema(request=EraseSerializer, responses={204: None}, tags=["citizens"],
                   summary="Xóa tài khoản: dữ liệu cá nhân, bản nháp, thông báo; hồ sơ đã nộp được lưu giữ theo quy "
                           "định. 409 khi còn hồ sơ đang giải quyết.")
    def post(self, request):
        from egov.accounts.erasure import account_erase
        from egov.core.errors import ApplicationError

        data = EraseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not data.validated_data["confirm"]:
            message = _("Xác nhận (confirm: true) để xóa tài khoản.")
            raise ApplicationError("confirm_required", message, fields={"confirm": [message]})
        from egov.accounts.services import user_password_confirms

        user = request.user
        if user.has_usable_password() and not user_password_confirms(request=request, user=user,
                                                                     password=data.validated_data.get("password", "")):
            message = _("Mật khẩu không đúng.")
            raise ApplicationError("password_incorrect", message, fields={"password": [message]})
        account_erase(user=user, by=user, ip=client_ip(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ConsentSerializer(serializers.Serializer):
    given_at = serializers.DateTimeField(allow_null=True, read_only=True)
    notice_version = serializers.CharField(allow_null=True, read_only=True)
    current_notice_version = serializers.CharField(read_only=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True, read_only=True)


class ConsentGiveSerializer(serializers.Serializer):
    privacy_consent = serializers.BooleanField(help_text=_("true: đồng ý với Thông báo xử lý dữ liệu cá nhân hiện hành."))


class ConsentView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsCitizen]

    @extend_schema(responses=ConsentSerializer, tags=["citizens"], summary="Sự đồng ý xử lý dữ liệu cá nhân")
    def get(self, request):
        return Response(ConsentSerializer(privacy_consent_state(request.user)).data)

    @extend_schema(request=ConsentGiveSerializer, responses=ConsentSerializer, tags=["citizens"],
                   summary="Đồng ý (hoặc đồng ý lại) với Thông báo xử lý dữ liệu cá nhân hiện hành")
    def post(self, request):
        from egov.accounts.privacy import privacy_consent_record
        from egov.core.errors import ApplicationError

        data = ConsentGiveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not data.validated_data["privacy_consent"]:
            message = _("Vui lòng đánh dấu ô đồng ý để tiếp tục.")
            raise ApplicationError("privacy_consent_required", message, fields={"privacy_consent": [message]})
        user = privacy_consent_record(user=request.user, ip=client_ip(request), source="api")
        return Response(ConsentSerializer(privacy_consent_state(user)).data)

    @extend_schema(request=None, responses=ConsentSerializer, tags=["citizens"],
                   summary="Rút lại sự đồng ý: có hiệu lực ngay; không bắt đầu hồ sơ trực tuyến mới cho tới khi đồng ý lại")
    def delete(self, request):
        from egov.accounts.privacy import privacy_consent_withdraw

        user = privacy_consent_withdraw(user=request.user, ip=client_ip(request))
        return Response(ConsentSerializer(privacy_consent_state(user)).data)


class DataRequestEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    action_label = serializers.CharField()
    to_state = serializers.CharField()
    note = serializers.CharField()


class DataRequestSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    code = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=DataRequestKind.choices)
    details = serializers.CharField(max_length=4000)
    state = serializers.CharField(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    received_at = serializers.DateTimeField(read_only=True)
    respond_due_at = serializers.DateTimeField(read_only=True)
    due_at = serializers.DateTimeField(read_only=True)
    extended_at = serializers.DateTimeField(read_only=True, allow_null=True)
    extension_reason = serializers.CharField(read_only=True)
    answer = serializers.CharField(read_only=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    events = DataRequestEventSerializer(many=True, read_only=True, source="events.all")


class DataRequestsView(APIView):
    """The citizen's requests about their data, newest first (a handful: one open per kind), each with its history."""

    permission_classes = [permissions.IsAuthenticated, IsCitizen]

    @extend_schema(responses=DataRequestSerializer(many=True), tags=["citizens"],
                   summary="Các yêu cầu về dữ liệu cá nhân của công dân đang đăng nhập")
    def get(self, request):
        from egov.accounts.selectors import personal_data_requests_for

        return Response(DataRequestSerializer(personal_data_requests_for(user=request.user), many=True).data)

    @extend_schema(request=DataRequestSerializer, responses={201: DataRequestSerializer}, tags=["citizens"],
                   summary="Gửi yêu cầu chỉnh sửa, xóa, hạn chế xử lý hoặc phản đối xử lý dữ liệu cá nhân")
    def post(self, request):
        from egov.accounts.data_requests import personal_data_request_submit
        from egov.accounts.selectors import personal_data_requests_for

        data = DataRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sent = personal_data_request_submit(user=request.user, ip=client_ip(request), **data.validated_data)
        sent = personal_data_requests_for(user=request.user).get(pk=sent.pk)
        return Response(DataRequestSerializer(sent).data, status=status.HTTP_201_CREATED)


class DataRequestCancelView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsCitizen]

    @extend_schema(request=None, responses=DataRequestSerializer, tags=["citizens"],
                   summary="Hủy một yêu cầu chưa được tiếp nhận")
    def post(self, request, request_id):
        from django.http import Http404

        from egov.accounts.data_requests import personal_data_request_cancel
        from egov.accounts.selectors import personal_data_requests_for

        found = personal_data_requests_for(user=request.user).filter(public_id=request_id).first()
        if found is None:
            raise Http404
        personal_data_request_cancel(request=found, by=request.user, ip=client_ip(request))
        return Response(DataRequestSerializer(personal_data_requests_for(user=request.user).get(pk=found.pk)).data)
