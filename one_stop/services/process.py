"""The internal process of a dossier: its steps, each with a role, an agency and its own deadline.

A procedure version may declare its process (`ProcedureVersion.process`); otherwise the default one-stop
process applies: the desk receives, the competent agency's specialist examines, its leader approves, the
desk returns. Each step's deadline is the clock start plus the working days of the steps up to it, so the
last step falls on the dossier's due date and a joint procedure gives each agency its own deadline.
"""

import math
from datetime import datetime, time
from decimal import Decimal

from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from egov.workdays.services import add_working_days
from one_stop.constants import STEP_APPROVE, STEP_EXAMINE, STEP_RECEIVE, STEP_RETURN, StepAgency
from one_stop.models import Dossier, DossierStep

OFFICE_CLOSES = time(17, 0)


def default_process(total_days) -> list[dict]:
    total = Decimal(str(total_days or 0))
    approve = Decimal(1) if total >= 3 else Decimal(0)
    # Names untranslated (Vietnamese msgids): the record keeps them whatever the clerk's UI language.
    return [
        {"name": STEP_RECEIVE, "role": Role.ONE_STOP_CLERK, "agency": StepAgency.RECEIVING, "days": 0},
        {"name": STEP_EXAMINE, "role": Role.SPECIALIST, "agency": StepAgency.COMPETENT, "days": float(total - approve)},
        {"name": STEP_APPROVE, "role": Role.LEADER, "agency": StepAgency.COMPETENT, "days": float(approve)},
        {"name": STEP_RETURN, "role": Role.ONE_STOP_CLERK, "agency": StepAgency.RECEIVING, "days": 0},
    ]


def _step_agency(code: str, dossier: Dossier):
    from egov.agencies.models import Agency

    if code == StepAgency.RECEIVING:
        return dossier.receiving_agency
    if code == StepAgency.COMPETENT:
        return dossier.handling_agency
    agency = Agency.objects.filter(exchange_code=code, is_active=True).first()
    if agency is None:
        raise ApplicationError("process_agency_unknown",
                               _("Quy trình của thủ tục nêu cơ quan %(code)s không có trong hệ thống.") % {"code": code},
                               status=409)
    return agency


def _due(clock_start: datetime, days) -> datetime:
    start_day = timezone.localtime(clock_start).date()
    whole = math.ceil(days)
    due_day = add_working_days(start_day, whole) if whole else start_day
    return timezone.make_aware(datetime.combine(due_day, OFFICE_CLOSES))


def dossier_steps_create(*, dossier: Dossier, by=None) -> list[DossierStep]:
    """Lay out the steps when the dossier is received; the receiving desk's first steps are done then."""
    from one_stop.services.dossiers import dossier_time_limit

    version = dossier.procedure_version
    declared = version.process or default_process(dossier_time_limit(dossier))
    steps, cumulative = [], Decimal(0)
    for order, item in enumerate(declared, start=1):
        cumulative += Decimal(str(item.get("days") or 0))
        steps.append(DossierStep(dossier=dossier, order=order, name=item["name"], role=item["role"],
                                 agency=_step_agency(item.get("agency") or StepAgency.COMPETENT, dossier),
                                 days=Decimal(str(item.get("days") or 0)),
                                 due_at=_due(dossier.clock_started_at, cumulative) if dossier.clock_started_at else None))
    # Receipt itself completes the leading steps of the receiving desk; the first came in when the dossier was
    # submitted (online: before the desk received it), and the step after them comes in at receipt.
    started = dossier.submitted_at or dossier.received_at
    for step in steps:
        step.started_at = started
        if step.agency_id != dossier.receiving_agency_id or step.role != Role.ONE_STOP_CLERK:
            break
        step.completed_at, step.completed_by = dossier.received_at, by
        started = dossier.received_at
    return DossierStep.objects.bulk_create(steps)


def dossier_steps_reschedule(*, dossier: Dossier) -> None:
    """The clock restarted in full (a complete supplement): every open step's deadline counts again."""
    cumulative = Decimal(0)
    for step in dossier.steps.order_by("order"):
        cumulative += step.days
        if step.completed_at is None:
            step.due_at = _due(dossier.clock_started_at, cumulative)
            step.save(update_fields=["due_at"])


def dossier_steps_stretch(*, dossier: Dossier) -> None:
    """The dossier's due date was moved later (an apology, form 04): the open steps share the working days up to the
    new date as they shared the time limit, so the last steps fall on it and none shows late for the old schedule.

    Each open step keeps its share of the process (its cumulative days over the process's total) of the working
    days from the clock start to the new due date; a deadline never moves earlier, nor past the new due date.
    """
    from egov.workdays.services import count_working_days

    steps = list(dossier.steps.order_by("order"))
    total = sum((step.days for step in steps), Decimal(0))
    span = count_working_days(dossier.clock_started_at, dossier.due_at)
    cumulative = Decimal(0)
    for step in steps:
        cumulative += step.days
        if step.completed_at is not None:
            continue
        if total == 0 or cumulative >= total:
            due = dossier.due_at
        else:
            due = min(_due(dossier.clock_started_at, cumulative * span / total), dossier.due_at)
        if step.due_at is None or due > step.due_at:
            step.due_at = due
            step.save(update_fields=["due_at"])


def dossier_step_current(dossier: Dossier) -> DossierStep | None:
    return dossier.steps.filter(completed_at__isnull=True).order_by("order").select_related("agency").first()


def dossier_steps_complete_through(*, dossier: Dossier, user, roles: set[str], at) -> None:
    """A transition done by `user` completes the open steps it stands for (e.g. approving the result
    completes examination and approval): those of `roles` held by the user's own agency. Steps of other
    agencies are left to them, so the receiving desk's "return the result" stays open for the desk when the
    handling agency resolves, and no one is recorded as having done another agency's step."""
    completed = False
    for step in dossier.steps.filter(completed_at__isnull=True, agency_id=user.agency_id, role__in=roles).order_by("order"):
        # A step passed through without its own turn (approving completes examination and approval) came in and went
        # out at once.
        step.started_at = step.started_at or at
        step.completed_at, step.completed_by = at, user
        step.save(update_fields=["started_at", "completed_at", "completed_by"])
        completed = True
    if completed:
        _hand_on(dossier, at)


def _hand_on(dossier: Dossier, at) -> None:
    """The dossier passes to the next open step: its time in (form 05) is now, unless it was handed in before."""
    dossier.steps.filter(completed_at__isnull=True, started_at__isnull=True, order=Subquery(
        dossier.steps.filter(completed_at__isnull=True).order_by("order").values("order")[:1])).update(started_at=at)


def dossier_steps_hand_over(*, dossier: Dossier, from_agency, to_agency) -> list[DossierStep]:
    """Forwarding (một cửa liên thông): the open steps `from_agency` held as the handling agency go to `to_agency`.

    Completed steps keep who did them and where. The receiving desk's own steps (its clerks' "return the
    result") stay with the desk even when it was also the handling agency: the code and the return stay there.
    """
    moving = [step for step in dossier.steps.filter(completed_at__isnull=True, agency=from_agency).order_by("order")
              if not (step.agency_id == dossier.receiving_agency_id and step.role == Role.ONE_STOP_CLERK)]
    current = dossier_step_current(dossier)
    now = timezone.now().replace(second=0, microsecond=0)
    for step in moving:
        step.agency = to_agency
        # The step in hand comes in at the new agency now: its time in there, not at the agency that passed it on
        # (the forward event keeps the hand-over on the control sheet).
        if current is not None and step.pk == current.pk and step.started_at is not None:
            step.started_at = now
        step.save(update_fields=["agency", "started_at"])
    return moving


def step_closed_by_transition(dossier: Dossier, following: DossierStep | None) -> bool:
    """Whether the step before `following` is closed by the dossier's own transitions, never on its own: the last step
    (the desk's return of the result, closed by `return_result`) and the step before the receiving desk's return (the
    approval, closed by `resolve`, which checks what resolving needs — a signed result for a full online procedure).
    The page offers "complete the step" only where this is false; the service refuses it there too."""
    if following is None:
        return True
    return following.role == Role.ONE_STOP_CLERK and following.agency_id == dossier.receiving_agency_id


@transaction.atomic
def dossier_step_complete(*, dossier: Dossier, user, note: str = "") -> DossierStep:
    """The handler of the current step marks it done; the dossier moves on to the next step's agency
    (a joint procedure hands it over by itself)."""
    from one_stop.constants import DossierState
    from one_stop.services.dossiers import _event

    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if dossier.state not in (DossierState.RECEIVED, DossierState.IN_PROGRESS):
        raise ApplicationError("invalid_transition", _("Chỉ hoàn thành bước với hồ sơ đang giải quyết."), status=409)
    step = dossier_step_current(dossier)
    if step is None:
        raise ApplicationError("no_open_step", _("Hồ sơ không còn bước nào cần xử lý."), status=409)
    if user.agency_id != step.agency_id or step.role not in user.role_names():
        raise ApplicationError("forbidden", _("Bước “%(step)s” do %(role)s của %(agency)s xử lý.") % {
            "step": step.display_name, "role": Role(step.role).label, "agency": step.agency.name}, status=403)
    following = dossier.steps.filter(order__gt=step.order).order_by("order").select_related("agency").first()
    if step_closed_by_transition(dossier, following):
        message = (_("Bước “%(step)s” hoàn thành khi trả kết quả cho người nộp.") if following is None else
                   _("Bước “%(step)s” hoàn thành khi duyệt kết quả (thao tác “Duyệt kết quả”), không hoàn thành riêng."))
        raise ApplicationError("step_closed_by_transition", message % {"step": step.display_name}, status=409)
    now = timezone.now().replace(second=0, microsecond=0)
    from_state = dossier.state
    step.started_at = step.started_at or now
    step.completed_at, step.completed_by = now, user
    step.save(update_fields=["started_at", "completed_at", "completed_by"])
    _hand_on(dossier, now)
    handed = ""
    if following is not None and following.agency_id not in (dossier.handling_agency_id, dossier.receiving_agency_id):
        handed = f" → {following.agency.name}"
        dossier.handling_agency = following.agency
        dossier.save(update_fields=["handling_agency"])
    if dossier.state == DossierState.RECEIVED:
        dossier.start()
        dossier.save(update_fields=["state"])
    # Translated outside the f-string: makemessages does not read calls inside one.
    late = _("quá hạn của bước") if step.due_at is not None and now > step.due_at else ""
    _event(dossier, action="step_complete", from_state=from_state, actor=user,
           note=f"{step.name}{handed}" + (f" ({late})" if late else "") + (f": {note}" if note else ""))
    return step
