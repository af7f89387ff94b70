from one_stop.models.dossier import (
    Dossier,
    DossierCodeCounter,
    DossierDocument,
    DossierEvent,
    DossierRating,
    DossierReceipt,
    DossierStep,
)
from one_stop.models.procedure import Procedure, ProcedureFormTemplate, ProcedureVersion
from one_stop.models.queue import QueueChange

__all__ = ["Dossier", "DossierCodeCounter", "DossierDocument", "DossierEvent", "DossierRating", "DossierReceipt", "DossierStep",
           "Procedure", "ProcedureFormTemplate", "ProcedureVersion", "QueueChange"]
