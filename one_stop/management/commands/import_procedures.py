from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from one_stop.catalogue.project_format import read_project_csv, read_project_json
from one_stop.services.catalogue import ImportReport, procedures_import

FORMATS = ("auto", "json", "csv", "dichvucong")


def detect_format(path: Path) -> str:
    name = path.name.lower()
    if name.endswith((".jsonl", ".jsonl.gz")):
        return "dichvucong"
    if name.endswith(".csv"):
        return "csv"
    return "json"


class Command(BaseCommand):
    help = ("Import administrative procedures, idempotent by national code: the project's JSON or CSV format, "
            "or the National Public Service Portal's raw pages (.jsonl/.jsonl.gz). Prints what could not be parsed.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=FORMATS, default="auto")
        parser.add_argument("--effective-from", metavar="YYYY-MM-DD", default=None,
                            help="The day changed terms take effect (new versions); default: now. Dossiers already "
                                 "received keep their version.")
        parser.add_argument("--allow-past", action="store_true",
                            help="Accept an --effective-from day already past (a decision already in force).")

    def handle(self, *args, file: Path, format: str, effective_from: str | None, allow_past: bool, **options):
        from datetime import date

        from django.utils import timezone

        from one_stop.services.catalogue import procedure_effective_at

        if not file.exists():
            raise CommandError(f"Không tìm thấy tệp {file}")
        at = None
        if effective_from is not None:
            try:
                day = date.fromisoformat(effective_from.strip())
            except ValueError:
                raise CommandError(f"--effective-from “{effective_from}” không phải ngày dạng YYYY-MM-DD (ví dụ 2027-01-01).")
            if day < timezone.localdate() and not allow_past:
                raise CommandError(f"Ngày áp dụng {day:%d/%m/%Y} đã qua: chọn từ hôm nay trở đi, hoặc thêm --allow-past.")
            at = procedure_effective_at(day=day, allow_past=True)
        report = import_file(path=file, file_format=format, effective_from=at)
        self.stdout.write(render_report(report))
        if report.rejected and not (report.created or report.updated or report.unchanged):
            raise CommandError("Không nhập được thủ tục nào.")


def import_file(*, path: Path, file_format: str = "auto", effective_from=None) -> ImportReport:
    file_format = detect_format(path) if file_format == "auto" else file_format
    report = ImportReport()
    if file_format == "dichvucong":
        from one_stop.catalogue.dichvucong import read_dichvucong_file

        items, rejected = read_dichvucong_file(path)
        report.rejected = [f"dòng {line}: {reason}" for line, reason in rejected]
    else:
        reader = read_project_csv if file_format == "csv" else read_project_json
        items, errors = reader(path.read_bytes())
        report.rejected = [str(e) for e in errors]
    return procedures_import(items=items, report=report, effective_from=effective_from)


def render_report(report: ImportReport) -> str:
    lines = [f"Thủ tục: {report.created} mới, {report.updated} cập nhật, {report.unchanged} không đổi; "
             f"{report.new_versions} phiên bản mới; {len(report.rejected)} dòng bị từ chối."]
    if report.kept:
        lines.append(f"Giữ nguyên {len(report.kept)} thủ tục đã có từ nguồn ưu tiên hơn (không ghi đè): "
                     + ", ".join(report.kept[:20]) + (" …" if len(report.kept) > 20 else ""))
    for reason in report.rejected:
        lines.append(f"  Từ chối — {reason}")
    if report.issues:
        lines.append("Nội dung chưa phân tích được (giữ nguyên văn), theo loại:")
        for issue, count in report.issues.most_common():
            codes = report.codes_by_issue[issue]
            sample = ", ".join(codes[:5]) + (" …" if len(codes) > 5 else "")
            lines.append(f"  {issue}: {count} thủ tục ({sample})")
    return "\n".join(lines)
