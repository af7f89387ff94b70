from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from egov.agencies.models import Agency
from one_stop.constants import ApplicantKind
from one_stop.models import Procedure
from one_stop.selectors import procedure_version_current


class ProcedureListSerializer(serializers.ModelSerializer):
    processing_days = serializers.DecimalField(source="current_processing_days", max_digits=6, decimal_places=1,
                                               allow_null=True, read_only=True)
    fees = serializers.IntegerField(source="current_fee_vnd", allow_null=True, read_only=True,
                                    help_text="Phí, lệ phí (đồng); null: không nêu rõ.")

    class Meta:
        model = Procedure
        fields = ["code", "name", "field", "levels", "online_level", "processing_days", "fees"]


class RequiredDocumentSerializer(serializers.Serializer):
    """A paper of the procedure's dossier (thành phần hồ sơ), for the schema: the view returns the catalogue's dicts."""

    name = serializers.CharField()
    copies = serializers.CharField(help_text="Số lượng, bản chính/bản sao, như văn bản ghi.")
    group = serializers.CharField(allow_null=True)
    form = serializers.CharField(allow_null=True, help_text="Tên mẫu đơn, tờ khai của giấy tờ, nếu có.")
    template_url = serializers.URLField(allow_null=True,
                                        help_text="Địa chỉ tải mẫu đơn, tờ khai do tỉnh đăng; null khi chưa đăng.")


class ProcedureDetailSerializer(serializers.ModelSerializer):
    processing_days = serializers.SerializerMethodField()
    processing_text = serializers.SerializerMethodField()
    fees = serializers.SerializerMethodField()
    fee_text = serializers.SerializerMethodField()
    channels = serializers.SerializerMethodField()
    required_documents = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField()

    class Meta:
        model = Procedure
        fields = ["code", "name", "field", "levels", "agency_text", "online_level", "processing_days",
                  "processing_text", "fees", "fee_text", "channels", "required_documents", "steps", "result",
                  "legal_basis", "conditions", "version", "source_url"]

    def _current(self, obj):
        if not hasattr(obj, "_current_version"):
            obj._current_version = procedure_version_current(procedure=obj)
        return obj._current_version

    def _term(self, obj, name, default=None):
        version = self._current(obj)
        return getattr(version, name) if version else default

    def get_processing_days(self, obj) -> float | None:
        value = self._term(obj, "processing_days")
        return None if value is None else float(value)

    def get_processing_text(self, obj) -> str:
        return self._term(obj, "processing_text", "")

    def get_fees(self, obj) -> int | None:
        return self._term(obj, "fee_vnd")

    def get_fee_text(self, obj) -> str:
        return self._term(obj, "fee_text", "")

    def get_channels(self, obj) -> list:
        return self._term(obj, "channels", [])

    @extend_schema_field(RequiredDocumentSerializer(many=True))
    def get_required_documents(self, obj) -> list:
        """Each required document as the catalogue gives it, with `template_url`: where its blank form (mẫu đơn, tờ
        khai) is downloaded, absolute; null when the province has not published one."""
        from one_stop.selectors import required_documents_with_templates

        request = self.context.get("request")
        documents = []
        for document in required_documents_with_templates(procedure=obj, version=self._current(obj)):
            document.pop("template")
            url = document.pop("template_url")
            documents.append({**document, "template_url": request.build_absolute_uri(url) if url and request else url})
        return documents

    def get_steps(self, obj) -> list:
        return self._term(obj, "steps", [])

    def get_version(self, obj) -> int | None:
        return self._term(obj, "number")


class ApplicantSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ApplicantKind.choices, default=ApplicantKind.PERSON,
                                   help_text="person: cá nhân (id_number là số định danh); organisation: tổ chức "
                                             "(id_number là mã số thuế, 10 chữ số hoặc 10 chữ số-3 chữ số).")
    full_name = serializers.CharField(max_length=255, help_text="Họ tên người nộp, hoặc tên tổ chức.")
    id_number = serializers.CharField(max_length=20)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    address = serializers.CharField(max_length=500, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)

    def validate_phone(self, value):
        from egov.accounts.validators import validate_phone

        if value:
            try:
                validate_phone(value)
            except Exception as exc:  # django ValidationError → DRF's
                raise serializers.ValidationError(list(getattr(exc, "messages", [str(exc)]))) from exc
        return value

    def validate(self, attrs):
        from egov.core.errors import ApplicationError
        from one_stop.services.dossiers import applicant_id_number_clean

        # The service's rule, asked here so that its message sits under applicant.id_number like the other fields'.
        try:
            attrs["id_number"] = applicant_id_number_clean(kind=attrs["kind"], id_number=attrs["id_number"])
        except ApplicationError as exc:
            raise serializers.ValidationError(exc.fields) from exc
        return attrs


class DossierCreateSerializer(serializers.Serializer):
    procedure = serializers.SlugRelatedField(slug_field="code", queryset=Procedure.objects.filter(is_active=True))
    channel = serializers.ChoiceField(choices=["counter", "post"], default="counter")
    applicant = ApplicantSerializer()
    handling_agency = serializers.SlugRelatedField(
        slug_field="exchange_code", queryset=Agency.objects.filter(is_active=True), required=False, allow_null=True,
        default=None, help_text="Mã định danh điện tử của cơ quan giải quyết, ví dụ 000.00.03.H41 (tiếp nhận không phụ "
                                "thuộc địa giới hành chính); không gửi: cơ quan của người tiếp nhận. Mã hồ sơ vẫn là mã "
                                "của nơi tiếp nhận.",
        error_messages={"does_not_exist": _("Không có cơ quan đang hoạt động với mã định danh “{value}”."),
                        "invalid": _("Mã định danh cơ quan không hợp lệ.")})
    processing_days = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, max_value=365, required=False, allow_null=True, default=None,
        help_text="Thời hạn giải quyết (ngày làm việc) do Bộ phận Một cửa ghi: bắt buộc khi danh mục chưa nêu thời hạn "
                  "của thủ tục, không dùng khi đã nêu.")


class DossierEventSerializer(serializers.Serializer):
    action = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor.full_name", default="")
    note = serializers.CharField()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self.context.get("applicant"):  # an applicant reads no staff name and no working note (one_stop.events)
            from one_stop.events import applicant_note

            data["actor"], data["note"] = "", applicant_note(instance)
        return data


def reads_as_staff(serializer, obj) -> bool:
    """Whether the caller reads `obj` as the staff handling it (one_stop.selectors.dossier_read_as_staff): staff of
    another agency see a dossier only as its applicant (their own, filed as a citizen), and read it as one."""
    from one_stop.selectors import dossier_read_as_staff

    request = serializer.context.get("request")
    return dossier_read_as_staff(user=getattr(request, "user", None), dossier=obj)


def _history(serializer, obj) -> list:
    """The dossier's events for the caller: as recorded for agency staff; for anyone else (a citizen reading their own
    dossier) as the applicant reads them — no staff name, no working note, no failed signing attempt."""
    from one_stop.events import APPLICANT_HIDDEN_EVENTS

    events = obj.events.all()
    if reads_as_staff(serializer, obj):
        return DossierEventSerializer(events, many=True).data
    shown = [event for event in events if event.action not in APPLICANT_HIDDEN_EVENTS]
    return DossierEventSerializer(shown, many=True, context={"applicant": True}).data


class DossierStepSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()
    agency = serializers.CharField(source="agency.name")
    days = serializers.DecimalField(max_digits=5, decimal_places=1)
    due_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)


class DossierDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    requirement = serializers.CharField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class DossierSerializer(serializers.Serializer):
    code = serializers.CharField()
    procedure = serializers.CharField(source="procedure.code")
    procedure_name = serializers.CharField(source="procedure.name")
    procedure_version = serializers.IntegerField(source="procedure_version.number")
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    channel = serializers.CharField()
    receiving_agency = serializers.CharField(source="receiving_agency.name")
    handling_agency = serializers.CharField(source="handling_agency.name")
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    applicant = serializers.SerializerMethodField()
    fee_vnd = serializers.IntegerField(allow_null=True, help_text="Phí, lệ phí phải nộp (đồng), cố định khi tiếp nhận.")
    checklist = serializers.JSONField()
    steps = DossierStepSerializer(many=True)
    documents = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField(help_text="Lịch sử xử lý; người gọi không phải cán bộ (công dân xem hồ "
                                                          "sơ của mình) không thấy tên cán bộ và ghi chú nội bộ.")

    @extend_schema_field(DossierEventSerializer(many=True))
    def get_history(self, obj) -> list:
        return _history(self, obj)

    @extend_schema_field(DossierDocumentSerializer(many=True))
    def get_documents(self, obj) -> list:
        # A result file is the agency's until it is approved, and a copy waiting for a signature stays internal: the
        # applicant reads here what the portal shows them (one rule for both).
        from one_stop.selectors import documents_for_applicant, dossier_result_held_for_fee

        documents = obj.documents.all()
        if not reads_as_staff(self, obj):
            documents = documents_for_applicant(documents, state=obj.state,
                                                result_held=dossier_result_held_for_fee(dossier=obj))
        return DossierDocumentSerializer(documents, many=True).data

    def get_applicant(self, obj) -> dict:
        return {"kind": obj.applicant_kind, "full_name": obj.applicant_name, "id_number": obj.applicant_id_number,
                "phone": obj.applicant_phone,
                "address": obj.applicant_address, "email": obj.applicant_email}


class DossierListSerializer(serializers.Serializer):
    """A row of the dossier list: what a queue shows and the history, without the applicant's details."""

    code = serializers.CharField()
    procedure = serializers.CharField(source="procedure.code")
    procedure_name = serializers.CharField(source="procedure.name")
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    channel = serializers.CharField()
    receiving_agency = serializers.CharField(source="receiving_agency.name")
    handling_agency = serializers.CharField(source="handling_agency.name")
    applicant_name = serializers.CharField()
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    history = serializers.SerializerMethodField(help_text="Lịch sử xử lý; người gọi không phải cán bộ (công dân xem hồ "
                                                          "sơ của mình) không thấy tên cán bộ và ghi chú nội bộ.")

    @extend_schema_field(DossierEventSerializer(many=True))
    def get_history(self, obj) -> list:
        return _history(self, obj)


class DossierActionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    processing_days = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, max_value=365, required=False, allow_null=True, default=None,
        help_text="Với thao tác receive: thời hạn (ngày làm việc) khi danh mục chưa nêu thời hạn của thủ tục.")
    received = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=999), required=False, allow_null=True, default=None,
        max_length=1000,
        help_text="Với thao tác receive: số thứ tự (từ 0) các thành phần hồ sơ đã nhận đủ; không gửi thì là những thành "
                  "phần người nộp đã tải tệp lên.")


class PublicStepSerializer(serializers.Serializer):
    """A step as anyone may see it: the agency, never the staff member who handled it."""

    name = serializers.CharField()
    agency = serializers.CharField()
    started_at = serializers.DateTimeField(allow_null=True, help_text="Nhận lúc: thời điểm hồ sơ được giao cho bước "
                                           "(đến phút, giờ Việt Nam); null khi chưa đến bước này.")
    completed_at = serializers.DateTimeField(allow_null=True, help_text="Hoàn thành, chuyển tiếp lúc (đến phút); "
                                             "null khi bước chưa xong.")
    due_at = serializers.DateTimeField(allow_null=True, help_text="Hạn của bước (đến phút).")


class PublicLookupSerializer(serializers.Serializer):
    """The public view of a dossier (one_stop.selectors.PublicDossier): state, dates and steps, never the applicant."""

    code = serializers.CharField()
    procedure = serializers.CharField(source="procedure_name")
    procedure_code = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    receiving_agency = serializers.CharField()
    handling_agency = serializers.CharField()
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    steps = PublicStepSerializer(many=True)


def public_lookup_representation(dossier) -> dict:
    """What PublicLookupSerializer(dossier).data gives, written out (a test holds the two equal): the lookup
    API answers anyone who scans a receipt, and the serializer's per-call field copies cost more than the
    query behind it."""
    return {"code": dossier.code, "procedure": dossier.procedure_name, "procedure_code": dossier.procedure_code,
            "state": dossier.state, "state_label": dossier.state_label, "receiving_agency": dossier.receiving_agency,
            "handling_agency": dossier.handling_agency, "received_at": _iso(dossier.received_at),
            "due_at": _iso(dossier.due_at), "returned_at": _iso(dossier.returned_at),
            "steps": [{"name": step.name, "agency": step.agency, "started_at": _iso(step.started_at),
                       "completed_at": _iso(step.completed_at), "due_at": _iso(step.due_at)}
                      for step in dossier.steps]}


def _iso(value) -> str | None:
    """A time as DRF's DateTimeField writes it: in the current time zone, ISO 8601, "Z" for UTC."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class DossierForwardSerializer(serializers.Serializer):
    agency = serializers.CharField(help_text="Mã định danh điện tử của cơ quan nhận, ví dụ 000.00.03.H41.")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DossierPostponeSerializer(serializers.Serializer):
    new_due_at = serializers.DateTimeField(help_text="Ngày giờ hẹn trả mới (ISO 8601).")
    reason = serializers.CharField()


class RatingSerializer(serializers.Serializer):
    id_number = serializers.CharField(max_length=20, help_text="Số định danh / mã số thuế đã khai khi nộp hồ sơ.")
    level = serializers.ChoiceField(choices=["satisfied", "acceptable", "unsatisfied"])
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
