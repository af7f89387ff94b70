from one_stop.models.procedure import Procedure, ProcedureVersion

__all__ = ["Procedure", "ProcedureVersion"]
