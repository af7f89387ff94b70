"""Demo catalogue: the 25 curated procedures and the national portal's 2,368 raw pages, so search and
lists are tried at a real province's size. Loaded by seed_demo; idempotent by code."""

from pathlib import Path

from one_stop.constants import ProcedureSource
from one_stop.models import Procedure

DATA_DIR = Path(__file__).resolve().parent / "data"
CURATED = DATA_DIR / "procedures.json"
RAW = DATA_DIR / "dichvucong_procedures_raw.jsonl.gz"


def demo_catalogue_seed(*, stdout=print, include_raw: bool | None = None) -> None:
    from django.conf import settings

    from one_stop.management.commands.import_procedures import import_file, render_report

    if include_raw is None:
        include_raw = settings.EGOV_DEMO_RAW_CATALOGUE

    # The raw catalogue comes first so the curated, hand-checked records win where codes overlap.
    if include_raw and not Procedure.objects.filter(source=ProcedureSource.DICHVUCONG).exists():
        report = import_file(path=RAW, file_format="dichvucong")
        stdout("Danh mục từ Cổng Dịch vụ công quốc gia: " + render_report(report).splitlines()[0])
    report = import_file(path=CURATED, file_format="json")
    stdout("Danh mục thủ tục mẫu: " + render_report(report).splitlines()[0])
