"""Reads of the queue for the kiosk, the display board and the clerk's console (constant query counts)."""

from datetime import timedelta

from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, When
from django.utils import timezone

from egov.agencies.models import Agency
from egov.core.text import parse_int
from one_stop.tickets.models import Counter, QueueTicket, ServiceArea, TicketState

# How long the board highlights a number after it is called or recalled.
HIGHLIGHT_SECONDS = 10
RECENT_CALLS = 6


def _today():
    return timezone.localdate()


def queue_agency_get(*, key: str) -> Agency | None:
    """The agency of a kiosk or board address: its id, or its exchange code (000.00.00.H41)."""
    agencies = Agency.objects.filter(is_active=True)
    pk = parse_int(key)
    if pk is not None:
        return agencies.filter(pk=pk).first()
    return agencies.filter(exchange_code=key).first()


def areas_for_kiosk(*, agency: Agency) -> QuerySet[ServiceArea]:
    """The agency's open areas, each with how many numbers of today are still waiting."""
    return (ServiceArea.objects.filter(agency=agency, is_active=True)
            .annotate(waiting=Count("tickets", filter=Q(tickets__day=_today(), tickets__state=TicketState.WAITING)))
            .order_by("position", "prefix"))


def ticket_for_slip(*, token) -> QueueTicket | None:
    return QueueTicket.objects.select_related("area", "area__agency").filter(token=token).first()


def ticket_waiting_ahead(*, ticket: QueueTicket) -> int:
    """Numbers of the same area and day still waiting before this one."""
    return QueueTicket.objects.filter(area_id=ticket.area_id, day=ticket.day, state=TicketState.WAITING,
                                      number__lt=ticket.number).count()


def board_data(*, agency: Agency) -> dict:
    """What the display board shows: each active counter's number in service, and the last calls."""
    today = _today()
    now = timezone.now()
    current = (QueueTicket.objects.filter(day=today, state=TicketState.CALLED)
               .select_related("area").order_by("-last_called_at"))
    counters = list(Counter.objects.filter(agency=agency, is_active=True).order_by("number")
                    .prefetch_related(Prefetch("tickets", queryset=current, to_attr="called_tickets")))
    fresh_after = now - timedelta(seconds=HIGHLIGHT_SECONDS)
    for counter in counters:
        counter.current = counter.called_tickets[0] if counter.called_tickets else None
        counter.is_fresh = bool(counter.current and counter.current.last_called_at >= fresh_after)
    recent = list(QueueTicket.objects.filter(area__agency=agency, day=today, last_called_at__isnull=False)
                  .select_related("counter").order_by("-last_called_at", "-id")[:RECENT_CALLS])
    return {"counters": counters, "recent": recent, "now": now}


def counters_for_clerk(*, clerk) -> QuerySet[Counter]:
    if clerk.agency_id is None:
        return Counter.objects.none()
    return (Counter.objects.filter(agency_id=clerk.agency_id, is_active=True).prefetch_related("areas")
            .order_by("number"))


def counter_console(*, counter: Counter) -> dict:
    """The clerk's console: the number in service at this counter (else the last one it called today) and
    how many wait in its areas."""
    today = _today()
    # One read for both: a number in service comes first, else today's latest call of this counter.
    latest = (QueueTicket.objects.filter(Q(state=TicketState.CALLED) | Q(day=today, called_at__isnull=False),
                                         counter=counter).select_related("area")
              .order_by(Case(When(state=TicketState.CALLED, then=0), default=1), F("called_at").desc(nulls_last=True))
              .first())
    current = latest if latest is not None and latest.state == TicketState.CALLED else None
    last_called = latest if current is None else None
    waiting = QueueTicket.objects.filter(area__in=counter.areas.filter(is_active=True).values("pk"), day=today,
                                         state=TicketState.WAITING).count()
    from one_stop.tickets.services import MAX_RECALLS

    # "Gọi lại" only while the number may still be recalled: past the limit the button answered a refusal.
    may_recall = current is not None and current.recall_count < MAX_RECALLS
    return {"current": current, "last_called": last_called, "waiting": waiting, "may_recall": may_recall}
