"""Form 05, the process control slip (A5): every step of a dossier; form 06, the desk's register (A4)."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from egov.core.pdf import pdf_language, render_pdf
from one_stop.events import event_label
from one_stop.models import Dossier


def step_timeliness(step, *, now=None) -> str:
    """The control sheet's result of a step (form 05): "before", "on_time" (the due day itself) or "late"; "" for a
    step still open and not yet late, or without a deadline."""
    if step.due_at is None:
        return ""
    if step.completed_at is None:
        return "late" if (now or timezone.now()) > step.due_at else ""
    if step.completed_at > step.due_at:
        return "late"
    return "on_time" if timezone.localdate(step.completed_at) == timezone.localdate(step.due_at) else "before"


def control_slip_pdf(*, dossier: Dossier) -> bytes:
    events = list(dossier.events.select_related("actor", "agency"))
    steps = list(dossier.steps.select_related("agency", "completed_by"))
    now = timezone.now()
    with pdf_language():
        for event in events:
            event.label = event_label(event.action)
        for step in steps:
            step.timeliness = step_timeliness(step, now=now)
    return render_pdf("one_stop/pdf/control_slip.html", {"dossier": dossier, "events": events, "steps": steps})


def desk_register_pdf(*, agency, day: date) -> bytes:
    """The dossiers the desk received on `day`, in the order of their codes."""
    start = timezone.make_aware(datetime.combine(day, time.min))  # midnight in Vietnam
    dossiers = (Dossier.objects.filter(receiving_agency=agency, received_at__gte=start,
                                       received_at__lt=start + timedelta(days=1))
                .select_related("procedure").order_by("code"))
    return render_pdf("one_stop/pdf/register.html", {"agency": agency, "day": day, "dossiers": dossiers})
