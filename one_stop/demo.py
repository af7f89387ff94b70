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
    demo_form_templates_seed(stdout=stdout)


# (procedure code, the form name its required documents give, the form's title): blank forms the demo publishes,
# generated here as small Word files so the catalogue, the online form and the counter link a real download.
DEMO_FORM_TEMPLATES = [
    ("1.014061", "Mẫu DC01 Phiếu thu thập thông tin dân cư.docx", "PHIẾU THU THẬP THÔNG TIN DÂN CƯ (Mẫu DC01)"),
    ("1.000703", "TK 1.000703.docx", "GIẤY ĐỀ NGHỊ CẤP GIẤY PHÉP KINH DOANH"),
    ("1.008004", "Phụ lục IV-NĐ 112.docx", "BẢN ĐĂNG KÝ CHUYỂN ĐỔI CƠ CẤU CÂY TRỒNG, VẬT NUÔI TRÊN ĐẤT TRỒNG LÚA"),
]


def demo_docx(*, title: str, lines: list[str]) -> bytes:
    """A minimal Word document (the three parts Word needs) with a centred bold title and dotted lines to fill in."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    def paragraph(text: str, *, title: bool = False) -> str:
        props = '<w:pPr><w:jc w:val="center"/></w:pPr>' if title else ""
        run_props = "<w:rPr><w:b/></w:rPr>" if title else ""
        return f'<w:p>{props}<w:r>{run_props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'

    body = "".join([paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", title=True),
                    paragraph("Độc lập - Tự do - Hạnh phúc", title=True), paragraph(title, title=True),
                    *(paragraph(line) for line in lines)])
    word = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="word/document.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'),
        "word/document.xml": (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                              f'<w:document xmlns:w="{word}"><w:body>{body}</w:body></w:document>'),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def demo_form_templates_seed(*, stdout=print) -> int:
    """Publish the demo's blank forms once (idempotent by procedure and form name); returns how many were added."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from one_stop.models import ProcedureFormTemplate
    from one_stop.services.form_templates import procedure_form_names, procedure_form_template_upload

    added = 0
    for code, name, title in DEMO_FORM_TEMPLATES:
        procedure = Procedure.objects.filter(code=code).first()
        if procedure is None or ProcedureFormTemplate.objects.filter(procedure=procedure, name=name).exists():
            continue
        if name not in procedure_form_names(procedure=procedure):
            continue
        content = demo_docx(title=title, lines=["Họ, chữ đệm và tên: ....................................................",
                                                "Số định danh cá nhân: ..................................................",
                                                "Nơi cư trú: ............................................................",
                                                "Ngày ...... tháng ...... năm ......", "Người khai (ký, ghi rõ họ tên)"])
        procedure_form_template_upload(procedure=procedure, name=name, by=None, upload=SimpleUploadedFile(
            name, content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
        added += 1
    if added:
        stdout(f"Mẫu đơn, tờ khai mẫu: {added}")
    return added


# (procedure code, applicant name, ID number or tax code, phone, address, handling department's short name or None for
# the centre itself): procedures whose catalogue entry states the time limit, so no one has to type it in.
DEMO_COUNTER_DOSSIERS = [
    ("1.014199", "Nguyễn Văn An", "020090001111", "0912000111", "Phường Đông Kinh, tỉnh Lạng Sơn", "SNV"),
    ("1.000703", "Trần Thị Bình", "020185002222", "0913000222", "Phường Tam Thanh, tỉnh Lạng Sơn", "SXD"),
    ("1.001612", "Hoàng Văn Cường", "020078003333", "0914000333", "Xã Cao Lộc, tỉnh Lạng Sơn", None),
    ("2.001610", "Công ty TNHH Thương mại Hoa Mai", "4900123467", "02053812345", "Phường Lương Văn Tri, tỉnh Lạng Sơn",
     None),
    ("1.014199", "Lương Thị Dung", "020195004444", "0915000444", "Xã Đồng Đăng, tỉnh Lạng Sơn", "SNV"),
]
DEMO_ONLINE_PROCEDURE = "1.001456"


def demo_dossiers_seed(*, stdout=print) -> int:
    """A few dossiers, so the demo's queues show something: received at the provincial service centre's counter by
    demo_clerk (work permits handled by Sở Nội vụ, transport licences by Sở Xây dựng, the rest by the centre), and one
    submitted online
    by the demo citizen, waiting in the desk's inbox. Through the services a clerk's and a citizen's clicks use
    (codes, due dates, control sheets, receipts). Nothing when the centre already has dossiers: re-running
    seed_demo adds none."""
    from django.db import transaction

    from egov.accounts.models import User
    from egov.agencies.models import Agency, AgencyKind
    from one_stop.constants import ApplicantKind
    from one_stop.models import Dossier
    from one_stop.selectors import procedure_version_current
    from one_stop.services.dossiers import ApplicantData, dossier_receive_at_counter, dossier_submit_online

    clerk = User.objects.filter(username="demo_clerk").select_related("agency").first()
    citizen = User.objects.filter(username="demo_citizen").first()
    if clerk is None or clerk.agency_id is None or Dossier.objects.filter(receiving_agency=clerk.agency).exists():
        return 0
    departments = {a.short_name: a for a in Agency.objects.filter(kind=AgencyKind.DEPARTMENT)}
    procedures = {p.code: p for p in Procedure.objects.filter(
        code__in=[row[0] for row in DEMO_COUNTER_DOSSIERS] + [DEMO_ONLINE_PROCEDURE], is_active=True)
        if procedure_version_current(procedure=p) is not None}
    created = 0
    with transaction.atomic():
        for code, name, number, phone, address, department in DEMO_COUNTER_DOSSIERS:
            if code not in procedures:
                continue
            kind = ApplicantKind.ORGANISATION if number.isdigit() and len(number) == 10 else ApplicantKind.PERSON
            dossier_receive_at_counter(
                clerk=clerk, procedure=procedures[code], handling_agency=departments.get(department),
                applicant=ApplicantData(full_name=name, id_number=number, phone=phone, address=address, kind=kind))
            created += 1
        if citizen is not None and DEMO_ONLINE_PROCEDURE in procedures:
            dossier_submit_online(citizen=citizen, procedure=procedures[DEMO_ONLINE_PROCEDURE],
                                  handling_agency=clerk.agency)
            created += 1
    stdout(f"Hồ sơ mẫu: {created} (tiếp nhận tại quầy và nộp trực tuyến)")
    return created
