"""Writes of the queue: issue a number at the kiosk, call, recall, skip, serve at a counter."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from one_stop.tickets.models import Counter, QueueNumberCounter, QueueTicket, QueueTicketEvent, ServiceArea, TicketState

# A clerk may call an absent applicant again a few times before skipping the number.
MAX_RECALLS = 3


def ticket_label(*, prefix: str, number: int) -> str:
    return f"{prefix}-{number:03d}"


def _event(ticket: QueueTicket, *, action: str, from_state: str, actor=None, at) -> None:
    QueueTicketEvent.objects.create(ticket=ticket, action=action, from_state=from_state, to_state=ticket.state,
                                    actor=actor, counter=ticket.counter, at=at)


def _number_take(*, area: ServiceArea, day) -> int:
    """The area's next number for the day. The day's row is created if missing, then locked until the
    ticket that takes the number commits: no repeats, and a rolled-back issue gives its number back."""
    QueueNumberCounter.objects.bulk_create([QueueNumberCounter(area=area, day=day)], ignore_conflicts=True)
    row = QueueNumberCounter.objects.select_for_update().get(area=area, day=day)
    if row.last >= settings.EGOV_TICKET_DAILY_LIMIT:
        # A bound on what a flood of presses (or a stuck button) can put in front of the clerks.
        raise ApplicationError("area_full", _("Khu vực này đã cấp hết số của ngày hôm nay, vui lòng liên hệ cán bộ tại "
                                              "quầy."), status=409)
    row.last += 1
    row.save(update_fields=["last"])
    return row.last


@transaction.atomic
def ticket_issue(*, area: ServiceArea) -> QueueTicket:
    """The kiosk gives the next number of the area; numbers restart at 1 every day (local time)."""
    area = ServiceArea.objects.select_related("agency").get(pk=area.pk)
    if not area.is_active or not area.agency.is_active:
        raise ApplicationError("area_closed", _("Khu vực này hiện không cấp số."), status=409)
    now = timezone.now()
    day = timezone.localtime(now).date()
    number = _number_take(area=area, day=day)
    ticket = QueueTicket.objects.create(area=area, day=day, number=number, issued_at=now,
                                        label=ticket_label(prefix=area.prefix, number=number))
    _event(ticket, action="issue", from_state="", at=now)
    return ticket


def _check_clerk(*, clerk, agency_id: int) -> None:
    if not clerk.has_role(Role.ONE_STOP_CLERK) or clerk.agency_id is None:
        raise ApplicationError("not_a_clerk", _("Chỉ cán bộ Bộ phận Một cửa được gọi số."), status=403)
    if clerk.agency_id != agency_id:
        raise ApplicationError("other_agency", _("Quầy này thuộc cơ quan khác."), status=403)


@transaction.atomic
def ticket_call_next(*, counter: Counter, clerk) -> QueueTicket:
    """Call the oldest waiting number of today among the counter's areas.

    The counter row is locked so one counter has one number in service at a time; the tickets are
    read with SKIP LOCKED so two counters calling at once never take the same number, nor wait.
    """
    _check_clerk(clerk=clerk, agency_id=counter.agency_id)
    counter = Counter.objects.select_for_update().get(pk=counter.pk)
    if not counter.is_active:
        raise ApplicationError("counter_closed", _("Quầy này đang tạm ngừng hoạt động."), status=409)
    current = QueueTicket.objects.filter(counter=counter, state=TicketState.CALLED).first()
    if current is not None:
        raise ApplicationError(
            "counter_busy",
            _("Quầy đang phục vụ số %(label)s: hãy bấm “Đã phục vụ” hoặc “Bỏ qua” trước khi gọi số tiếp theo.")
            % {"label": current.label}, status=409)
    now = timezone.now()
    ticket = (QueueTicket.objects.select_for_update(skip_locked=True, of=("self",))
              .filter(area__in=counter.areas.filter(is_active=True).values("pk"), day=timezone.localtime(now).date(),
                      state=TicketState.WAITING)
              .order_by("issued_at", "id").first())
    if ticket is None:
        raise ApplicationError("queue_empty", _("Không còn số nào đang chờ ở các khu vực của quầy này."), status=409)
    ticket.call(counter=counter, by=clerk, at=now)
    ticket.save(update_fields=["state", "counter", "called_by", "called_at", "last_called_at"])
    _event(ticket, action="call", from_state=TicketState.WAITING, actor=clerk, at=now)
    return ticket


def _locked(ticket: QueueTicket, *, clerk, counter=None) -> QueueTicket:
    """The called ticket, locked; `counter`: the counter whose console acts, which must be the one serving it — a
    clerk at counter 1 cannot skip or close the number a colleague called to counter 2."""
    ticket = (QueueTicket.objects.select_for_update(of=("self",)).select_related("area", "counter")
              .get(pk=ticket.pk))
    _check_clerk(clerk=clerk, agency_id=ticket.area.agency_id)
    if ticket.state != TicketState.CALLED:
        raise ApplicationError(
            "ticket_not_called", _("Số %(label)s không còn ở trạng thái đã gọi (hiện: %(state)s).")
            % {"label": ticket.label, "state": ticket.get_state_display()}, status=409)
    if counter is not None and ticket.counter_id != counter.pk:
        raise ApplicationError(
            "other_counter", _("Số %(label)s đang được phục vụ tại %(counter)s, không phải quầy này.")
            % {"label": ticket.label, "counter": ticket.counter}, status=409)
    return ticket


@transaction.atomic
def ticket_recall(*, ticket: QueueTicket, clerk, counter=None) -> QueueTicket:
    """Call the same number again (the applicant did not come); at most MAX_RECALLS times."""
    ticket = _locked(ticket, clerk=clerk, counter=counter)
    if ticket.recall_count >= MAX_RECALLS:
        raise ApplicationError(
            "too_many_recalls", _("Số %(label)s đã được gọi lại %(count)s lần; hãy bỏ qua số này.")
            % {"label": ticket.label, "count": ticket.recall_count}, status=409)
    now = timezone.now()
    ticket.recall(by=clerk, at=now)
    ticket.save(update_fields=["state", "called_by", "last_called_at", "recall_count"])
    _event(ticket, action="recall", from_state=TicketState.CALLED, actor=clerk, at=now)
    return ticket


@transaction.atomic
def ticket_skip(*, ticket: QueueTicket, clerk, counter=None) -> QueueTicket:
    """The applicant did not come after the calls: the number is closed."""
    ticket = _locked(ticket, clerk=clerk, counter=counter)
    now = timezone.now()
    ticket.skip(at=now)
    ticket.save(update_fields=["state", "finished_at"])
    _event(ticket, action="skip", from_state=TicketState.CALLED, actor=clerk, at=now)
    return ticket


@transaction.atomic
def ticket_serve(*, ticket: QueueTicket, clerk, counter=None) -> QueueTicket:
    """The applicant was served at the counter; the counter may call the next number."""
    ticket = _locked(ticket, clerk=clerk, counter=counter)
    now = timezone.now()
    ticket.serve(at=now)
    ticket.save(update_fields=["state", "finished_at"])
    _event(ticket, action="serve", from_state=TicketState.CALLED, actor=clerk, at=now)
    return ticket
