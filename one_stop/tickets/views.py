"""Pages of the queue: the public kiosk and display board, and the clerk's console. No business rules here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from egov.core.text import parse_int
from egov.core.throttling import FixedWindowAnonThrottle
from one_stop.tickets import selectors, services
from one_stop.tickets.models import Counter, QueueTicket

# Slip shown after a number is taken goes back to the buttons on its own, for the next person.
KIOSK_RETURN_SECONDS = 20
BOARD_POLL_SECONDS = 2


def _agency_or_404(key: str):
    agency = selectors.queue_agency_get(key=key)
    if agency is None:
        raise Http404
    return agency


class TicketThrottle(FixedWindowAnonThrottle):
    """Numbers taken per client address (EGOV_TICKET_THROTTLE): the kiosk is a public page, and a script pressing its
    buttons would put hundreds of numbers nobody holds in front of the clerks."""

    scope = "ticket"

    def get_rate(self):
        from django.conf import settings

        return settings.EGOV_TICKET_THROTTLE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def kiosk(request, agency: str):
    """Big buttons, one per area; pressing one issues a number (POST) and shows the slip (redirect)."""
    agency_obj = _agency_or_404(agency)
    error, status = "", 200
    if request.method == "POST" and not TicketThrottle().allow_request(request, None):
        error, status = _("Thiết bị này lấy số quá nhiều trong thời gian ngắn, vui lòng thử lại sau ít phút."), 429
    elif request.method == "POST":
        area_id = parse_int(request.POST.get("area", ""))
        area = (selectors.areas_for_kiosk(agency=agency_obj).filter(pk=area_id).first()
                if area_id is not None else None)
        if area is None:
            error, status = _("Vui lòng chọn một khu vực đang cấp số."), 400
        else:
            try:
                ticket = services.ticket_issue(area=area)
            except ApplicationError as exc:
                error, status = exc.message, exc.status
            else:
                return redirect("tickets:slip", token=ticket.token)
    areas = list(selectors.areas_for_kiosk(agency=agency_obj))
    return render(request, "tickets/kiosk.html", {"agency": agency_obj, "areas": areas, "error": error},
                  status=status)


def slip(request, token):
    ticket = selectors.ticket_for_slip(token=token)
    if ticket is None:
        raise Http404
    return render(request, "tickets/slip.html", {
        "ticket": ticket, "agency": ticket.area.agency, "ahead": selectors.ticket_waiting_ahead(ticket=ticket),
        "return_seconds": KIOSK_RETURN_SECONDS,
    })


def board(request, agency: str):
    agency_obj = _agency_or_404(agency)
    return render(request, "tickets/board.html", {"agency": agency_obj, "poll_seconds": BOARD_POLL_SECONDS,
                                                  **selectors.board_data(agency=agency_obj)})


@never_cache
def board_fragment(request, agency: str):
    """The part of the board that htmx fetches every few seconds."""
    agency_obj = _agency_or_404(agency)
    return render(request, "tickets/_board.html", {"agency": agency_obj, **selectors.board_data(agency=agency_obj)})


def _clerk_or_403(request):
    if not request.user.has_role(Role.ONE_STOP_CLERK) or request.user.agency_id is None:
        raise PermissionDenied(_("Chỉ cán bộ Bộ phận Một cửa được gọi số."))


def _counter_or_404(request, counter_id: int) -> Counter:
    counter = selectors.counters_for_clerk(clerk=request.user).filter(pk=counter_id).first()
    if counter is None:
        raise Http404
    return counter


@login_required
def clerk_home(request):
    """The clerk picks the counter they sit at."""
    _clerk_or_403(request)
    counters = list(selectors.counters_for_clerk(clerk=request.user))
    return render(request, "tickets/clerk_home.html", {"counters": counters,
                                                       "last_counter": request.session.get("tickets_counter")})


@login_required
def clerk_console(request, counter_id: int):
    _clerk_or_403(request)
    counter = _counter_or_404(request, counter_id)
    request.session["tickets_counter"] = counter.pk
    return render(request, "tickets/clerk_console.html", {"counter": counter, **selectors.counter_console(counter=counter)})


@login_required
def clerk_status(request, counter_id: int):
    """The waiting count, refreshed on the console by htmx."""
    _clerk_or_403(request)
    counter = _counter_or_404(request, counter_id)
    return render(request, "tickets/_clerk_status.html", {"counter": counter,
                                                          **selectors.counter_console(counter=counter)})


ACTIONS = {
    "goi-lai": (services.ticket_recall, gettext_lazy("Đã gọi lại số %(label)s.")),
    "bo-qua": (services.ticket_skip, gettext_lazy("Đã bỏ qua số %(label)s.")),
    "da-phuc-vu": (services.ticket_serve, gettext_lazy("Đã phục vụ xong số %(label)s.")),
}


@login_required
@require_POST
def clerk_action(request, counter_id: int, action: str):
    """Call next, recall, skip or serve; success goes back to the console, a refusal is shown there (4xx)."""
    _clerk_or_403(request)
    counter = _counter_or_404(request, counter_id)
    if action != "goi-tiep" and action not in ACTIONS:
        raise Http404
    try:
        if action == "goi-tiep":
            ticket = services.ticket_call_next(counter=counter, clerk=request.user)
            message = gettext_lazy("Đã gọi số %(label)s.")
        else:
            service, message = ACTIONS[action]
            # The form names the number it showed, so a stale page cannot act on another number.
            ticket = QueueTicket.objects.filter(pk=parse_int(request.POST.get("ticket", "")) or 0,
                                                area__agency_id=request.user.agency_id).first()
            if ticket is None:
                raise ApplicationError("ticket_missing", _("Không tìm thấy số thứ tự này."), status=404)
            ticket = service(ticket=ticket, clerk=request.user, counter=counter)
    except ApplicationError as exc:
        return render(request, "tickets/clerk_console.html",
                      {"counter": counter, "error": exc.message, **selectors.counter_console(counter=counter)},
                      status=exc.status)
    messages.success(request, str(message) % {"label": ticket.label})
    return redirect("tickets:clerk_console", counter_id=counter.pk)
