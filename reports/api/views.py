"""JSON of the statistics: the public figures by agency, and the leaders' index (same selectors as the pages)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from egov.core.errors import ApplicationError
from reports import selectors
from reports.forms import PeriodForm

PERIOD_PARAMETERS = [
    OpenApiParameter("ky", str, enum=["thang", "quy", "nam", "tuy-chon"], description="Kỳ báo cáo (mặc định: tháng)."),
    OpenApiParameter("nam", int), OpenApiParameter("thang", int), OpenApiParameter("quy", int),
    OpenApiParameter("tu", str, description="YYYY-MM-DD"), OpenApiParameter("den", str, description="YYYY-MM-DD"),
]
FIELDS = ("received", "received_counter", "received_online", "received_post", "resolved", "resolved_on_time",
          "resolved_late", "returned", "refused", "withdrawn", "in_progress", "overdue", "paid_online", "rated",
          "on_time_pct", "online_pct", "fully_online_pct", "paid_online_pct", "satisfied_pct", "rating_avg")


def _period(request):
    form = PeriodForm(request.query_params or {"ky": "thang"})
    if not form.is_valid():
        from django.utils.translation import gettext as _

        raise ApplicationError("invalid_period", _("Kỳ báo cáo không hợp lệ."),
                               fields={k: [str(e) for e in v] for k, v in form.errors.items()})
    return form.cleaned_data["period"]


def _figures(row: dict) -> dict:
    return {name: row.get(name) for name in FIELDS}


@extend_schema(parameters=PERIOD_PARAMETERS, responses=dict, summary="Tình hình giải quyết hồ sơ theo cơ quan")
@api_view(["GET"])
@permission_classes([AllowAny])
def public_statistics(request):
    period = _period(request)
    stats = selectors.public_statistics(period=period)
    return Response({"period": {"start": period.start, "end": period.end, "label": period.label},
                     "total": _figures(stats["total"]),
                     "agencies": [{"agency_id": r["agency_id"], "agency": r["agency"], **_figures(r)}
                                  for r in stats["rows"]]})


@extend_schema(parameters=PERIOD_PARAMETERS, responses=dict, summary="Chỉ số phục vụ (QĐ 766/QĐ-TTg) của phạm vi lãnh đạo")
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def dashboard_index(request):
    if not selectors.dashboard_allowed(request.user):
        from django.utils.translation import gettext as _

        raise ApplicationError("forbidden", _("Chỉ lãnh đạo được xem bảng điều khiển."), status=403)
    period = _period(request)
    data = selectors.dashboard(user=request.user, period=period)
    index = data["overall"]["index"]
    return Response({
        "period": {"start": period.start, "end": period.end, "label": period.label},
        "total": round(index["total"], 2), "measurable_points": index["measurable_points"],
        "groups": [{"code": g["code"], "label": str(g["label"]), "points": g["points"], "score": round(g["score"], 2)}
                   for g in index["groups"]],
        "criteria": [{"code": line["criterion"].code, "label": str(line["criterion"].label),
                      "points": line["criterion"].points, "share": line["share"], "score": round(line["score"], 2),
                      "measurable": line["measurable"]} for line in index["lines"]],
        "units": [{"agency_id": u["agency_id"], "agency": u["agency"], "index": round(u["index"]["total"], 2),
                   **_figures(u)} for u in data["units"]],
        "office": data["office"],
    })
