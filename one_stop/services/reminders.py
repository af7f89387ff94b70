"""The morning reminder: each handler is told which of their agency's dossiers fall due within two
working days (one-stop rules: no dossier should reach its due date unnoticed), and which of them need an
apology with a new date today (form 04, at least a working day before the due date).

The window is the queue's "due soon" (one_stop.selectors.due_horizons): what the reminder lists, the queue
colours the same way.

It sends on working days only, by the working-day calendar (a make-up Saturday sends; an ordinary Saturday or a
Tết weekday does not), and once a day: the run claims the day in the transaction that writes the notifications
(egov.notifications.services.reminder_run_claim)."""

from collections import defaultdict

from django.db import transaction
from django.db.models import BooleanField, Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.notifications.models import Channel
from egov.notifications.services import notification_send, recipient_language, reminder_run_claim
from one_stop.models import Dossier
from one_stop.selectors import DUE_SOON_WORKING_DAYS, dossiers_at_risk_q, due_horizons

HANDLER_ROLES = (Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER)
WINDOW_WORKING_DAYS = DUE_SOON_WORKING_DAYS
REMINDER = "one_stop.remind_due"


@transaction.atomic
def dossiers_remind_due(*, now=None) -> int:
    """Send one in-app notification per handler listing the dossiers due soon (or overdue); returns
    how many were sent. Three queries whatever the number of dossiers and agencies (and two for the calendar and
    the day's claim); none sent on a day off or when this morning's run already sent them."""
    now = now or timezone.now()
    if not reminder_run_claim(reminder=REMINDER, day=timezone.localtime(now).date()):
        return 0
    horizons = due_horizons(now=now)
    at_risk = dossiers_at_risk_q(horizons)
    due = (Dossier.objects.filter(Q(state__in=("received", "in_progress"), due_at__lt=horizons.due_soon_until) | at_risk)
           .annotate(at_risk=Case(When(at_risk, then=Value(True)), default=Value(False), output_field=BooleanField()))
           .order_by("due_at").values_list("handling_agency_id", "code", "due_at", "at_risk"))
    by_agency: dict[int, list[tuple]] = defaultdict(list)
    for agency_id, code, due_at, risky in due:
        by_agency[agency_id].append((code, due_at, risky))
    if not by_agency:
        return 0
    handlers = User.objects.filter(agency_id__in=by_agency, is_active=True,
                                   groups__name__in=[str(r) for r in HANDLER_ROLES]).distinct()
    sent, written = 0, {}
    for handler in handlers:
        with recipient_language(handler):  # the handler's own, when they chose one; else the portal's
            # Written once per agency and language, however many handlers read them.
            key = (handler.agency_id, translation.get_language())
            if key not in written:
                written[key] = [_line(*item) for item in by_agency[handler.agency_id]]
            lines = written[key]
            notification_send(template="message", channel=Channel.IN_APP, recipient=handler, payload={
                "subject": ngettext("%(n)s hồ sơ đến hạn trong 2 ngày làm việc",
                                    "%(n)s hồ sơ đến hạn trong 2 ngày làm việc", len(lines)) % {"n": len(lines)},
                "text": "\n".join(lines), "link": reverse("one_stop_staff:queue"),
            })
        sent += 1
    return sent


def _line(code: str, due_at, risky: bool) -> str:
    line = f"{code} ({timezone.localtime(due_at):%H:%M %d/%m/%Y})"
    if risky:
        line += " — " + gettext("cần xin lỗi, hẹn lại ngày trả kết quả (mẫu 04) hôm nay")
    return line
