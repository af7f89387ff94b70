import functools

from django.db.models import Prefetch
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from docs_office.actions import OUTGOING_ACTIONS
from docs_office.api.serializers import (
    AttachmentsInputSerializer,
    EdxmlExportSerializer,
    EdxmlImportSerializer,
    EdxmlStatusImportSerializer,
    IncomingActionSerializer,
    IncomingCreateSerializer,
    IncomingDetailSerializer,
    IncomingListSerializer,
    OutgoingActionSerializer,
    OutgoingCreateSerializer,
    OutgoingDetailSerializer,
    OutgoingListSerializer,
)
from docs_office.constants import IncomingState, OutgoingState
from docs_office.services.attachments import INCOMING_ATTACHMENT_TYPES
from docs_office.services.incoming import SCAN_TYPES
from docs_office.services.outgoing import DRAFT_TYPES
from egov.core.api import file_responses
from egov.core.errors import ApplicationError
from egov.core.text import parse_int
from egov.core.uploads import PDF

SEARCH_PARAMETERS = [
    OpenApiParameter("q", str, description="Số, ký hiệu, trích yếu, cơ quan ban hành; không phân biệt dấu (tối đa 200 ký tự)."),
    OpenApiParameter("type", str, description="Mã loại văn bản (quyet-dinh, cong-van, …)."),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Ngày văn bản từ (YYYY-MM-DD)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Ngày văn bản đến (YYYY-MM-DD)."),
]


def _attachment_id(value) -> int:
    """An attachment's id from the path: "abc" or "²" is no such attachment (404), not an int() error."""
    wanted = parse_int(str(value))
    if wanted is None:
        raise ApplicationError("not_found", _("Không tìm thấy tệp đính kèm."), status=404)
    return wanted


# An attachment's id in its document's path (the schema cannot read it off the document's model).
ATTACHMENT_ID = OpenApiParameter("attachment_id", int, OpenApiParameter.PATH, description="Mã tệp đính kèm.")

class ReceivedCursor(CursorPagination):
    ordering = ("-received_at", "-id")
    page_size = 50


class CreatedCursor(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 50


@functools.lru_cache(maxsize=256)
def _first_page_items(zone: str, rows: tuple) -> list[dict]:
    """The list items of rows of INCOMING_ROW_FIELDS' values (read from the database for this request), built once
    per distinct rows and time zone in this worker: their dates formatted by the serializer's fields cost more
    than the rest of the call. Keyed by every value they show, so never stale; read only, never changed."""
    from docs_office.api.serializers import incoming_list_items
    from docs_office.selectors import INCOMING_ROW_FIELDS

    return incoming_list_items(dict(zip(INCOMING_ROW_FIELDS, row, strict=True)) for row in rows)


class _InCursorOrder(list):
    """Rows already in ReceivedCursor's order (received_at, id, newest first), as its first page takes a queryset."""

    def order_by(self, *fields):
        return self


RECALLED_RESPONSE = OpenApiResponse(description="Nơi gửi đã thu hồi văn bản: tệp không còn được cung cấp (mã `recalled`).")


def _file_response(field, stem: str, allowed):
    """The stored file under a clean name, as the type its content is (never the one its stored name suggests)."""
    from egov.core.uploads import stored_file_response

    if not field:
        raise ApplicationError("no_file", _("Văn bản này không có tệp trên hệ thống."), status=404)
    return stored_file_response(field, stem=stem, allowed=allowed)


def _composition(data: dict, *, agencies):
    """The draft to compose, its Nơi nhận merged as the page merges them: the agencies of the system, the other
    recipients typed, and those the composition lists."""
    from docs_office.pdf.compose import Composition
    from docs_office.recipients import composition_recipients

    if not data.get("composition"):
        return None
    fields = dict(data["composition"])
    fields["recipients"] = composition_recipients(agencies=agencies, text=data["recipients_text"],
                                                  listed=fields["recipients"])
    return Composition(**fields)


class _DocumentViewSet(viewsets.GenericViewSet):
    """What the incoming and outgoing viewsets share: one document of those the caller may see, with the relations
    its detail shows (`visible_to` and `detail_prefetches`), read again after an action of the flow
    (`run_action`, given the validated `action_serializer`)."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filter_backends = []
    action_serializer = None  # the body of POST …/{id}/actions/{action}/
    states: tuple[str, ...] = ()  # the values of the lists' `state` filter

    def visible_to(self, user):
        raise NotImplementedError

    def list_filters(self):
        """The state, type and date filters of the request; a wrong value is refused (400) with what is wrong (an
        unknown state listed nothing, with 200, where an unknown type was refused: found by exploratory testing)."""
        from docs_office.filters import list_filters_parse

        filters, errors = list_filters_parse(self.request.query_params)
        state = self.request.query_params.get("state", "")
        if state and state not in self.states:
            errors["state"] = [_("Trạng thái không hợp lệ.")]
        if errors:
            raise ApplicationError("invalid_filter", _("Bộ lọc không hợp lệ."), fields=errors)
        return filters

    def search_query(self) -> str:
        """The `q` of the request, refused when longer than the search box allows (the pages cut it there)."""
        from docs_office.selectors import SEARCH_MAX_LENGTH

        query = self.request.query_params.get("q", "")
        if len(query) > SEARCH_MAX_LENGTH:
            raise ApplicationError("search_too_long", _("Từ khóa tìm kiếm quá dài."), fields={"q": [
                _("Tối đa %(max)s ký tự.") % {"max": SEARCH_MAX_LENGTH}]})
        return query

    def detail_prefetches(self) -> list[Prefetch]:
        raise NotImplementedError

    def detail_related(self) -> tuple[str, ...]:
        """The detail's single-valued relations, read with the document."""
        raise NotImplementedError

    def run_action(self, *, document, action: str, data: dict) -> None:
        raise NotImplementedError

    def _detail(self, pk):
        if parse_int(str(pk)) is None:  # "abc" or "²" in the URL: no such document, not an int() error
            raise ApplicationError("not_found", _("Không tìm thấy văn bản."), status=404)
        document = (self.visible_to(self.request.user).select_related(*self.detail_related())
                    .prefetch_related(*self.detail_prefetches()).filter(pk=pk).first())
        if document is None:
            raise ApplicationError("not_found", _("Không tìm thấy văn bản."), status=404)
        return document

    def retrieve(self, request, pk=None):
        return Response(self.serializer_class(self._detail(pk)).data)

    def _attachment(self, pk, attachment_id):
        document = self._detail(pk)
        wanted = parse_int(str(attachment_id))
        attachment = next((a for a in document.attachments.all() if a.pk == wanted), None)
        if attachment is None:
            raise ApplicationError("not_found", _("Không tìm thấy tệp đính kèm."), status=404)
        return document, attachment

    def _attachments_input(self, request) -> list:
        incoming = AttachmentsInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        return incoming.validated_data["attachments"]

    @action(detail=True, methods=["post"], url_path=r"actions/(?P<action_name>[a-z_]+)")
    def act(self, request, pk=None, action_name=None):
        incoming = self.action_serializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        self.run_action(document=self._detail(pk), action=action_name, data=incoming.validated_data)
        return Response(self.serializer_class(self._detail(pk)).data)


@extend_schema(tags=["eOffice — văn bản đến"])
@extend_schema_view(
    retrieve=extend_schema(responses=IncomingDetailSerializer),
    act=extend_schema(request=IncomingActionSerializer, responses=IncomingDetailSerializer,
                      parameters=[OpenApiParameter("action_name", str, OpenApiParameter.PATH,
                                                   enum=["accept", "return", "assign", "opinion", "close"])]),
)
class IncomingDocumentViewSet(_DocumentViewSet):
    """Văn bản đến of the caller's agency: staff see only their agency's, secret ones only named readers."""

    pagination_class = ReceivedCursor
    # What OPTIONS describes and the detail's shape.
    serializer_class = IncomingDetailSerializer
    action_serializer = IncomingActionSerializer
    states = tuple(IncomingState.values)

    def get_queryset(self):
        from docs_office.selectors import incoming_search

        params = self.request.query_params
        filters = self.list_filters()
        return incoming_search(user=self.request.user, query=self.search_query(), state=params.get("state", ""),
                               document_type=filters.document_type, date_from=filters.date_from,
                               date_to=filters.date_to, ranked=False)  # the cursor orders by date: ranking would be wasted work

    def visible_to(self, user):
        from docs_office.selectors import incoming_visible_to

        return incoming_visible_to(user=user)

    def detail_related(self) -> tuple[str, ...]:
        return ("issuer_agency", "register", "registered_by", "source_delivery")

    def detail_prefetches(self) -> list[Prefetch]:
        from docs_office.models import IncomingEvent, IncomingOpinion
        from docs_office.selectors import assignments_in_role_order, outgoing_visible_to

        return [Prefetch("answered_by", queryset=outgoing_visible_to(user=self.request.user), to_attr="visible_answered_by"),
                Prefetch("in_reply_to", queryset=outgoing_visible_to(user=self.request.user),
                         to_attr="visible_in_reply_to"),
                Prefetch("answers", queryset=outgoing_visible_to(user=self.request.user).order_by("created_at", "id"),
                         to_attr="visible_answers"),
                Prefetch("assignments", queryset=assignments_in_role_order()),
                Prefetch("opinions", queryset=IncomingOpinion.objects.select_related("author")),
                Prefetch("events", queryset=IncomingEvent.objects.select_related("actor")), "attachments"]

    def run_action(self, *, document, action: str, data: dict) -> None:
        from docs_office.actions import incoming_action_run

        incoming_action_run(user=self.request.user, document=document, action=action, data=data)

    @extend_schema(parameters=[*SEARCH_PARAMETERS, OpenApiParameter("state", str, enum=IncomingState.values)],
                   responses=IncomingListSerializer(many=True))
    def list(self, request):
        from docs_office.api.serializers import incoming_list_items
        from docs_office.selectors import INCOMING_ROW_FIELDS, incoming_newest, incoming_search_rows, reads_whole_agency

        params = request.query_params
        query, state, filters = self.search_query(), params.get("state", ""), self.list_filters()
        if params.get(self.paginator.cursor_query_param):
            page = self.paginate_queryset(self.get_queryset().values(*INCOMING_ROW_FIELDS))
        else:  # the first page, newest first (the cursor's order)
            # The first page in one statement: the plain list kept until the agency's documents change, a search
            # through its shape's statement (selectors), newest first as the cursor orders.
            if not query.strip() and not filters and reads_whole_agency(request.user):
                _registers, rows = incoming_newest(user=request.user, state=state, limit=self.paginator.page_size + 1)
            else:
                _registers, rows = incoming_search_rows(user=request.user, query=query, state=state, filters=filters,
                                                        limit=self.paginator.page_size + 1, ranked=False)
            page = self.paginate_queryset(_InCursorOrder(dict(zip(INCOMING_ROW_FIELDS, row, strict=True)) for row in rows))
            return self.get_paginated_response(_first_page_items(timezone.get_current_timezone_name(), rows[:len(page)]))
        return self.get_paginated_response(incoming_list_items(page))

    @extend_schema(request={"multipart/form-data": IncomingCreateSerializer},
                   responses={201: IncomingDetailSerializer,
                              409: OpenApiResponse(description="Có thể trùng văn bản đã vào sổ (duplicate).")})
    def create(self, request):
        from docs_office.actions import _colleague
        from docs_office.services.incoming import IncomingData, incoming_register_scan

        incoming = IncomingCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        upload, confirm = data.pop("file", None), data.pop("confirm_duplicate")
        attachments = data.pop("attachments")
        readers = [_colleague(request.user, pk, field="readers") for pk in data.pop("readers")]
        document = incoming_register_scan(clerk=request.user, data=IncomingData(**data), upload=upload,
                                          readers=readers, confirm_duplicate=confirm, attachments=attachments)
        return Response(IncomingDetailSerializer(self._detail(document.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={**file_responses(SCAN_TYPES), 410: RECALLED_RESPONSE})
    @action(detail=True, methods=["get"], url_path="file", url_name="file")
    def file(self, request, pk=None):
        from docs_office.services.incoming import incoming_files_check

        document = self._detail(pk)
        if document.file:
            incoming_files_check(document=document)  # a recalled copy: 410
        return _file_response(document.file, f"van-ban-den-{document.pk}", SCAN_TYPES)

    @extend_schema(responses={**file_responses(INCOMING_ATTACHMENT_TYPES), 410: RECALLED_RESPONSE},
                   parameters=[ATTACHMENT_ID])
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>[^/.]+)", url_name="attachment")
    def attachment(self, request, pk=None, attachment_id=None):
        """One attachment, to whoever may read the document (a secret document keeps none); a recalled copy: 410."""
        from docs_office.services.incoming import incoming_files_check

        document, attachment = self._attachment(pk, attachment_id)
        incoming_files_check(document=document)
        return _file_response(attachment.file, f"van-ban-den-{document.pk}-phu-luc-{attachment.pk}",
                              INCOMING_ATTACHMENT_TYPES)

    @extend_schema(parameters=[ATTACHMENT_ID], request=None,
                   responses={204: None, 409: OpenApiResponse(description="Văn bản đã phân công xử lý, hoặc tệp do nơi gửi "
                                                                          "chuyển đến: không gỡ được.")})
    @attachment.mapping.delete
    def remove_attachment(self, request, pk=None, attachment_id=None):
        """The records clerk removes a file added by mistake, before the document is assigned (recorded)."""
        from docs_office.services.attachments import incoming_attachment_remove

        incoming_attachment_remove(clerk=request.user, document=self._detail(pk),
                                   attachment_id=_attachment_id(attachment_id))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request={"multipart/form-data": AttachmentsInputSerializer}, responses={201: IncomingDetailSerializer})
    @action(detail=True, methods=["post"], url_path="attachments", url_name="attachments")
    def add_attachments(self, request, pk=None):
        """The records clerk adds attachments while the document is open."""
        from docs_office.services.attachments import incoming_attachment_add

        uploads = self._attachments_input(request)
        incoming_attachment_add(clerk=request.user, document=self._detail(pk), uploads=uploads)
        return Response(IncomingDetailSerializer(self._detail(pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": EdxmlImportSerializer},
                   responses={201: IncomingDetailSerializer,
                              400: OpenApiResponse(description="Gói edXML không hợp lệ: từng lý do trong fields.file.")})
    @action(detail=False, methods=["post"], url_path="import-edxml", url_name="import-edxml")
    def import_edxml(self, request):
        """A package from an agency outside the system: checked, then waiting for registration."""
        from docs_office.services.edxml import incoming_import_edxml

        incoming = EdxmlImportSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        document = incoming_import_edxml(clerk=request.user, data=incoming.validated_data["file"].read())
        return Response(IncomingDetailSerializer(self._detail(document.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/xml"): OpenApiTypes.BINARY,
                              409: OpenApiResponse(description="Văn bản chưa từng ở trạng thái của mã này.")},
                   parameters=[OpenApiParameter("code", str, enum=["01", "02", "03", "04", "05", "06", "13"],
                                                description="Mã trạng thái đã qua (01 đã đến, 03 đã tiếp nhận …); "
                                                            "không ghi: trạng thái hiện tại.")])
    @action(detail=True, methods=["get"], url_path="edxml-status", url_name="edxml-status")
    def edxml_status(self, request, pk=None):
        """For a document received by edXML (records clerk): the status message of its current state, or of a
        state it has been in (`code`: "01" is ready from the import, "03" from the registration), to send back to
        the agency that sent the package."""
        from django.http import HttpResponse

        from docs_office.services.edxml import INCOMING_STATUS_CODES, incoming_status_message

        document = self._detail(pk)
        code = request.query_params.get("code") or None
        response = HttpResponse(incoming_status_message(user=request.user, document=document, code=code),
                                content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = (f'attachment; filename="trang-thai-edxml-{document.pk}-'
                                           f'{code or INCOMING_STATUS_CODES[document.state]}.xml"')
        return response


@extend_schema(tags=["eOffice — văn bản đi"])
@extend_schema_view(
    retrieve=extend_schema(responses=OutgoingDetailSerializer),
    act=extend_schema(request={"application/json": OutgoingActionSerializer, "multipart/form-data": OutgoingActionSerializer},
                      responses=OutgoingDetailSerializer,
                      parameters=[OpenApiParameter("action_name", str, OpenApiParameter.PATH,
                                                   enum=list(OUTGOING_ACTIONS))]),
)
class OutgoingDocumentViewSet(_DocumentViewSet):
    """Văn bản đi: draft, review, signature, issue, recall, sending to further agencies; scoped like the pages."""

    pagination_class = CreatedCursor
    # What OPTIONS describes and the detail's shape.
    serializer_class = OutgoingDetailSerializer
    action_serializer = OutgoingActionSerializer
    states = tuple(OutgoingState.values)

    def get_queryset(self):
        from docs_office.selectors import outgoing_search

        params = self.request.query_params
        return outgoing_search(user=self.request.user, query=self.search_query(), state=params.get("state", ""),
                               filters=self.list_filters(), ranked=False)  # the cursor orders by date: no ranking

    def visible_to(self, user):
        from docs_office.selectors import outgoing_visible_to

        return outgoing_visible_to(user=user)

    def detail_related(self) -> tuple[str, ...]:
        return ("signer", "register")

    def detail_prefetches(self) -> list[Prefetch]:
        from docs_office.models import Delivery, OutgoingEvent, OutgoingVersion
        from docs_office.selectors import incoming_visible_to

        return [Prefetch("answers", queryset=incoming_visible_to(user=self.request.user), to_attr="visible_answers"),
                "recipient_agencies",
                Prefetch("replies", queryset=incoming_visible_to(user=self.request.user).order_by("received_at", "id"),
                         to_attr="visible_replies"),
                Prefetch("versions", queryset=OutgoingVersion.objects.select_related("uploaded_by")),
                Prefetch("deliveries", queryset=Delivery.objects.select_related("recipient")),
                Prefetch("events", queryset=OutgoingEvent.objects.select_related("actor")), "attachments"]

    def run_action(self, *, document, action: str, data: dict) -> None:
        from docs_office.actions import outgoing_action_run

        outgoing_action_run(user=self.request.user, document=document, action=action, data=data)

    @extend_schema(parameters=[*SEARCH_PARAMETERS, OpenApiParameter("state", str, enum=OutgoingState.values)],
                   responses=OutgoingListSerializer(many=True))
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(OutgoingListSerializer(page, many=True).data)

    @extend_schema(request={"multipart/form-data": OutgoingCreateSerializer, "application/json": OutgoingCreateSerializer},
                   responses={201: OutgoingDetailSerializer})
    def create(self, request):
        from docs_office.actions import _colleague, _division
        from docs_office.models import IncomingDocument
        from docs_office.services.outgoing import outgoing_create
        from egov.agencies.models import Agency

        incoming = OutgoingCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        codes = set(data["recipient_agencies"])
        recipients = list(Agency.objects.filter(exchange_code__in=codes, is_active=True))
        if len(recipients) != len(codes):
            raise ApplicationError("invalid_agency", _("Có mã định danh cơ quan nhận không tồn tại."),
                                   fields={"recipient_agencies": [_("Không tồn tại.")]})
        answers = None
        if data.get("answers"):
            answers = IncomingDocument.objects.filter(pk=data["answers"], agency_id=request.user.agency_id).first()
            if answers is None:
                raise ApplicationError("invalid_answer", _("Không có văn bản đến này."),
                                       fields={"answers": [_("Không hợp lệ.")]})
        readers = [_colleague(request.user, pk, field="readers") for pk in data["readers"]]
        document = outgoing_create(
            drafter=request.user, document_type=data["document_type"], summary=data["summary"], upload=data.get("file"),
            composition=_composition(data, agencies=recipients),
            division=_division(request.user, data.get("division"), field="division"), urgency=data["urgency"],
            confidentiality=data["confidentiality"], answers=answers, recipient_agencies=recipients,
            recipients_text=data["recipients_text"], readers=readers, reply_due_on=data.get("reply_due_on"),
            attachments=data.get("attachments", []))
        return Response(OutgoingDetailSerializer(self._detail(document.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"application/json": EdxmlExportSerializer, "multipart/form-data": EdxmlExportSerializer},
                   responses={(200, "application/xml"): OpenApiTypes.BINARY,
                              400: OpenApiResponse(description="Nơi nhận chưa hợp lệ: lý do trong fields.")})
    @action(detail=True, methods=["post"], url_path="edxml", url_name="edxml")
    def edxml(self, request, pk=None):
        """The records clerk sends the issued document to one agency outside the system: its delivery is recorded
        as sent, and the edXML package is the answer."""
        from django.http import HttpResponse

        from docs_office.services.edxml import outgoing_edxml_export

        document = self._detail(pk)
        incoming = EdxmlExportSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        response = HttpResponse(outgoing_edxml_export(user=request.user, document=document, **incoming.validated_data),
                                content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="edxml-{document.year}-{document.number:02d}.xml"'
        return response

    @extend_schema(request={"multipart/form-data": EdxmlStatusImportSerializer},
                   responses={200: OutgoingDetailSerializer,
                              400: OpenApiResponse(description="Thông điệp không hợp lệ: từng lý do trong fields.file."),
                              409: OpenApiResponse(description="Thông điệp trùng hoặc cũ hơn trạng thái đã ghi nhận.")})
    @action(detail=False, methods=["post"], url_path="import-status", url_name="import-status")
    def import_status(self, request):
        """A status message from an agency outside the system about a document sent to it by edXML (records
        clerk): checked, then recorded as that recipient's delivery state."""
        from docs_office.services.edxml import delivery_status_record

        incoming = EdxmlStatusImportSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        delivery = delivery_status_record(clerk=request.user, data=incoming.validated_data["file"].read())
        return Response(OutgoingDetailSerializer(self._detail(delivery.document_id)).data)

    @extend_schema(responses=file_responses((PDF,)), parameters=[ATTACHMENT_ID])
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>[^/.]+)", url_name="attachment")
    def attachment(self, request, pk=None, attachment_id=None):
        """An appendix PDF: signed by the agency once the document is issued, as added before."""
        document, attachment = self._attachment(pk, attachment_id)
        return _file_response(attachment.signed_file or attachment.file,
                              f"van-ban-di-{document.pk}-phu-luc-{attachment.pk}", (PDF,))

    @extend_schema(parameters=[ATTACHMENT_ID], request=None,
                   responses={204: None, 409: OpenApiResponse(description="Văn bản đã trình ký hoặc đã phát hành: "
                                                                          "không gỡ được phụ lục.")})
    @attachment.mapping.delete
    def remove_attachment(self, request, pk=None, attachment_id=None):
        """The drafter (or the reviewer holding the draft) removes an appendix, never once issued (recorded)."""
        from docs_office.services.attachments import outgoing_attachment_remove

        outgoing_attachment_remove(user=request.user, document=self._detail(pk),
                                   attachment_id=_attachment_id(attachment_id))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request={"multipart/form-data": AttachmentsInputSerializer}, responses={201: OutgoingDetailSerializer})
    @action(detail=True, methods=["post"], url_path="attachments", url_name="attachments")
    def add_attachments(self, request, pk=None):
        """The drafter (or the reviewer holding the draft) adds appendix PDFs before the leader signs."""
        from docs_office.services.attachments import outgoing_attachment_add

        uploads = self._attachments_input(request)
        outgoing_attachment_add(user=request.user, document=self._detail(pk), uploads=uploads)
        return Response(OutgoingDetailSerializer(self._detail(pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=file_responses(DRAFT_TYPES))  # the signed PDF, or the draft (PDF or DOCX)
    @action(detail=True, methods=["get"], url_path="file", url_name="file")
    def file(self, request, pk=None):
        """The signed PDF once issued; signed by the leader and waiting for its number, the PDF the leader signed;
        before that, the current draft version."""
        from docs_office.services.outgoing import outgoing_current_version, outgoing_leader_signed_pdf
        from docs_office.services.registers import number_symbol_file_stem

        document = self._detail(pk)
        if document.signed_file:
            return _file_response(document.signed_file,
                                  number_symbol_file_stem(number=document.number, symbol=document.symbol), (PDF,))
        if (leader_signed := outgoing_leader_signed_pdf(document)) is not None:
            return _file_response(leader_signed, f"van-ban-di-{document.pk}-lanh-dao-da-ky", (PDF,))
        version = outgoing_current_version(document)
        if version is None:
            raise ApplicationError("no_file", _("Văn bản này chưa có tệp."), status=404)
        extension = "pdf" if version.content_type == "application/pdf" else "docx"
        response = FileResponse(version.file.open("rb"), content_type=version.content_type,
                                filename=f"du-thao-{document.pk}-v{version.number}.{extension}")
        return response
