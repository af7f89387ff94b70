"""The citizens' account API: register, verify with the code (→ a token), read and edit one's profile.

Serializers check shapes only; the rules live in egov.accounts.citizens, shared with the pages.
"""

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
from egov.accounts.codes import resend_wait_seconds
from egov.accounts.models import Gender
from egov.accounts.roles import Role
from egov.accounts.selectors import citizen_profile_values
from egov.audit.middleware import client_ip


class RegisterSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=150)
    national_id = serializers.CharField(max_length=12, help_text=_("12 chữ số."))
    phone = serializers.CharField(max_length=20)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    password = serializers.CharField(write_only=True, trim_whitespace=False, style={"input_type": "password"})


class VerificationSerializer(serializers.Serializer):
    verification_id = serializers.UUIDField(help_text=_("Mã phiên xác thực nhận được khi đăng ký."))
    expires_at = serializers.DateTimeField()
    resend_after_seconds = serializers.IntegerField()
    channel = serializers.CharField()


class VerifySerializer(serializers.Serializer):
    verification_id = serializers.UUIDField()
    code = serializers.RegexField(r"^\d{6}$", error_messages={"invalid": _("Mã xác thực gồm 6 chữ số.")})


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
        return Response(TokenSerializer({"token": token.key, "profile": citizen_profile_values(user)}).data)


class MeView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsCitizen]

    @extend_schema(responses=ProfileSerializer, tags=["citizens"], summary="Thông tin cá nhân của công dân đang đăng nhập")
    def get(self, request):
        return Response(ProfileSerializer(citizen_profile_values(request.user)).data)

    @extend_schema(request=ProfileSerializer, responses=ProfileSerializer, tags=["citizens"],
                   summary="Sửa họ tên, địa chỉ, ngày sinh, giới tính")
    def patch(self, request):
        data = ProfileSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user = citizen_profile_update(user=request.user, ip=client_ip(request), **data.validated_data)
        return Response(ProfileSerializer(citizen_profile_values(user)).data)


