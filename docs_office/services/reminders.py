"""The morning reminder: each handler is told of their open assignments, and each unit's members of their open
tasks, due within 3 days or overdue."""

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
    from egov.notifications.services import recipient_language

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
    with recipient_language():  # the lines and subjects are the portal's correspondence
        for assignment in due:
            document = assignment.document
            flag = _("quá hạn") if assignment.effective < today else _("hạn %(d)s") % {"d": f"{assignment.effective:%d/%m/%Y}"}
            line = f"{document.number_symbol or document.summary[:40]} — {flag}"
            members = [assignment.user] if assignment.user_id else list(assignment.division.members.all())
            for person in members:
                if person.is_active and line not in lines[person.pk]:
                    people[person.pk] = person
                    lines[person.pk].append(line)
        _send_lists(people, lines, lambda count: ngettext(
            "%(n)s văn bản đến cần xử lý trong 3 ngày hoặc đã quá hạn",
            "%(n)s văn bản đến cần xử lý trong 3 ngày hoặc đã quá hạn", count) % {"n": count})
    return len(people)


@transaction.atomic
def tasks_remind_due(*, today=None) -> int:
    """One in-app notification per member of a unit whose open tasks are due within 3 days or overdue, listing
    them; returns how many were sent. Two queries read them whatever the number of tasks and members."""
    from docs_office.models import Task
    from egov.notifications.services import recipient_language

    today = today or timezone.localdate()
    due = (Task.objects.filter(completed_at__isnull=True, deadline__lte=today + timedelta(days=DUE_WITHIN_DAYS))
           .prefetch_related("division__members").select_related("division").order_by("deadline", "id"))
    lines: dict = defaultdict(list)
    people: dict = {}
    with recipient_language():
        for task in due:
            flag = _("quá hạn") if task.deadline < today else _("hạn %(d)s") % {"d": f"{task.deadline:%d/%m/%Y}"}
            line = f"{task.title[:80]} ({task.progress}%) — {flag}"
            for person in task.division.members.all():
                if person.is_active:
                    people[person.pk] = person
                    lines[person.pk].append(line)
        _send_lists(people, lines, lambda count: ngettext(
            "%(n)s nhiệm vụ đến hạn trong 3 ngày hoặc đã quá hạn",
            "%(n)s nhiệm vụ đến hạn trong 3 ngày hoặc đã quá hạn", count) % {"n": count})
    return len(people)


def _send_lists(people: dict, lines: dict, subject) -> None:
    from egov.notifications.models import Channel
    from egov.notifications.services import notification_send

    for pk, person in people.items():
        notification_send(template="message", channel=Channel.IN_APP, recipient=person, payload={
            "subject": subject(len(lines[pk])), "text": "\n".join(lines[pk])})
