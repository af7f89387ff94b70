"""The morning reminder: each handler is told of their open assignments, and each unit's members of their open
tasks, due within 3 days or overdue; each leader of the registered documents still waiting for an assignment.

Each reminder sends on working days only, by the working-day calendar (a make-up Saturday sends; an ordinary
Saturday or a Tết weekday does not), and once a day: its run claims the day in the transaction that writes the
notifications (egov.notifications.services.reminder_run_claim)."""

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
from egov.accounts.roles import Role
from egov.notifications.services import reminder_run_claim

DUE_WITHIN_DAYS = 3


@transaction.atomic
def assignments_remind_due(*, today=None) -> int:
    """One in-app notification per person listing what they must handle soon; returns how many were sent.
    A unit's assignment reminds each of its members. A fixed number of queries whatever the row count."""

    today = today or timezone.localdate()
    if not reminder_run_claim(reminder="docs_office.assignments_remind_due", day=today):
        return 0
    due = (IncomingAssignment.objects
           .filter(document__state__in=[IncomingState.ASSIGNED, IncomingState.IN_PROGRESS],
                   role__in=[AssignmentRole.LEAD, AssignmentRole.SUPPORT])
           .annotate(effective=Coalesce(F("deadline"), F("document__deadline"), output_field=DateField()))
           .filter(effective__lte=today + timedelta(days=DUE_WITHIN_DAYS))
           .select_related("document", "user").prefetch_related("division__members")
           .order_by("effective", "id"))
    items: dict = defaultdict(list)
    people: dict = {}
    for assignment in due:
        item = (assignment.document, assignment.effective)
        members = [assignment.user] if assignment.user_id else list(assignment.division.members.all())
        for person in members:
            if person.is_active and item not in items[person.pk]:
                people[person.pk] = person
                items[person.pk].append(item)

    def line(item) -> str:
        document, effective = item
        flag = _("quá hạn") if effective < today else _("hạn %(d)s") % {"d": f"{effective:%d/%m/%Y}"}
        return f"{document.number_symbol or document.summary[:40]} — {flag}"

    _send_lists(people, items, line, lambda count: ngettext(
        "%(n)s văn bản đến cần xử lý trong 3 ngày hoặc đã quá hạn",
        "%(n)s văn bản đến cần xử lý trong 3 ngày hoặc đã quá hạn", count) % {"n": count})
    return len(people)


@transaction.atomic
def tasks_remind_due(*, today=None) -> int:
    """One in-app notification per member of a unit whose open tasks are due within 3 days or overdue, listing
    them; returns how many were sent. Two queries read them whatever the number of tasks and members."""
    from docs_office.models import Task

    today = today or timezone.localdate()
    if not reminder_run_claim(reminder="docs_office.tasks_remind_due", day=today):
        return 0
    due = (Task.objects.filter(completed_at__isnull=True, deadline__lte=today + timedelta(days=DUE_WITHIN_DAYS))
           .prefetch_related("division__members").select_related("division").order_by("deadline", "id"))
    items: dict = defaultdict(list)
    people: dict = {}
    for task in due:
        for person in task.division.members.all():
            if person.is_active:
                people[person.pk] = person
                items[person.pk].append(task)

    def line(task) -> str:
        flag = _("quá hạn") if task.deadline < today else _("hạn %(d)s") % {"d": f"{task.deadline:%d/%m/%Y}"}
        return f"{task.title[:80]} ({task.progress}%) — {flag}"

    _send_lists(people, items, line, lambda count: ngettext(
        "%(n)s nhiệm vụ đến hạn trong 3 ngày hoặc đã quá hạn",
        "%(n)s nhiệm vụ đến hạn trong 3 ngày hoặc đã quá hạn", count) % {"n": count})
    return len(people)


@transaction.atomic
def unassigned_remind(*, today=None) -> int:
    """One in-app notification per leader of an agency with registered incoming documents nobody has assigned yet
    (non-secret ones: a secret document is for its named readers, who see it on their list), most urgent first;
    returns how many were sent. Two queries read them whatever the number of documents and leaders."""
    from docs_office.constants import Confidentiality
    from docs_office.models import IncomingDocument
    from docs_office.selectors import incoming_to_assign_order
    from egov.accounts.models import User

    today = today or timezone.localdate()
    if not reminder_run_claim(reminder="docs_office.unassigned_remind", day=today):
        return 0
    waiting = list(IncomingDocument.objects.filter(state=IncomingState.REGISTERED, confidentiality=Confidentiality.NORMAL)
                   .only("agency_id", "number", "symbol", "summary", "urgency", "deadline", "received_at")
                   .order_by("agency_id", *incoming_to_assign_order()))
    agencies = {document.agency_id for document in waiting}
    leaders = User.objects.filter(agency_id__in=agencies, is_active=True, groups__name=str(Role.LEADER)).distinct()
    by_agency: dict = defaultdict(list)
    for leader in leaders:
        by_agency[leader.agency_id].append(leader)
    items: dict = defaultdict(list)
    people: dict = {}
    for document in waiting:
        for leader in by_agency[document.agency_id]:
            people[leader.pk] = leader
            items[leader.pk].append(document)

    def line(document) -> str:
        received = timezone.localdate(document.received_at)
        text = _("%(d)s — %(u)s, vào sổ %(r)s") % {"d": document.number_symbol or document.summary[:40],
                                                  "u": document.get_urgency_display(), "r": f"{received:%d/%m/%Y}"}
        if document.deadline:
            text += _(", hạn %(d)s") % {"d": f"{document.deadline:%d/%m/%Y}"}
        return text

    _send_lists(people, items, line, lambda count: ngettext(
        "%(n)s văn bản đến chờ phân công", "%(n)s văn bản đến chờ phân công", count) % {"n": count})
    return len(people)


def _send_lists(people: dict, items: dict, line, subject) -> None:
    """One message per person listing their items, written in their language (recipient_language: their own when
    they chose one, else the portal's): `line(item)` and `subject(count)` are called with it active."""
    from egov.notifications.models import Channel
    from egov.notifications.services import notification_send, recipient_language

    for pk, person in people.items():
        with recipient_language(person):
            notification_send(template="message", channel=Channel.IN_APP, recipient=person, payload={
                "subject": subject(len(items[pk])), "text": "\n".join(line(item) for item in items[pk])})
