from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny

from one_stop.api.serializers import ProcedureDetailSerializer, ProcedureListSerializer
from one_stop.constants import OnlineLevel
from one_stop.selectors import procedures_search


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
