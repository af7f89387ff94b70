from one_stop.models.dossier import Dossier, DossierCodeCounter, DossierEvent
from one_stop.models.procedure import Procedure, ProcedureVersion

__all__ = ["Dossier", "DossierCodeCounter", "DossierEvent", "Procedure", "ProcedureVersion"]
