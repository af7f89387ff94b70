from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import (
    action,
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from egov.core.throttling import FixedWindowAnonThrottle
from one_stop.api.serializers import (
    DossierActionSerializer,
    DossierCreateSerializer,
    DossierForwardSerializer,
    DossierListSerializer,
    DossierPostponeSerializer,
    DossierSerializer,
    ProcedureDetailSerializer,
    ProcedureListSerializer,
    PublicLookupSerializer,
    RatingSerializer,
    public_lookup_representation,
)
from one_stop.constants import OnlineLevel
from one_stop.selectors import DUE_FILTERS, STATE_GROUPS, procedures_search


class CataloguePagination(PageNumberPagination):
    # The catalogue is ranked by relevance and barely grows (about 2,000 procedures in a province):
    # numbered pages suit it better than a cursor.
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


@extend_schema(parameters=[
    OpenApiParameter("search", str, description="Từ khóa; không phân biệt dấu và chữ hoa (cap giay phep xay dung)."),
    OpenApiParameter("field", str, description="Lĩnh vực, ví dụ Hộ tịch."),
    OpenApiParameter("online_level", str, enum=OnlineLevel.values),
    OpenApiParameter("level", str, enum=["commune", "province", "district", "central"]),
])
class ProcedureViewSet(viewsets.ReadOnlyModelViewSet):
    """The public procedure catalogue (công khai thủ tục hành chính)."""

    permission_classes = [AllowAny]
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    pagination_class = CataloguePagination
    filter_backends = []

    def get_queryset(self):
        params = self.request.query_params
        return procedures_search(query=params.get("search", ""), field=params.get("field", ""),
                                 online_level=params.get("online_level", ""), level=params.get("level", ""))

    def get_serializer_class(self):
        return ProcedureDetailSerializer if self.action == "retrieve" else ProcedureListSerializer


LIST_FIELDS = ("code", "state", "channel", "applicant_name", "received_at", "due_at", "created_at", "procedure__code",
               "procedure__name", "receiving_agency__name", "handling_agency__name")


# The dossier list's filters: the queue's tabs (one_stop.views' Vietnamese slugs) under English names, as the API's
# other parameters. Unlike the queue's links, an unknown value is refused: a client's typo must not list everything.
LIST_GROUPS = tuple(STATE_GROUPS)
LIST_DUES = DUE_FILTERS
LIST_MINE = {"true": True, "1": True, "false": False, "0": False}


def _list_filters(params):
    """The queue's filters the list's `group`, `due` and `mine` ask for (None: none); an unknown value is a 400 naming
    the parameter and the values it takes, in Vietnamese."""
    from django.utils.translation import gettext as _

    from egov.core.errors import ApplicationError
    from one_stop.selectors import QueueFilters

    group, due, mine = (params.get(name, "").strip() for name in ("group", "due", "mine"))
    errors = {}
    if group and group not in LIST_GROUPS:
        errors["group"] = [_("Nhóm trạng thái không hợp lệ: chọn một trong %(values)s.") % {"values": ", ".join(LIST_GROUPS)}]
    if due and due not in LIST_DUES:
        errors["due"] = [_("Thời hạn không hợp lệ: chọn một trong %(values)s.") % {"values": ", ".join(LIST_DUES)}]
    if mine and mine.lower() not in LIST_MINE:
        errors["mine"] = [_("Giá trị không hợp lệ: dùng true hoặc false.")]
    if errors:
        raise ApplicationError("invalid_filter", next(iter(errors.values()))[0] if len(errors) == 1 else
                               _("Bộ lọc không hợp lệ: xem lỗi ở từng tham số."), fields=errors)
    filters = QueueFilters(group=group, due=due, mine=LIST_MINE.get(mine.lower(), False))
    return filters if (filters.group or filters.due or filters.mine) else None


class DossierPagination(CursorPagination):
    # Newest first through the created_at index (0090_bench_indexes): one query per page at any size.
    ordering = ("-created_at", "-id")
    page_size = 50


class DossierViewSet(viewsets.GenericViewSet):
    """Dossiers at the one-stop desk: receipt at the counter, reading, and the lifecycle's actions."""

    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    pagination_class = DossierPagination
    # The representation the OPTIONS answer describes (every action names its own serializers for the schema).
    serializer_class = DossierSerializer
    filter_backends = []

    @extend_schema(parameters=[
        OpenApiParameter(
            "q", str, description="Mã hồ sơ (hoặc phần sau mã cơ quan), số định danh hoặc tên người nộp, không cần dấu."),
        OpenApiParameter(
            "group", str, enum=list(LIST_GROUPS),
            description="Nhóm trạng thái, như các thẻ của danh sách hồ sơ cần xử lý: submitted — chờ tiếp nhận (nộp trực "
                        "tuyến); in_progress — đã tiếp nhận, đang xử lý; resolved — chờ trả kết quả; supplement — chờ bổ "
                        "sung."),
        OpenApiParameter(
            "due", str, enum=list(LIST_DUES),
            description="Thời hạn: overdue — quá hạn; due_soon — sắp đến hạn (đến hết ngày làm việc thứ hai sau hôm nay); "
                        "at_risk — sắp quá hạn cần xin lỗi, hẹn lại (mẫu 04), chỉ hồ sơ cơ quan mình giải quyết."),
        OpenApiParameter(
            "mine", str, enum=list(LIST_MINE),
            description="true (hoặc 1): chỉ “việc của tôi” — hồ sơ có bước hiện tại thuộc cơ quan và vai trò của người "
                        "gọi; với cán bộ một cửa, cả hồ sơ nộp trực tuyến và hồ sơ bổ sung gửi lại Bộ phận Một cửa."),
    ], responses=DossierListSerializer(many=True))
    def list(self, request):
        """The dossiers the caller may see, newest first; `q` searches as the staff queue does, and `group`, `due` and
        `mine` narrow the list as the queue's tabs do (with the same rules: selectors.queue_filters_q)."""
        from django.db.models import Prefetch

        from one_stop.models import DossierEvent
        from one_stop.selectors import dossiers_search, dossiers_visible_to

        # Only the listed columns: a procedure's raw catalogue page is kilobytes of JSON per row. The page's
        # histories come in one more query.
        dossiers = dossiers_visible_to(user=request.user).select_related(None).select_related(
            "procedure", "receiving_agency", "handling_agency").only(*LIST_FIELDS).prefetch_related(
            Prefetch("events", queryset=DossierEvent.objects.select_related("actor").only(
                "dossier_id", "action", "from_state", "to_state", "at", "note", "actor__full_name")))
        search = request.query_params.get("q", "").strip()
        if search:
            dossiers = dossiers_search(dossiers, search=search)
        filters = _list_filters(request.query_params)
        if filters is not None:
            from one_stop.selectors import due_horizons, queue_filters_q

            dossiers = dossiers.filter(queue_filters_q(filters, user=request.user,
                                                       horizons=due_horizons(user=request.user)))
        page = self.paginate_queryset(dossiers)
        return self.get_paginated_response(DossierListSerializer(page, many=True, context={"request": request}).data)

    def get_queryset(self):
        from django.db.models import Prefetch

        from one_stop.models import DossierEvent, DossierStep
        from one_stop.selectors import dossiers_visible_to

        return dossiers_visible_to(user=self.request.user).prefetch_related(
            Prefetch("events", queryset=DossierEvent.objects.select_related("actor")),
            Prefetch("steps", queryset=DossierStep.objects.select_related("agency")), "documents")

    @extend_schema(request=DossierCreateSerializer, responses={201: DossierSerializer,
                                                              200: OpenApiResponse(DossierSerializer, description=(
                                                                  "Idempotency-Key đã dùng: hồ sơ của lần gửi trước."))},
                   parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
                                                description="Khóa một lần (tối đa 64 ký tự): gửi lại cùng khóa trả về hồ "
                                                            "sơ đã tiếp nhận, không tạo hồ sơ mới.")])
    def create(self, request):
        from django.utils.translation import gettext as _

        from egov.core.errors import ApplicationError
        from one_stop.services.dossiers import ApplicantData, dossier_receive_at_counter

        incoming = DossierCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 64:
            raise ApplicationError("invalid_idempotency_key", _("Idempotency-Key tối đa 64 ký tự."), status=400)
        dossier = dossier_receive_at_counter(clerk=request.user, procedure=data["procedure"],
                                             applicant=ApplicantData(**data["applicant"]), channel=data["channel"],
                                             handling_agency=data["handling_agency"],
                                             processing_days=data["processing_days"], submission_key=key)
        repeated = getattr(dossier, "repeated_submission", False)
        data = DossierSerializer(self.get_queryset().get(pk=dossier.pk), context={"request": request}).data
        return Response(data, status=status.HTTP_200_OK if repeated else status.HTTP_201_CREATED)

    @extend_schema(responses=DossierSerializer)
    def retrieve(self, request, code=None):
        return Response(DossierSerializer(self.get_object(), context={"request": request}).data)

    @extend_schema(request=DossierPostponeSerializer, responses=DossierSerializer)
    @action(detail=True, methods=["post"], url_path="postpone")
    def postpone(self, request, code=None):
        from one_stop.services.dossiers import dossier_postpone

        incoming = DossierPostponeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        dossier = dossier_postpone(dossier=self.get_object(), user=request.user, **incoming.validated_data)
        return Response(DossierSerializer(self.get_queryset().get(pk=dossier.pk), context={"request": request}).data)

    @extend_schema(request=DossierForwardSerializer, responses=DossierSerializer)
    @action(detail=True, methods=["post"], url_path="forward")
    def forward(self, request, code=None):
        from django.utils.translation import gettext as _

        from egov.agencies.models import Agency
        from egov.core.errors import ApplicationError
        from one_stop.services.dossiers import dossier_forward

        incoming = DossierForwardSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        to_agency = Agency.objects.filter(exchange_code=incoming.validated_data["agency"]).first()
        if to_agency is None:
            raise ApplicationError("invalid_agency", _("Không có cơ quan với mã định danh này."),
                                   fields={"agency": [_("Không tồn tại.")]})
        dossier = dossier_forward(dossier=self.get_object(), user=request.user, to_agency=to_agency,
                                  note=incoming.validated_data["note"])
        return Response(DossierSerializer(self.get_queryset().get(pk=dossier.pk), context={"request": request}).data)

    @extend_schema(request=DossierActionSerializer, responses=DossierSerializer)
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<action_name>[a-z_]+)")
    def act(self, request, code=None, action_name=None):
        from one_stop.services.dossiers import dossier_act

        incoming = DossierActionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        received = incoming.validated_data["received"]
        dossier = dossier_act(dossier=self.get_object(), user=request.user, action=action_name,
                              note=incoming.validated_data["note"], processing_days=incoming.validated_data["processing_days"],
                              received=set(received) if received is not None else None)
        return Response(DossierSerializer(self.get_queryset().get(pk=dossier.pk), context={"request": request}).data)


class LookupThrottle(FixedWindowAnonThrottle):
    # The public lookup answers anyone with a code: limit guessing, per client address (EGOV_NUM_PROXIES).
    scope = "lookup"

    def get_rate(self):
        from django.conf import settings

        return settings.EGOV_LOOKUP_THROTTLE


class LookupPageThrottle(LookupThrottle):
    """The same limit for a form of the public lookup page (the rating), counted by address for everyone: unlike the
    API, whose views authenticate no one, a page has the session's user, and a signed-in account must not guess ID
    numbers without limit either."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


@extend_schema(responses=PublicLookupSerializer)
@api_view(["GET"])
@permission_classes([AllowAny])
@authentication_classes([])
@throttle_classes([LookupThrottle])
def public_lookup(request, code: str):
    """Tra cứu hồ sơ: state and dates of a dossier by its code (the receipt's QR code leads here)."""
    from django.utils.translation import gettext as _

    from egov.core.errors import ApplicationError
    from one_stop.selectors import dossier_public_lookup

    dossier = dossier_public_lookup(code=code)
    if dossier is None:
        raise ApplicationError("not_found", _("Không tìm thấy hồ sơ có mã này."), status=404)
    return Response(public_lookup_representation(dossier))


@extend_schema(request=RatingSerializer, responses={201: None})
@api_view(["POST"])
@permission_classes([AllowAny])
@authentication_classes([])
@throttle_classes([LookupThrottle])
def public_rating(request, code: str):
    """Đánh giá mức độ hài lòng: once per dossier, after the result is returned."""
    from django.utils.translation import gettext as _

    from egov.core.errors import ApplicationError
    from one_stop.selectors import dossier_by_code
    from one_stop.services.dossiers import dossier_rate

    dossier = dossier_by_code(code=code)
    if dossier is None:
        raise ApplicationError("not_found", _("Không tìm thấy hồ sơ có mã này."), status=404)
    incoming = RatingSerializer(data=request.data)
    incoming.is_valid(raise_exception=True)
    dossier_rate(dossier=dossier, **incoming.validated_data)
    return Response({"ok": True}, status=status.HTTP_201_CREATED)
