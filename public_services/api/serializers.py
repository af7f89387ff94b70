from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from one_stop.models import Procedure


class AgencyChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ProcedureFormSerializer(serializers.Serializer):
    procedure = serializers.CharField(help_text="Mã thủ tục.")
    version = serializers.IntegerField()
    online_level = serializers.CharField()
    form = serializers.JSONField(help_text="Biểu mẫu điện tử (định dạng trong public_services/forms/schema.py).")
    prefill = serializers.JSONField(help_text="Giá trị lấy sẵn từ tài khoản cho các trường có “prefill”; "
                                              "khi có, máy chủ luôn dùng giá trị này.")
    agencies = AgencyChoiceSerializer(many=True, help_text="Nơi có thể nộp hồ sơ; gửi “agency” khi tạo bản nháp.")


class DraftCreateSerializer(serializers.Serializer):
    procedure = serializers.SlugRelatedField(slug_field="code", queryset=Procedure.objects.filter(is_active=True))
    agency = serializers.IntegerField(required=False, allow_null=True,
                                      help_text="Nơi nộp (một id trong “agencies” của biểu mẫu); bỏ trống khi chỉ có một nơi.")
    form_data = serializers.DictField(default=dict, help_text="Câu trả lời theo tên trường; nhóm lặp là danh sách.")


class DraftUpdateSerializer(serializers.Serializer):
    form_data = serializers.DictField(help_text="Toàn bộ câu trả lời (thay thế bản đã lưu).")


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, JPEG, PNG hoặc DOCX (kiểm tra theo nội dung).")
    requirement = serializers.CharField(max_length=500, help_text="Bản nháp: tên một mục trong “uploads” của biểu mẫu; "
                                                                  "hồ sơ bổ sung: giấy tờ được bổ sung.")


class PortalDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    requirement = serializers.CharField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    download = serializers.SerializerMethodField()
    signed = serializers.BooleanField(help_text="Kết quả điện tử có chữ ký số của lãnh đạo cơ quan giải quyết.")
    verification = serializers.SerializerMethodField(help_text="Trang xác thực công khai của kết quả đã ký (mã QR).")

    def get_download(self, obj) -> str:
        return reverse("portal-api-document", kwargs={"code": obj.dossier.code, "document_id": obj.pk})

    def get_verification(self, obj) -> str | None:
        if not (obj.signed and obj.verification_token):
            return None
        return reverse("one_stop:result_verify", kwargs={"token": obj.verification_token})


class CitizenEventSerializer(serializers.Serializer):
    """One step of the dossier's history as the applicant's page shows it (staff names are not the citizen's)."""

    action = serializers.CharField()
    label = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    to_label = serializers.CharField()
    at = serializers.DateTimeField()
    agency = serializers.CharField(source="agency.name", default="")
    note = serializers.CharField(source="citizen_note", help_text="Ghi chú gửi người nộp (nội dung cần bổ sung, lý do "
                                                                  "từ chối, hẹn lại…); rỗng với các bước nội bộ.")


class MyDossierSerializer(serializers.Serializer):
    code = serializers.CharField()
    procedure = serializers.CharField(source="procedure.code")
    procedure_name = serializers.CharField(source="procedure.name")
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    handling_agency = serializers.CharField(source="handling_agency.name")
    submitted_at = serializers.DateTimeField(allow_null=True)
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    fee_vnd = serializers.IntegerField(allow_null=True, help_text="Phí, lệ phí phải nộp (đồng), xác định khi tiếp nhận.")
    history = serializers.SerializerMethodField(help_text="Quá trình xử lý, cũ trước mới sau.")

    @extend_schema_field(CitizenEventSerializer(many=True))
    def get_history(self, obj) -> list:
        from public_services.selectors import citizen_history

        # The events come prefetched with their agency (selectors.citizen_events_prefetch).
        return CitizenEventSerializer(citizen_history(obj.events.all()), many=True).data


class PortalDossierSerializer(MyDossierSerializer):
    form_data = serializers.JSONField()
    closing_reason = serializers.CharField(help_text="Lý do yêu cầu bổ sung, từ chối hoặc rút.")
    documents = serializers.SerializerMethodField()
    errors = serializers.SerializerMethodField(help_text="Câu trả lời đã lưu nhưng chưa đúng (theo đường dẫn trường).")

    def get_documents(self, obj) -> list[dict]:
        from public_services.selectors import citizen_documents

        return PortalDocumentSerializer(citizen_documents(dossier=obj), many=True).data

    def get_errors(self, obj) -> dict[str, list[str]]:
        return self.context.get("errors", {})
