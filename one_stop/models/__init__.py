from one_stop.models.dossier import Dossier, DossierCodeCounter, DossierEvent, DossierRating
from one_stop.models.procedure import Procedure, ProcedureVersion

__all__ = ["Dossier", "DossierCodeCounter", "DossierEvent", "DossierRating", "Procedure", "ProcedureVersion"]
