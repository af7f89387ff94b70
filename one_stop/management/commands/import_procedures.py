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

    def handle(self, *args, file: Path, format: str, **options):
        if not file.exists():
            raise CommandError(f"Không tìm thấy tệp {file}")
        report = import_file(path=file, file_format=format)
        self.stdout.write(render_report(report))
        if report.rejected and not (report.created or report.updated or report.unchanged):
            raise CommandError("Không nhập được thủ tục nào.")


def import_file(*, path: Path, file_format: str = "auto") -> ImportReport:
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
    return procedures_import(items=items, report=report)


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
