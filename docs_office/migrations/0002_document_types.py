"""The types of administrative documents and their abbreviations (Decree 30/2020/NĐ-CP, appendix III).

Data, not code: every database gets them, production included; an admin may add more later.
"""

from django.db import migrations

# (code, name, abbreviation); công văn and thư công have no abbreviation in the appendix.
DOCUMENT_TYPES = [
    ("nghi-quyet", "Nghị quyết", "NQ"),
    ("quyet-dinh", "Quyết định", "QĐ"),
    ("chi-thi", "Chỉ thị", "CT"),
    ("quy-che", "Quy chế", "QC"),
    ("quy-dinh", "Quy định", "QyĐ"),
    ("thong-cao", "Thông cáo", "TC"),
    ("thong-bao", "Thông báo", "TB"),
    ("huong-dan", "Hướng dẫn", "HD"),
    ("chuong-trinh", "Chương trình", "CTr"),
    ("ke-hoach", "Kế hoạch", "KH"),
    ("phuong-an", "Phương án", "PA"),
    ("de-an", "Đề án", "ĐA"),
    ("du-an", "Dự án", "DA"),
    ("bao-cao", "Báo cáo", "BC"),
    ("bien-ban", "Biên bản", "BB"),
    ("to-trinh", "Tờ trình", "TTr"),
    ("hop-dong", "Hợp đồng", "HĐ"),
    ("cong-van", "Công văn", ""),
    ("cong-dien", "Công điện", "CĐ"),
    ("ban-ghi-nho", "Bản ghi nhớ", "BGN"),
    ("ban-thoa-thuan", "Bản thỏa thuận", "BTT"),
    ("giay-uy-quyen", "Giấy ủy quyền", "GUQ"),
    ("giay-moi", "Giấy mời", "GM"),
    ("giay-gioi-thieu", "Giấy giới thiệu", "GGT"),
    ("giay-nghi-phep", "Giấy nghỉ phép", "GNP"),
    ("phieu-gui", "Phiếu gửi", "PG"),
    ("phieu-chuyen", "Phiếu chuyển", "PC"),
    ("phieu-bao", "Phiếu báo", "PB"),
    ("thu-cong", "Thư công", ""),
]


def load(apps, schema_editor):
    DocumentType = apps.get_model("docs_office", "DocumentType")
    for ordering, (code, name, abbreviation) in enumerate(DOCUMENT_TYPES, start=1):
        DocumentType.objects.update_or_create(code=code, defaults={"name": name, "abbreviation": abbreviation,
                                                                   "ordering": ordering})


def unload(apps, schema_editor):
    apps.get_model("docs_office", "DocumentType").objects.filter(code__in=[c for c, _n, _a in DOCUMENT_TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("docs_office", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
