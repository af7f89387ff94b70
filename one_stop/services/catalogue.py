"""Writing the procedure catalogue: one procedure at a time, by national code, idempotent."""

from collections import Counter
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from egov.core.text import fold_vietnamese
from one_stop.catalogue.data import ProcedureData
from one_stop.constants import ProcedureSource
from one_stop.models import Procedure, ProcedureVersion


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    new_versions: int = 0
    issues: Counter = field(default_factory=Counter)
    codes_by_issue: dict[str, list[str]] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)  # rows that could not be imported at all, with why
    # Codes a lower-priority source (the raw national pages) did not overwrite.
    kept: list[str] = field(default_factory=list)

    def count(self, outcome: str, versioned: bool, data: ProcedureData) -> None:
        if outcome == "kept":
            self.kept.append(data.code)
            return
        setattr(self, outcome, getattr(self, outcome) + 1)
        self.new_versions += versioned
        for issue in data.issues:
            self.issues[issue] += 1
            self.codes_by_issue.setdefault(issue, []).append(data.code)


def _terms(data: ProcedureData) -> dict:
    """What a dossier is judged by; a change in any of it makes a new version."""
    return {
        "processing_days": None if data.processing_days is None else Decimal(str(data.processing_days)).quantize(Decimal("0.1")),
        "processing_text": data.processing_text,
        "fee_vnd": data.fee_vnd,
        "fee_text": data.fee_text,
        "channels": [asdict(c) for c in data.channels],
        "required_documents": [asdict(d) for d in data.required_documents],
        "steps": list(data.steps),
        "process": [asdict(step) for step in data.process],
        "form": data.form,
    }


def _version_terms(version: ProcedureVersion) -> dict:
    return {
        "processing_days": version.processing_days, "processing_text": version.processing_text,
        "fee_vnd": version.fee_vnd, "fee_text": version.fee_text, "channels": version.channels,
        "required_documents": version.required_documents, "steps": version.steps,
        "process": version.process, "form": version.form,
    }


# A source only overwrites a procedure from a source of the same or lower rank: the raw national
# pages fill gaps but never replace what the province curated or an admin entered.
SOURCE_RANK = {ProcedureSource.DICHVUCONG: 0, ProcedureSource.CSV: 1, ProcedureSource.CURATED: 1, ProcedureSource.ADMIN: 2}


@transaction.atomic
def procedure_upsert(*, data: ProcedureData, effective_from=None) -> tuple[Procedure, str, bool]:
    """Create or update the procedure `data.code`; returns (procedure, outcome, new version made).

    outcome is "created", "updated" or "unchanged". Terms that differ from the latest version become a
    new version effective from `effective_from` (default now); dossiers keep the version they had.
    """
    procedure = Procedure.objects.select_for_update().filter(code=data.code).first()
    if procedure is not None and SOURCE_RANK.get(data.source, 1) < SOURCE_RANK.get(procedure.source, 1):
        return procedure, "kept", False
    outcome = "created" if procedure is None else "unchanged"
    procedure = procedure or Procedure(code=data.code)
    identity = {
        "name": data.name, "field": data.field, "levels": list(data.levels), "agency_text": data.agency,
        # A source that does not state the online level leaves the known one alone.
        "online_level": data.online_level if data.online_level is not None else (procedure.online_level or "none"),
        "result": data.result, "legal_basis": data.legal_basis,
        "conditions": data.conditions, "source": data.source or procedure.source, "source_url": data.source_url[:500],
        "raw": data.raw, "import_issues": list(data.issues),
        "name_folded": fold_vietnamese(f"{data.code} {data.name}"),
        "body_folded": fold_vietnamese(" ".join([data.field, data.agency, data.result, data.legal_basis])),
    }
    changed = [key for key, value in identity.items() if getattr(procedure, key) != value]
    if changed and outcome != "created":
        outcome = "updated"
    for key in changed:
        setattr(procedure, key, identity[key])
    if outcome == "created":
        procedure.save()
    elif changed:
        procedure.save(update_fields=[*changed, "updated_at"])
    terms = _terms(data)
    latest = procedure.versions.order_by("-number").first() if outcome != "created" else None
    # The online form and the internal process are often given by another source than the catalogue
    # (the portal's forms, the province's process): a source that does not state them keeps them.
    for key in ("form", "process"):
        if not terms[key] and latest is not None:
            terms[key] = getattr(latest, key)
    versioned = latest is None or _version_terms(latest) != terms
    if versioned:
        ProcedureVersion.objects.create(procedure=procedure, number=(latest.number + 1) if latest else 1,
                                        effective_from=effective_from or timezone.now(), **terms)
        if outcome == "unchanged":
            outcome = "updated"
    return procedure, outcome, versioned


def procedures_import(*, items, report: ImportReport | None = None) -> ImportReport:
    report = report or ImportReport()
    for data in items:
        _procedure, outcome, versioned = procedure_upsert(data=data)
        report.count(outcome, versioned, data)
    return report
