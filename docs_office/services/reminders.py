"""The morning reminder: each handler is told of their open assignments due within 3 days or overdue."""

from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.db.models import DateField, F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from docs_office.constants import AssignmentRole, IncomingState
from docs_office.models import IncomingAssignment

DUE_WITHIN_DAYS = 3


@transaction.atomic
def assignments_remind_due(*, today=None) -> int:
    """One in-app notification per person listing what they must handle soon; returns how many were sent.
    A unit's assignment reminds each of its members. A fixed number of queries whatever the row count."""
    from egov.notifications.models import Channel
    from egov.notifications.services import notification_send

    today = today or timezone.localdate()
    due = (IncomingAssignment.objects
           .filter(document__state__in=[IncomingState.ASSIGNED, IncomingState.IN_PROGRESS],
                   role__in=[AssignmentRole.LEAD, AssignmentRole.SUPPORT])
           .annotate(effective=Coalesce(F("deadline"), F("document__deadline"), output_field=DateField()))
           .filter(effective__lte=today + timedelta(days=DUE_WITHIN_DAYS))
           .select_related("document", "user").prefetch_related("division__members")
           .order_by("effective", "id"))
    lines: dict = defaultdict(list)
    people: dict = {}
    for assignment in due:
        document = assignment.document
        flag = _("quá hạn") if assignment.effective < today else _("hạn %(d)s") % {"d": f"{assignment.effective:%d/%m/%Y}"}
        line = f"{document.number_symbol or document.summary[:40]} — {flag}"
        members = [assignment.user] if assignment.user_id else list(assignment.division.members.all())
        for person in members:
            if person.is_active and line not in lines[person.pk]:
                people[person.pk] = person
                lines[person.pk].append(line)
    for pk, person in people.items():
        count = len(lines[pk])
        notification_send(template="message", channel=Channel.IN_APP, recipient=person, payload={
            "subject": ngettext("%(n)s văn bản đến cần xử lý trong 3 ngày hoặc đã quá hạn",
                                "%(n)s văn bản đến cần xử lý trong 3 ngày hoặc đã quá hạn", count) % {"n": count},
            "text": "\n".join(lines[pk])})
    return len(people)
