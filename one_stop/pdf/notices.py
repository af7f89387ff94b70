"""Form 02 (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ) and form 03 (Phiếu từ chối tiếp nhận, giải quyết hồ sơ)."""

from django.utils import timezone

from egov.core.pdf import render_pdf
from one_stop.constants import DossierState
from one_stop.models import Dossier

FORMS = {
    DossierState.SUPPLEMENT_REQUESTED: ("one_stop/pdf/supplement.html", "request_supplement"),
    DossierState.REFUSED: ("one_stop/pdf/refusal.html", "refuse"),
}


def notice_pdf(*, dossier: Dossier) -> bytes:
    """The notice for the dossier's current state; its reason is the note of the step that caused it."""
    template, action = FORMS[dossier.state]
    event = dossier.events.filter(action=action).select_related("actor").order_by("-at", "-id").first()
    # Every correction was listed at once in the request (one-stop rules): one line of the note each.
    items = [line.strip(" -•\t") for line in dossier.closing_reason.splitlines() if line.strip(" -•\t")]
    return render_pdf(template, {
        "dossier": dossier, "items": items, "issued_at": timezone.localtime(event.at if event else timezone.now()),
        "issued_by": event.actor if event else None,
    })
