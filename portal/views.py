"""Pages of the provincial portal. No business rules here: selectors read, services write."""

import uuid
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.roles import Role
from egov.agencies.models import Agency, AgencyKind
from egov.core.errors import ApplicationError
from egov.core.text import parse_int
from portal import selectors
from portal.constants import ArticleKind, FeedbackState, FeedbackSubject, SenderKind

PAGE_SIZE = 10
STAFF_PAGE_SIZE = 50
KIND_URLS = {ArticleKind.NEWS: "portal:news", ArticleKind.DIRECTION: "portal:directions"}


def _file_response(attachment, *, as_attachment: bool):
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=as_attachment, filename=attachment.original_name,
                        content_type=attachment.content_type or "application/octet-stream")


# --- news and directions -----------------------------------------------------------------------------
def article_list(request, kind: str):
    agency_code = request.GET.get("co-quan", "").strip()[:13]
    agency = selectors.agency_by_code(exchange_code=agency_code) if agency_code else None
    articles = selectors.articles_published(kind=kind, agency=agency)
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(request, "portal/article_list.html", {
        "kind": kind, "kind_label": ArticleKind(kind).label, "page": page, "agency": agency,
        "agency_code": agency_code, "agencies": selectors.article_agencies(), "query_string": query.urlencode(),
        "list_url": reverse(KIND_URLS[kind]),
    })


def article_detail(request, kind: str, slug: str):
    article = selectors.article_published(slug=slug)
    if article is None:
        raise Http404
    if article.kind != kind:
        return redirect(f"{KIND_URLS[article.kind]}_detail", slug=article.slug)
    return render(request, "portal/article_detail.html", {
        "article": article, "list_url": reverse(KIND_URLS[article.kind]), "kind_label": article.get_kind_display(),
    })


def article_file(request, pk: int):
    attachment = selectors.article_attachment_public(attachment_id=pk)
    if attachment is None:
        raise Http404
    # Images show inside the article; documents download.
    return _file_response(attachment, as_attachment=not attachment.content_type.startswith("image/"))


def agency_detail(request, code: str):
    agency = selectors.agency_by_code(exchange_code=code)
    if agency is None:
        raise Http404
    return render(request, "portal/agency.html", {"agency": agency, **selectors.agency_public_page(agency=agency)})


# --- leaders' work calendar ----------------------------------------------------------------------------
def _parse_week(value: str) -> date | None:
    """'2026-W48' → the Monday of that ISO week; None when it is not a week of the years 2000–2100 (a week of year 9999
    overflowed the page's Sunday into a 500)."""
    try:
        year, week = value.upper().split("-W")
        monday = date.fromisocalendar(int(year), int(week), 1)
    except (ValueError, TypeError):
        return None
    return monday if 2000 <= monday.year <= 2100 else None


def _iso_week(monday: date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def calendar_week(request):
    raw_week = request.GET.get("tuan", "").strip()[:10]
    agency_code = request.GET.get("co-quan", "").strip()[:13]
    status, error = 200, ""
    monday = _parse_week(raw_week) if raw_week else selectors.week_monday(timezone.localdate())
    if monday is None:
        status, error = 400, _("Tuần “%(week)s” không hợp lệ: dùng dạng 2026-W48. Đang hiển thị tuần này.") % {
            "week": raw_week}
        monday = selectors.week_monday(timezone.localdate())
    agency = selectors.agency_by_code(exchange_code=agency_code) if agency_code else None
    if agency_code and agency is None:
        status, error = 404, _("Không tìm thấy cơ quan có mã “%(code)s”.") % {"code": agency_code}
    entries = selectors.calendar_week(monday=monday, agency=agency)
    days = [{"date": monday + timedelta(days=i), "entries": []} for i in range(7)]
    for entry in entries:
        days[(entry.date - monday).days]["entries"].append(entry)
    suffix = f"&co-quan={agency.exchange_code}" if agency else ""
    return render(request, "portal/calendar.html", {
        "days": days, "monday": monday, "sunday": monday + timedelta(days=6), "agency": agency,
        "agencies": selectors.calendar_agencies(), "week": _iso_week(monday), "error": error,
        "previous_url": f"?tuan={_iso_week(monday - timedelta(days=7))}{suffix}",
        "next_url": f"?tuan={_iso_week(monday + timedelta(days=7))}{suffix}",
        "today": timezone.localdate(),
    }, status=status)


# --- feedback and petitions: public and the sender's pages -----------------------------------------------
def feedback_public(request):
    page = Paginator(selectors.feedbacks_published(), PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "portal/feedback_public.html", {"page": page, "query_string": ""})


def _citizen_only(request) -> None:
    if not request.user.has_role(Role.CITIZEN):
        raise PermissionDenied(_("Chỉ công dân, tổ chức mới gửi được phản ánh, kiến nghị."))


def _feedback_agencies():
    kinds = [AgencyKind.PROVINCIAL_COMMITTEE, AgencyKind.DEPARTMENT, AgencyKind.SERVICE_CENTRE,
             AgencyKind.COMMUNE_COMMITTEE]
    return list(Agency.objects.filter(is_active=True, kind__in=kinds).only("id", "name", "kind").order_by("kind", "name"))


def _procedure_choices():
    from one_stop.models import Procedure

    return list(Procedure.objects.filter(is_active=True).only("id", "code", "name").order_by("code")[:1000])


@login_required
def feedback_submit(request):
    from one_stop.models import Procedure
    from portal.services.feedback import feedback_submit as submit

    _citizen_only(request)
    values = {"subject_kind": FeedbackSubject.PROCEDURE, "sender_kind": SenderKind.PERSON,
              "procedure_code": request.GET.get("thu-tuc", "")[:40]}
    errors: dict = {}
    general = ""
    status = 200
    if request.method == "POST":
        post = request.POST
        values = {key: post.get(key, "") for key in ("subject_kind", "sender_kind", "organisation_name", "procedure_code",
                                                      "regulation", "title", "content", "agency")}
        values["consent_publish"] = post.get("consent_publish") == "on"
        procedure = agency = None
        code = values["procedure_code"].strip()
        if values["subject_kind"] == FeedbackSubject.PROCEDURE and code:
            procedure = Procedure.objects.filter(code=code.split(" ")[0], is_active=True).first()
            if procedure is None:
                errors["procedure"] = _("Không tìm thấy thủ tục có mã “%(code)s”.") % {"code": code}
        if values["agency"]:
            agency_id = parse_int(values["agency"])
            agency = Agency.objects.filter(pk=agency_id, is_active=True).first() if agency_id is not None else None
            if agency is None:
                errors["agency"] = _("Cơ quan đã chọn không hợp lệ.")
        if not errors:
            try:
                feedback = submit(
                    sender=request.user, subject_kind=values["subject_kind"], title=values["title"],
                    content=values["content"], procedure=procedure, regulation=values["regulation"], agency=agency,
                    sender_kind=values["sender_kind"], organisation_name=values["organisation_name"],
                    consent_publish=values["consent_publish"], uploads=request.FILES.getlist("attachments"),
                )
            except ApplicationError as exc:
                errors, general = exc.fields, exc.message
                status = exc.status
            else:
                messages.success(request, _("Đã gửi phản ánh, kiến nghị %(code)s đến %(agency)s. Hạn trả lời: %(due)s.") % {
                    "code": feedback.code, "agency": feedback.agency.name,
                    "due": timezone.localtime(feedback.due_at).strftime("%d/%m/%Y")})
                return redirect("portal:feedback_mine_detail", public_id=feedback.public_id)
        else:
            general = _("Vui lòng kiểm tra lại các trường được đánh dấu.")
            status = 400
    return render(request, "portal/feedback_form.html", {
        "values": values, "errors": errors, "general": general, "agencies": _feedback_agencies(),
        "procedures": _procedure_choices(), "subjects": FeedbackSubject.choices, "sender_kinds": SenderKind.choices,
    }, status=status)


@login_required
def feedback_mine(request):
    page = Paginator(selectors.feedbacks_of_sender(user=request.user), PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "portal/feedback_mine.html", {"page": page, "query_string": ""})


@login_required
def feedback_mine_detail(request, public_id: uuid.UUID):
    feedback = selectors.feedback_of_sender(user=request.user, public_id=public_id)
    if feedback is None:
        raise Http404
    return render(request, "portal/feedback_mine_detail.html", {"feedback": feedback})


@login_required
def feedback_file(request, pk: int):
    attachment = selectors.feedback_attachment_for(user=request.user, attachment_id=pk)
    if attachment is None:
        raise Http404
    return _file_response(attachment, as_attachment=True)


# --- feedback and petitions: the competent agency's staff ----------------------------------------------------
def _staff_only(request) -> None:
    if not (request.user.is_agency_staff and request.user.agency_id):
        raise PermissionDenied(_("Trang này dành cho cán bộ của cơ quan xử lý."))


@login_required
def feedback_staff_list(request):
    _staff_only(request)
    state = request.GET.get("trang-thai", "")
    feedbacks = selectors.feedbacks_for_staff(user=request.user, state=state)
    page = Paginator(feedbacks, STAFF_PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(request, "portal/feedback_staff_list.html", {
        "page": page, "state": state, "states": FeedbackState.choices, "query_string": query.urlencode(),
    })


@login_required
def feedback_staff_detail(request, pk: int):
    from portal.services import feedback as services

    _staff_only(request)
    feedback = selectors.feedback_for_staff(user=request.user, pk=pk)
    if feedback is None:
        raise Http404
    errors, general, status = {}, "", 200
    if request.method == "POST":
        action, post = request.POST.get("action", ""), request.POST
        try:
            if action == "assign":
                assignee = selectors.agency_staff_for_assignment(agency_id=feedback.agency_id).filter(
                    pk=parse_int(str(post.get("assignee", "")))).first()
                services.feedback_assign(feedback=feedback, by=request.user, to=assignee)
                messages.success(request, _("Đã giao xử lý."))
            elif action == "answer":
                services.feedback_answer(feedback=feedback, by=request.user, text=post.get("answer", ""))
                messages.success(request, _("Đã gửi trả lời cho người phản ánh."))
            elif action == "publish":
                services.feedback_publish(feedback=feedback, by=request.user, question=post.get("public_question", ""))
                messages.success(request, _("Đã công khai trả lời trên Cổng."))
            elif action == "close":
                services.feedback_close(feedback=feedback, by=request.user, reason=post.get("reason", ""))
                messages.success(request, _("Đã đóng phản ánh, kiến nghị."))
            else:
                raise ApplicationError("unknown_action", _("Thao tác không hợp lệ."))
        except ApplicationError as exc:
            errors, general, status = exc.fields, exc.message, exc.status
        else:
            return redirect("portal:feedback_staff_detail", pk=feedback.pk)
    can = {action: services.feedback_can(user=request.user, feedback=feedback, action=action)
           for action in ("assign", "answer", "publish", "close")}
    return render(request, "portal/feedback_staff_detail.html", {
        "feedback": feedback, "can": can, "errors": errors, "general": general, "values": request.POST,
        "staff": selectors.agency_staff_for_assignment(agency_id=feedback.agency_id) if can["assign"] else [],
        "action_labels": services.ACTION_LABELS, "now": timezone.now(),
    }, status=status)
