from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from docs_office.constants import PAGE_COUNT_MAX, AssignmentRole, Confidentiality, Urgency
from docs_office.models import (
    Delivery,
    DocumentType,
    IncomingAssignment,
    IncomingAttachment,
    IncomingDocument,
    IncomingOpinion,
    OutgoingAttachment,
    OutgoingDocument,
    OutgoingVersion,
)
from docs_office.services.dates import deadline_problem, document_date_problem


class EventSerializer(serializers.Serializer):
    action = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    actor = serializers.CharField(source="actor.full_name", default="", allow_null=True)
    at = serializers.DateTimeField()
    note = serializers.CharField()


class IncomingListSerializer(serializers.ModelSerializer):
    number_symbol = serializers.CharField(read_only=True)
    document_type = serializers.CharField(source="document_type.name", read_only=True)

    class Meta:
        model = IncomingDocument
        fields = ["id", "arrival_number", "arrival_year", "received_at", "number_symbol", "issuer_name", "issued_on",
                  "document_type", "summary", "urgency", "confidentiality", "deadline", "state"]


def incoming_list_items(rows) -> list[dict]:
    """IncomingListSerializer's output from plain rows (selectors.INCOMING_ROW_FIELDS), without a serializer
    and its fields per row: the same keys, in the same order, with the same date formats (the schema is
    still IncomingListSerializer's; tests/docs_office/test_bench_documents.py compares the two)."""
    moment, day = serializers.DateTimeField(), serializers.DateField()
    return [{"id": row["id"], "arrival_number": row["arrival_number"], "arrival_year": row["arrival_year"],
             "received_at": moment.to_representation(row["received_at"]),
             "number_symbol": "/".join(p for p in (row["number"], row["symbol"]) if p),
             "issuer_name": row["issuer_name"], "issued_on": day.to_representation(row["issued_on"]),
             "document_type": row["document_type__name"], "summary": row["summary"], "urgency": row["urgency"],
             "confidentiality": row["confidentiality"], "deadline": day.to_representation(row["deadline"]),
             "state": row["state"]}
            for row in rows]


class AssignmentSerializer(serializers.ModelSerializer):
    assignee = serializers.CharField(source="assignee_name", read_only=True)

    class Meta:
        model = IncomingAssignment
        fields = ["role", "user", "division", "assignee", "deadline", "instruction", "assigned_at"]


class OpinionSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.full_name")

    class Meta:
        model = IncomingOpinion
        fields = ["author", "text", "progress", "created_at"]


class OutgoingReferenceSerializer(serializers.ModelSerializer):
    """An outgoing document named from another one's detail (the answer of an incoming document)."""

    number_symbol = serializers.CharField(read_only=True)

    class Meta:
        model = OutgoingDocument
        fields = ["id", "number_symbol", "state", "issued_at"]


class IncomingReferenceSerializer(serializers.ModelSerializer):
    number_symbol = serializers.CharField(read_only=True)

    class Meta:
        model = IncomingDocument
        fields = ["id", "number_symbol", "issuer_name", "state"]


class AgencyReferenceSerializer(serializers.Serializer):
    """An agency of the system named in a document: its identifier code (DESIGN.md §4) and name."""

    code = serializers.CharField(source="exchange_code")
    name = serializers.CharField()


class IncomingAttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")
    url = serializers.SerializerMethodField()

    class Meta:
        model = IncomingAttachment
        fields = ["id", "name", "content_type", "size", "uploaded_at", "url"]

    def get_url(self, obj) -> str | None:
        # A recalled copy gives out no files (IncomingDetailSerializer.to_representation clears it).
        return reverse("api-incoming-document-attachment", args=[obj.document_id, obj.pk])


class OutgoingAttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")
    signed = serializers.SerializerMethodField(help_text="Đã có chữ ký số của cơ quan (sau khi phát hành).")
    url = serializers.SerializerMethodField()

    class Meta:
        model = OutgoingAttachment
        fields = ["id", "name", "size", "uploaded_at", "signed", "url"]

    def get_signed(self, obj) -> bool:
        return bool(obj.signed_file)

    def get_url(self, obj) -> str:
        return reverse("api-outgoing-document-attachment", args=[obj.document_id, obj.pk])


class AttachmentsInputSerializer(serializers.Serializer):
    attachments = serializers.ListField(child=serializers.FileField(), allow_empty=False,
                                        help_text="Một hoặc nhiều tệp (multipart, cùng tên trường).")


class RecallSerializer(serializers.Serializer):
    by = serializers.CharField(help_text="Cơ quan gửi đã thu hồi.")
    at = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField(help_text="Lý do thu hồi.")


class IncomingDetailSerializer(IncomingListSerializer):
    answered_by = serializers.SerializerMethodField(help_text="Văn bản đi trả lời, gắn khi kết thúc xử lý (khi người gọi "
                                                              "được xem văn bản đó).")
    answers = OutgoingReferenceSerializer(source="visible_answers", many=True, read_only=True,
                                          help_text="Các văn bản đi soạn để trả lời văn bản này (người gọi được xem).")
    attachments = IncomingAttachmentSerializer(many=True, read_only=True)
    assignments = AssignmentSerializer(many=True, read_only=True)
    opinions = OpinionSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)
    file_url = serializers.SerializerMethodField(help_text="Null khi không có tệp, hoặc khi nơi gửi đã thu hồi văn bản.")
    recall = serializers.SerializerMethodField(help_text="Nơi gửi đã thu hồi văn bản: ai (cơ quan), lúc nào, lý do; "
                                                         "tệp văn bản và tệp đính kèm không còn tải được (410). "
                                                         "Null khi chưa bị thu hồi.")
    issuer_agency = AgencyReferenceSerializer(read_only=True, allow_null=True,
                                              help_text="Cơ quan ban hành khi thuộc hệ thống (văn bản nhận liên thông).")
    register = serializers.CharField(source="register.name", read_only=True, allow_null=True, default=None,
                                     help_text="Sổ văn bản đến đã vào.")
    registered_by = serializers.CharField(source="registered_by.full_name", read_only=True, allow_null=True,
                                          default=None, help_text="Văn thư vào sổ.")
    in_reply_to = serializers.SerializerMethodField(help_text="Văn bản đi của cơ quan mà văn bản này trả lời.")
    signer_competence = serializers.CharField(read_only=True, help_text="Thẩm quyền ký (TM., KT., Q., TL., TUQ. …), "
                                                                        "như văn bản ghi; rỗng khi người ký ký tên mình.")
    place = serializers.CharField(read_only=True, help_text="Địa danh nơi ban hành (ví dụ: Lạng Sơn).")
    to_places = serializers.ListField(child=serializers.CharField(), read_only=True,
                                      help_text="Nơi nhận của văn bản, mỗi phần tử một dòng (edXML ToPlaces).")
    trace = serializers.ListField(child=serializers.CharField(), read_only=True,
                                  help_text="Vết chuyển văn bản: mỗi bước “mã định danh,thời điểm ISO 8601”.")

    class Meta(IncomingListSerializer.Meta):
        fields = [*IncomingListSerializer.Meta.fields, "number", "symbol", "issuer_agency", "signer_name",
                  "signer_position", "signer_competence", "place", "to_places", "trace", "page_count",
                  "register", "registered_by", "registered_at", "acknowledged_at", "external_id", "result",
                  "in_reply_to", "answered_by", "answers", "closed_at", "closing_reason", "file_url", "recall",
                  "attachments", "assignments", "opinions", "events"]

    @extend_schema_field(OutgoingReferenceSerializer(allow_null=True))
    def get_in_reply_to(self, obj):
        # Prefetched through the caller's visibility: a secret letter of ours stays unnamed to others.
        replied = getattr(obj, "visible_in_reply_to", None)
        return OutgoingReferenceSerializer(replied).data if replied is not None else None

    @extend_schema_field(OutgoingReferenceSerializer(allow_null=True))
    def get_answered_by(self, obj):
        # Likewise: the answer may be a secret document the closer reads and this caller does not.
        answer = getattr(obj, "visible_answered_by", None)
        return OutgoingReferenceSerializer(answer).data if answer is not None else None

    def get_file_url(self, obj) -> str | None:
        return reverse("api-incoming-document-file", args=[obj.pk]) if obj.file and obj.recall is None else None

    @extend_schema_field(RecallSerializer(allow_null=True))
    def get_recall(self, obj):
        recall = obj.recall
        return RecallSerializer(recall._asdict()).data if recall is not None else None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.recall is not None:  # the attachments stay listed, none downloadable
            for attachment in data["attachments"]:
                attachment["url"] = None
        return data


def document_type_field() -> serializers.SlugRelatedField:
    """A document type by its code, among the active ones; an unknown code is named as the catalogue's, not as DRF's
    "Không tồn tại đối tượng có code=…" (found by exploratory testing), in the lists' filter's words."""
    return serializers.SlugRelatedField(
        slug_field="code", queryset=DocumentType.objects.filter(is_active=True),
        error_messages={"does_not_exist": _("Loại văn bản không có trong danh mục."),
                        "invalid": _("Loại văn bản không có trong danh mục.")})


class IncomingCreateSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=20)
    symbol = serializers.CharField(max_length=60, allow_blank=True, default="")
    issuer_name = serializers.CharField(max_length=255)
    issued_on = serializers.DateField()
    document_type = document_type_field()
    summary = serializers.CharField()
    signer_name = serializers.CharField(max_length=150, allow_blank=True, default="")
    signer_position = serializers.CharField(max_length=150, allow_blank=True, default="", help_text="Chức vụ người ký.")
    place = serializers.CharField(max_length=100, allow_blank=True, default="",
                                  help_text="Địa danh nơi ban hành (ví dụ: Lạng Sơn).")
    page_count = serializers.IntegerField(
        min_value=1, max_value=PAGE_COUNT_MAX, required=False, allow_null=True,
        error_messages={"invalid": _("Số trang phải là số nguyên."),
                        "min_value": _("Số trang phải từ 1 trở lên."), "max_value": _("Số trang tối đa là {max_value}.")})
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    confidentiality = serializers.ChoiceField(choices=Confidentiality.choices, default=Confidentiality.NORMAL)
    deadline = serializers.DateField(required=False, allow_null=True)
    file = serializers.FileField(required=False, allow_null=True, help_text="Bản quét PDF, JPEG hoặc PNG.")
    attachments = serializers.ListField(child=serializers.FileField(), required=False, default=list,
                                        help_text="Phụ lục: PDF, JPEG, PNG hoặc DOCX, mỗi phụ lục một tệp.")
    readers = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                    help_text="Văn bản mật: mã người được xem (cùng cơ quan).")
    confirm_duplicate = serializers.BooleanField(default=False,
                                                 help_text="Vẫn vào sổ khi hệ thống cảnh báo văn bản trùng.")

    # The range of the dates: the registration page's rule (services.dates), so both refuse alike and at the field.
    def validate_issued_on(self, value):
        if problem := document_date_problem(value):
            raise serializers.ValidationError(problem)
        return value

    def validate_deadline(self, value):
        if problem := deadline_problem(value):
            raise serializers.ValidationError(problem)
        return value


class AssignmentInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=AssignmentRole.choices)
    user = serializers.IntegerField(required=False, allow_null=True)
    division = serializers.IntegerField(required=False, allow_null=True)
    deadline = serializers.DateField(required=False, allow_null=True)
    instruction = serializers.CharField(required=False, allow_blank=True, default="")


class IncomingActionSerializer(serializers.Serializer):
    """Fields by action: accept (confirm_duplicate), return (reason), assign (assignments), opinion (text,
    progress), close (result, answered_by)."""

    confirm_duplicate = serializers.BooleanField(default=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    assignments = AssignmentInputSerializer(many=True, required=False, default=list)
    text = serializers.CharField(required=False, allow_blank=True, default="")
    progress = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=100)
    result = serializers.CharField(required=False, allow_blank=True, default="")
    answered_by = serializers.IntegerField(required=False, allow_null=True)


class VersionSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.full_name")

    class Meta:
        model = OutgoingVersion
        # composition: what a composed version was composed from (null for an uploaded file), to edit it as composed.
        fields = ["number", "content_type", "uploaded_by", "note", "created_at", "composition"]


class DeliverySerializer(serializers.ModelSerializer):
    recipient = serializers.CharField(source="recipient_label")
    recipient_code = serializers.CharField(source="recipient_exchange_code")

    class Meta:
        model = Delivery
        fields = ["recipient", "recipient_code", "channel", "state", "sent_at", "updated_at", "reported_at", "reason"]


class OutgoingListSerializer(serializers.ModelSerializer):
    number_symbol = serializers.CharField(read_only=True)
    document_type = serializers.CharField(source="document_type.name", read_only=True)
    drafter = serializers.CharField(source="drafter.full_name", read_only=True)

    class Meta:
        model = OutgoingDocument
        fields = ["id", "number_symbol", "document_type", "summary", "urgency", "confidentiality", "state", "drafter",
                  "issued_at", "created_at"]


class OutgoingDetailSerializer(OutgoingListSerializer):
    answers = serializers.SerializerMethodField(help_text="Văn bản đến được trả lời (khi người gọi được xem văn bản đó).")
    attachments = OutgoingAttachmentSerializer(many=True, read_only=True)
    versions = VersionSerializer(many=True, read_only=True)
    deliveries = DeliverySerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)
    file_url = serializers.SerializerMethodField()
    division = serializers.CharField(source="division.name", read_only=True, allow_null=True, default=None,
                                     help_text="Đơn vị soạn thảo.")
    signer = serializers.CharField(source="signer.full_name", read_only=True, allow_null=True, default=None,
                                   help_text="Lãnh đạo ký (khi đã duyệt).")
    signer_position = serializers.CharField(source="signer.position_title", read_only=True, allow_null=True,
                                            default=None)
    register = serializers.CharField(source="register.name", read_only=True, allow_null=True, default=None,
                                     help_text="Sổ văn bản đi đã cấp số.")
    recipient_agencies = AgencyReferenceSerializer(many=True, read_only=True,
                                                   help_text="Nơi nhận trong hệ thống (liên thông).")
    replies = IncomingReferenceSerializer(source="visible_replies", many=True, read_only=True,
                                          help_text="Văn bản đến trả lời văn bản này (người gọi được xem).")

    class Meta(OutgoingListSerializer.Meta):
        fields = [*OutgoingListSerializer.Meta.fields, "number", "year", "symbol", "division", "signer",
                  "signer_position", "register", "page_count", "recipient_agencies", "recipients_text", "reply_due_on",
                  "recall_reason", "answers", "replies", "file_url", "attachments", "versions", "deliveries", "events"]

    @extend_schema_field(IncomingReferenceSerializer(allow_null=True))
    def get_answers(self, obj):
        # Prefetched through the caller's visibility: a secret incoming document stays unnamed to others.
        answered = getattr(obj, "visible_answers", None)
        return IncomingReferenceSerializer(answered).data if answered is not None else None

    def get_file_url(self, obj) -> str:
        return reverse("api-outgoing-document-file", args=[obj.pk])


class CompositionSerializer(serializers.Serializer):
    body = serializers.CharField(help_text="Nội dung; mỗi đoạn một dòng.")
    place = serializers.CharField(max_length=100, allow_blank=True, default="")
    signer_prefix = serializers.ChoiceField(choices=["", "TM.", "KT.", "Q.", "TL.", "TUQ."], default="")
    signer_title = serializers.CharField(max_length=100, allow_blank=True, default="",
                                         help_text="Chức vụ của người ký, ví dụ PHÓ GIÁM ĐỐC.")
    head_title = serializers.CharField(max_length=100, allow_blank=True, default="",
                                       help_text="Với KT., Q., TL., TUQ.: chức vụ người đứng đầu được ký thay, ví dụ "
                                                 "GIÁM ĐỐC (KT., Q.: mặc định là chức vụ người ký bỏ chữ PHÓ). Với TM., cấp phó "
                                                 "ký thì khối chữ ký thêm dòng KT. chức vụ này (mặc định như trên).")
    signer_name = serializers.CharField(max_length=150)
    recipients = serializers.ListField(child=serializers.CharField(), default=list,
                                       help_text="Nơi nhận khác, mỗi mục một dòng; các cơ quan trong recipient_agencies "
                                                 "và recipients_text được thêm vào.")


class OutgoingCreateSerializer(serializers.Serializer):
    document_type = document_type_field()
    summary = serializers.CharField()
    file = serializers.FileField(required=False, allow_null=True, help_text="Dự thảo DOCX hoặc PDF.")
    attachments = serializers.ListField(child=serializers.FileField(), required=False, default=list,
                                        help_text="Phụ lục PDF, mỗi phụ lục một tệp (multipart).")
    composition = CompositionSerializer(required=False, allow_null=True,
                                        help_text="Hoặc soạn trên hệ thống (JSON): trình bày theo Nghị định 30.")
    division = serializers.IntegerField(required=False, allow_null=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    confidentiality = serializers.ChoiceField(choices=Confidentiality.choices, default=Confidentiality.NORMAL)
    answers = serializers.IntegerField(required=False, allow_null=True, help_text="Mã văn bản đến được trả lời.")
    reply_due_on = serializers.DateField(required=False, allow_null=True,
                                         help_text="Hạn trả lời, xử lý đề nghị nơi nhận (hạn xử lý của văn bản đến ở nơi nhận).")
    recipient_agencies = serializers.ListField(child=serializers.CharField(), required=False, default=list,
                                               help_text="Mã định danh các cơ quan nhận trong hệ thống.")
    recipients_text = serializers.CharField(required=False, allow_blank=True, default="")
    readers = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                    help_text="Văn bản mật: mã người được xem, duyệt, ký và phát hành.")


class OutgoingActionSerializer(serializers.Serializer):
    """Fields by action: submit, head_approve, leader_approve, return (note); version (file or composition, note);
    sign and issue (nothing: the signer's own or the agency's certificate); recall (reason); send_more (agencies);
    change_signer (reason: the approving leader can no longer sign, the document goes back to the leaders)."""

    note = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, allow_null=True)
    composition = CompositionSerializer(required=False, allow_null=True,
                                        help_text="version: nội dung soạn lại trên hệ thống (JSON), thay cho tệp: một "
                                                  "phiên bản mới trình bày theo Nghị định 30; nơi nhận của văn bản "
                                                  "được giữ và thêm các mục liệt kê.")
    agencies = serializers.ListField(child=serializers.CharField(max_length=20), required=False, default=list,
                                     help_text="send_more: mã định danh (000.00.00.H41) của các cơ quan trong hệ thống "
                                               "nhận bổ sung văn bản đã phát hành.")


class EdxmlExportSerializer(serializers.Serializer):
    # Checked by the service, so the page and the API refuse alike (fields.recipient_code / recipient_name).
    recipient_code = serializers.CharField(required=False, allow_blank=True, default="",
                                           help_text="Mã định danh của cơ quan nhận ngoài hệ thống (000.00.00.H41).")
    recipient_name = serializers.CharField(required=False, allow_blank=True, default="",
                                           help_text="Tên cơ quan nhận.")


class EdxmlImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Gói edXML (XML, UTF-8).")


class EdxmlStatusImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Thông điệp trạng thái edXML (XML, UTF-8) của cơ quan ngoài hệ thống.")
