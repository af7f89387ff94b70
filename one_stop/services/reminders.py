"""The morning reminder: each handler is told which of their agency's dossiers fall due within two
working days (one-stop rules: no dossier should reach its due date unnoticed)."""

from collections import defaultdict
from datetime import datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.notifications.models import Channel
from egov.notifications.services import notification_send
from egov.workdays.services import add_working_days
from one_stop.models import Dossier

HANDLER_ROLES = (Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER)
WINDOW_WORKING_DAYS = 2


@transaction.atomic
def dossiers_remind_due(*, now=None) -> int:
    """Send one in-app notification per handler listing the dossiers due soon (or overdue); returns
    how many were sent. Three queries whatever the number of dossiers and agencies."""
    now = now or timezone.now()
    horizon = timezone.make_aware(datetime.combine(add_working_days(timezone.localdate(now), WINDOW_WORKING_DAYS),
                                                   time(23, 59)))
    due = (Dossier.objects.filter(state__in=("received", "in_progress"), due_at__lte=horizon)
           .order_by("due_at").values_list("handling_agency_id", "code", "due_at"))
    by_agency: dict[int, list[str]] = defaultdict(list)
    for agency_id, code, due_at in due:
        by_agency[agency_id].append(f"{code} ({timezone.localtime(due_at):%H:%M %d/%m/%Y})")
    if not by_agency:
        return 0
    handlers = User.objects.filter(agency_id__in=by_agency, is_active=True,
                                   groups__name__in=[str(r) for r in HANDLER_ROLES]).distinct()
    sent = 0
    for handler in handlers:
        lines = by_agency[handler.agency_id]
        notification_send(template="message", channel=Channel.IN_APP, recipient=handler, payload={
            "subject": ngettext("%(n)s hồ sơ đến hạn trong 2 ngày làm việc", "%(n)s hồ sơ đến hạn trong 2 ngày làm việc",
                                len(lines)) % {"n": len(lines)},
            "text": "\n".join(lines),
        })
        sent += 1
    return sent
