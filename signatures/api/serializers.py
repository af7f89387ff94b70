"""Serializers of the signature verification API: the report of `signatures.verification`, as JSON."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from signatures.verification import Coverage, ModificationLevel, SignatureKind, Verdict


class VerifyUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("Tệp PDF có chữ ký số cần xác thực."))


class SignatureReportSerializer(serializers.Serializer):
    field_name = serializers.CharField(help_text=_("Tên trường chữ ký trong tệp PDF."))
    kind = serializers.ChoiceField(choices=SignatureKind.choices)
    signer_name = serializers.CharField(help_text=_("Tên chủ thể (CN) của chứng thư số."))
    signer_subject = serializers.CharField()
    organisation = serializers.CharField(help_text=_("Tổ chức (thuộc tính O), nếu có."))
    position = serializers.CharField(help_text=_("Chức danh (thuộc tính title), nếu có."))
    identifiers = serializers.ListField(child=serializers.CharField(),
                                        help_text=_("Giá trị thuộc tính UID, ví dụ “CCCD:…”, “MST:…”."))
    issuer = serializers.CharField()
    certificate_serial = serializers.CharField(help_text=_("Số hiệu chứng thư số (hệ 16)."))
    certificate_not_before = serializers.DateTimeField(allow_null=True)
    certificate_not_after = serializers.DateTimeField(allow_null=True)
    key_usage = serializers.ListField(child=serializers.CharField())
    key_usage_ok = serializers.BooleanField(help_text=_("Có digitalSignature hoặc nonRepudiation."))
    chain = serializers.ListField(child=serializers.CharField(),
                                  help_text=_("Chuỗi chứng thư, từ chứng thư của người ký lên chứng thư gốc."))
    chain_trusted = serializers.BooleanField(help_text=_("Chuỗi đến một chứng thư gốc được hệ thống tin cậy."))
    trust_anchor = serializers.CharField()
    signing_time = serializers.DateTimeField(allow_null=True, help_text=_("Thời điểm ký do người ký tự khai."))
    timestamp_time = serializers.DateTimeField(allow_null=True, help_text=_("Thời điểm trong dấu thời gian, nếu có."))
    timestamp_trusted = serializers.BooleanField(allow_null=True)
    intact = serializers.BooleanField()
    coverage = serializers.ChoiceField(choices=Coverage.choices)
    covers_entire_file = serializers.BooleanField()
    later_revisions = serializers.BooleanField()
    modification_level = serializers.ChoiceField(choices=ModificationLevel.choices)
    modifications_allowed = serializers.BooleanField()
    changed_form_fields = serializers.ListField(child=serializers.CharField())
    revoked = serializers.BooleanField()
    revocation_date = serializers.DateTimeField(allow_null=True)
    trusted = serializers.BooleanField()
    trust_problem = serializers.CharField(help_text=_("Chỉ báo AdES khi chứng thư số không được chấp nhận."))
    long_term_ok = serializers.BooleanField(allow_null=True,
                                            help_text=_("Đủ dữ liệu để kiểm tra lâu dài; null với dấu thời gian tài liệu."))
    long_term_reason = serializers.CharField()
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    message = serializers.CharField()
    error = serializers.CharField()


class VerificationReportSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    verdict_label = serializers.CharField()
    message = serializers.CharField(help_text=_("Kết luận bằng một câu tiếng Việt."))
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    verified_at = serializers.DateTimeField()
    signature_count = serializers.IntegerField()
    timestamp_count = serializers.IntegerField()
    signatures = SignatureReportSerializer(many=True)
    error = serializers.CharField()


class ApiErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ApiErrorSerializer(serializers.Serializer):
    """The project's one error shape, for the OpenAPI schema."""

    error = ApiErrorBodySerializer()
