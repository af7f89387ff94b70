"""Pages of the statistics: the public one (/thong-ke/) and the leaders' dashboard (/bang-dieu-khien/)."""

import re

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from egov.core.staff_pages import staff_page
from egov.core.visitor_pages import visitor_page_get, visitor_page_key, visitor_page_set
from reports import charts, exports, selectors
from reports.forms import period_from


def _period_or_400(request, template: str, extra: dict | None = None):
    form, period = period_from(request)
    if period is None:
        return form, None, render(request, template, {"form": form, "period": None, **(extra or {})}, status=400)
    return form, period, None


def _agency_chart(rows: list[dict], title: str):
    return charts.bar_chart(title=title, rows=[
        (r["agency"], [(r["resolved_on_time"], "green", _("Đúng hạn")), (r["resolved_late"], "red", _("Quá hạn")),
                       (r["in_progress"], "grey", _("Đang giải quyết"))]) for r in rows[:30]])


def _channel_chart(total: dict):
    return charts.bar_chart(title=_("Hồ sơ tiếp nhận theo hình thức nộp"), rows=[
        (_("Trực tiếp"), [(total["received_counter"], "blue", _("Trực tiếp"))]),
        (_("Trực tuyến"), [(total["received_online"], "green", _("Trực tuyến"))]),
        (_("Bưu chính"), [(total["received_post"], "amber", _("Bưu chính"))]),
    ])


def _trend_charts(trend: list[dict]):
    labels = [f"{t['month']:%m/%y}" for t in trend]
    counts = charts.line_chart(title=_("Hồ sơ tiếp nhận và giải quyết 12 tháng"), labels=labels, series=[
        (_("Tiếp nhận"), "blue", [t["received"] for t in trend]),
        (_("Đã giải quyết"), "green", [t["resolved"] for t in trend]),
    ])
    shares = charts.line_chart(title=_("Tỷ lệ đúng hạn và trực tuyến (%)"), labels=labels, percent=True, series=[
        (_("Đúng hạn"), "green", [t["on_time_pct"] for t in trend]),
        (_("Nộp trực tuyến"), "blue", [t["online_pct"] for t in trend]),
    ])
    return counts, shares


_INDENTATION = re.compile(r"\n\s+")


def _body(request, key_parts: tuple, template: str, build) -> tuple[str, dict, float]:
    """The figures part of a page, rendered once a minute per scope, period and language.

    The figures move slowly (yesterday's are rolled up; today's are a minute old at most) and a
    morning's leaders all open the same page: caching the rendered part keeps the page near the
    cost of the session lookup. Returns the HTML, its context when it was computed now (else {}), and
    the seconds it stays fresh.
    """
    import hashlib
    import time

    from django.conf import settings
    from django.core.cache import cache
    from django.template.loader import render_to_string
    from django.utils.translation import get_language

    seconds = settings.EGOV_REPORTS_CACHE_SECONDS
    key = "reports:body:v2:" + hashlib.sha256(repr((settings.DATABASES["default"]["NAME"], template, get_language(),
                                                    *key_parts)).encode()).hexdigest()
    if seconds:
        cached = cache.get(key)
        if cached is not None:
            html, computed_at = cached
            return html, {}, seconds - (time.time() - computed_at)
    context = build()
    # Indentation and blank lines of the templates dropped (a dashboard was a third whitespace): every
    # visit downloads this part. A run of white space with a line break renders as the line break would.
    html = mark_safe(_INDENTATION.sub("\n", render_to_string(template, context, request=request)))  # noqa: S308
    if seconds:
        cache.set(key, (html, time.time()), seconds)
    return html, context, seconds


def public_statistics(request):
    """Tình hình giải quyết hồ sơ: per agency and period, for anyone; counts and shares only.

    Anonymous visitors share the whole rendered page (egov.core.visitor_pages) for as long as its figures
    stay fresh; a signed-in user gets the layout rendered for them around the same cached figures.
    """
    page_key = visitor_page_key(request, "reports:public")
    cached = visitor_page_get(page_key)
    if cached is not None:
        return cached
    form, period, error = _period_or_400(request, "reports/public.html")
    if error:
        return error
    query = request.GET.urlencode()

    def build():
        stats = selectors.public_statistics(period=period)
        trend_counts, trend_shares = _trend_charts(stats["trend"])
        return {"form": form, "period": period, "query": query, **stats,
                "agency_chart": _agency_chart(stats["rows"], _("Kết quả giải quyết theo cơ quan")),
                "channel_chart": _channel_chart(stats["total"]), "trend_counts": trend_counts,
                "trend_shares": trend_shares}

    body, context, fresh_for = _body(request, ("public", period.start, period.end, query), "reports/_public_body.html",
                                     build)
    response = render(request, "reports/public.html", {**context, "form": form, "period": period, "body": body})
    return visitor_page_set(page_key, response, fresh_for)


def public_export(request, table: str, fmt: str):
    form, period = period_from(request)
    if period is None or table != "co-quan":
        raise Http404
    stats = selectors.public_statistics(period=period)
    rows = [*stats["rows"], {"agency": _("Tổng cộng"), **stats["total"]}]
    return exports.respond(fmt, f"thong-ke-{period.start:%Y%m%d}-{period.end:%Y%m%d}", _("Theo cơ quan"),
                           exports.agency_columns(), rows)


# The page lists the most overdue dossiers; the export has all of them (up to selectors.LATE_LIMIT).
LATE_SHOWN = 50


def _leader_or_404(request):
    if not selectors.dashboard_allowed(request.user):
        # Not found rather than forbidden: the page's existence is no business of other staff.
        raise Http404


@login_required
def dashboard(request):
    """The leaders' dashboard. The whole page is kept per leader and address while its figures stay fresh
    (egov.core.staff_pages): a morning's visits to the same figures cost no more than the sign-in check."""
    from django.utils import timezone

    _leader_or_404(request)
    fresh = {"seconds": 0}

    def render_page(csrf_token):
        response, fresh["seconds"] = _dashboard_page(request, csrf_token)
        return response

    # The period's meaning depends on the day (the default is this month); the scope on the leader's
    # agency, part of the page's key already.
    return staff_page(request, ("reports:dashboard", timezone.localdate()), render_page, seconds=lambda: fresh["seconds"])


def _dashboard_page(request, csrf_token) -> tuple:
    """The dashboard rendered for this request, and the seconds its figures stay fresh."""
    extra = {"csrf_token": csrf_token} if csrf_token else {}
    form, period, error = _period_or_400(request, "reports/dashboard.html", extra)
    if error:
        return error, 0
    query = request.GET.urlencode()
    agency_ids = selectors.dashboard_agency_ids(request.user)

    def build():
        data = selectors.dashboard(user=request.user, period=period)
        trend_counts, trend_shares = _trend_charts(data["trend"])
        return {"form": form, "period": period, "query": query, **data,
                "agency_chart": _agency_chart(data["units"], _("Kết quả giải quyết theo đơn vị")),
                "index_chart": charts.bar_chart(title=_("Chỉ số phục vụ theo nhóm tiêu chí (điểm)"), rows=[
                    (str(g["label"]), [(g["score"], "green", _("Đạt")), (g["points"] - g["score"], "grey", _("Chưa đạt"))])
                    for g in data["overall"]["index"]["groups"]]),
                "trend_counts": trend_counts, "trend_shares": trend_shares,
                "late_shown": LATE_SHOWN, "late_slice": f":{LATE_SHOWN}"}

    scope = "all" if agency_ids is None else tuple(sorted(agency_ids))
    body, context, fresh_for = _body(request, ("dashboard", scope, period.start, period.end, query),
                                     "reports/_dashboard_body.html", build)
    response = render(request, "reports/dashboard.html", {**context, "form": form, "period": period, "body": body,
                                                          "agency_ids": agency_ids, **extra})
    return response, fresh_for


def _index_columns():
    return [(_("Mã"), lambda r: r["criterion"].code), (_("Tiêu chí"), lambda r: str(r["criterion"].label)),
            (_("Điểm tối đa"), lambda r: r["criterion"].points),
            (_("Tỷ lệ (%)"), lambda r: "—" if r["share"] is None else round(r["share"], 1)),
            (_("Điểm đạt"), lambda r: round(r["score"], 2)),
            (_("Cách tính"), lambda r: str(r["criterion"].formula)),
            (_("Ghi chú"), lambda r: str(r["criterion"].why_not))]


def _scored_columns(first: list) -> list:
    return [*first, *exports.agency_columns()[1:], (_("Chỉ số (điểm/100)"), lambda r: round(r["index"]["total"], 2))]


def _late_columns():
    return [(_("Mã hồ sơ"), lambda d: d.code), (_("Thủ tục"), lambda d: d.procedure.name),
            (_("Cơ quan giải quyết"), lambda d: d.handling_agency.name),
            (_("Trạng thái"), lambda d: str(d.get_state_display())),
            (_("Hạn trả"), lambda d: _local(d.deadline)), (_("Có kết quả lúc"), lambda d: _local(d.resolved_at))]


def _local(moment) -> str:
    """A moment as the pages show it, in Việt Nam's time (the export wrote UTC: 01:30 for a 08:30 deadline)."""
    from django.utils import timezone

    return f"{timezone.localtime(moment):%d/%m/%Y %H:%M}" if moment else "—"


def _office_overdue_columns():
    return [(_("Loại"), lambda r: r["kind"]), (_("Số, ký hiệu"), lambda r: r["reference"]),
            (_("Trích yếu, nội dung"), lambda r: r["summary"]), (_("Cơ quan"), lambda r: r["agency"]),
            (_("Tình trạng"), lambda r: r["handler"]), (_("Hạn xử lý"), lambda r: f"{r['deadline']:%d/%m/%Y}"),
            (_("Số ngày quá hạn"), lambda r: r["days_late"])]


@login_required
def dashboard_export(request, table: str, fmt: str):
    _leader_or_404(request)
    form, period = period_from(request)
    if period is None:
        raise Http404
    data = selectors.dashboard(user=request.user, period=period)
    name = f"{table}-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    if table == "chi-so":
        return exports.respond(fmt, name, _("Chỉ số"), _index_columns(), data["overall"]["index"]["lines"])
    if table == "don-vi":
        return exports.respond(fmt, name, _("Theo đơn vị"), _scored_columns([(_("Đơn vị"), lambda r: r["agency"])]),
                               data["units"])
    if table == "thu-tuc":
        return exports.respond(fmt, name, _("Theo thủ tục"), _scored_columns(
            [(_("Mã thủ tục"), lambda r: r["code"]), (_("Thủ tục"), lambda r: r["name"])]), data["procedures"])
    if table == "tre-han":
        return exports.respond(fmt, name, _("Hồ sơ trễ hạn"), _late_columns(), data["late"])
    if table == "van-ban-qua-han":
        return exports.respond(fmt, name, _("Văn bản, nhiệm vụ quá hạn"), _office_overdue_columns(),
                               data["office_overdue"])
    raise Http404


@login_required
def monthly_report(request, report_id: int):
    """A stored monthly PDF, for the leaders who may see its agency."""
    from reports.models import MonthlyReport

    _leader_or_404(request)
    report = MonthlyReport.objects.filter(pk=report_id).first()
    scope = selectors.dashboard_agency_ids(request.user)
    if report is None or (scope is not None and report.agency_id not in scope):
        raise Http404
    return FileResponse(report.file.open("rb"), content_type="application/pdf",
                        filename=f"bao-cao-{report.month:%Y-%m}.pdf")
