"""The dossier's history (DossierEvent, the control sheet): one writer for every change of a dossier — its
transitions, its files, its result's signing — so that each row says the same things: the action, who and for which
agency, when, the state it left and the one it reached, and the clock it left behind (due date, clock start), which
the due-date ledger and the reports read back."""

from django.utils import timezone

from one_stop.models import Dossier, DossierEvent

# The default agency of an event: the actor's (staff act for their agency; a citizen has none).
ACTOR_AGENCY = object()


def dossier_event_add(dossier: Dossier, *, action: str, actor, from_state: str | None = None, agency=ACTOR_AGENCY,
                      note: str = "", at=None) -> DossierEvent:
    """Append an event to `dossier`'s history. `from_state`: the state before the change (default: the current one,
    for an event that changes no state); the state reached is always the dossier's current one."""
    if agency is ACTOR_AGENCY:
        agency = getattr(actor, "agency", None)
    return DossierEvent.objects.create(
        dossier=dossier, action=action, from_state=dossier.state if from_state is None else from_state,
        to_state=dossier.state, actor=actor, agency=agency, at=at or timezone.now(), due_at=dossier.due_at,
        clock_started_at=dossier.clock_started_at, note=note)
