"""The curated catalogue lists a procedure's legal bases as a JSON list: they read one a line, not as Python writes a
list ("['Quy định … (158/2024/NĐ-CP)', …]" on 22 procedure pages)."""

import json

import pytest

from one_stop.catalogue.project_format import read_project_json
from one_stop.demo import CURATED

pytestmark = pytest.mark.django_db


def test_legal_bases_read_one_a_line():
    row = {"code": "1.000703", "name": "Cấp giấy phép kinh doanh vận tải", "field": "Đường bộ", "processing_days": 5,
           "legal_basis": ["Luật Đường bộ 2024", "Nghị định 158/2024/NĐ-CP"]}
    items, errors = read_project_json(json.dumps([row]).encode())
    assert errors == [] and items[0].legal_basis == "Luật Đường bộ 2024\nNghị định 158/2024/NĐ-CP"


def test_no_curated_procedure_reads_as_a_python_list():
    items, errors = read_project_json(CURATED.read_bytes())
    assert errors == [] and not [item.code for item in items if item.legal_basis.startswith("[")]


# The national portal's legal-basis table: each row's name cell and number cell run into the next row's.
# Real text of 1.002099 (Đăng ký hoạt động của chi nhánh của tổ chức hành nghề luật sư), shortened.
LAWYERS_BRANCH = (
    "Tên văn bản pháp lýMã văn bản"
    "Thông tư số 05/2021/TT-BTP ngày 24/6/2021 của Bộ Tư pháp hướng dẫn một số điều và biện pháp thi hành Luật Luật sư"
    "05/2021/TT-BTP"
    "Thông tư quy định mức thu, miễn một số khoản phí, lệ phí nhằm hỗ trợ cho doanh nghiệp, người dân64/2025/TT-BTC"
    "Thông tư số 47/2019/TT-BTC ngày 05/8/2019 của Bộ trưởng Bộ Tài chính quy định mức thu, chế độ thu, nộp, quản lý và"
    " sử dụng phí cung cấp thông tin doanh nghiệp, lệ phí đăng ký doanh nghiệpThông tư số 47/2019/TT-BTC"
    "quy định chi tiết một số điều và biện pháp thi hành Luật Luật sưNghị định số 123/2013/NĐ-CP"
    "Luật 20/2012/QH1320/2012/QH13"
    "Luật 65/2006/QH1165/2006/QH11"
    "Nghị quyết của Chính phủ quy định cắt giảm, đơn giản hóa thủ tục hành chính66.16/2026/NQ-CP"
)


def test_portal_legal_basis_has_no_number_glued_to_a_name_nor_a_line_cut_inside_a_number():
    from one_stop.catalogue.dichvucong import parse_legal_basis

    assert parse_legal_basis(LAWYERS_BRANCH).splitlines() == [
        "Thông tư số 05/2021/TT-BTP ngày 24/6/2021 của Bộ Tư pháp hướng dẫn một số điều và biện pháp thi hành Luật Luật"
        " sư",
        "Thông tư quy định mức thu, miễn một số khoản phí, lệ phí nhằm hỗ trợ cho doanh nghiệp, người dân"
        " (64/2025/TT-BTC)",
        "Thông tư số 47/2019/TT-BTC ngày 05/8/2019 của Bộ trưởng Bộ Tài chính quy định mức thu, chế độ thu, nộp, quản lý"
        " và sử dụng phí cung cấp thông tin doanh nghiệp, lệ phí đăng ký doanh nghiệp",
        "quy định chi tiết một số điều và biện pháp thi hành Luật Luật sư (Nghị định số 123/2013/NĐ-CP)",
        "Luật 20/2012/QH13",
        "Luật 65/2006/QH11",
        "Nghị quyết của Chính phủ quy định cắt giảm, đơn giản hóa thủ tục hành chính (66.16/2026/NQ-CP)",
    ]


@pytest.mark.parametrize(("text", "lines"), [
    # 1.004222: a date glued to the number inside a name; a heading in capitals glued to the next number.
    ("Thông tư số 53/2025/TT-BCAngày 01/7/2025 của Bộ Công an53/2025/TT-BCAThông tư 56/2021/TT-BCA56/2021/TT-BCA"
     "SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA CÁC NGHỊ ĐỊNH58/2026/NĐ-CP",
     ["Thông tư số 53/2025/TT-BCA ngày 01/7/2025 của Bộ Công an", "Thông tư 56/2021/TT-BCA",
      "SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA CÁC NGHỊ ĐỊNH (58/2026/NĐ-CP)"]),
    # A year ending the name, then the number: "2020" + "68/2020/QH14"; a capital word after a symbol ("…BCA" + "Luật").
    ("Hướng dẫn xử lý khiếu nại68/2013/TT-BCALuật Cư trú 202068/2020/QH14Luật Khiếu nại năm 201102/2011/QH13",
     ["Hướng dẫn xử lý khiếu nại (68/2013/TT-BCA)", "Luật Cư trú 2020 (68/2020/QH14)",
      "Luật Khiếu nại năm 2011 (02/2011/QH13)"]),
    # 1.014232: rows whose name is only the number.
    ("Luật Địa chất và Khoáng sản54/2024/QH15193/2025/NĐ-CP193/2025/NĐ-CP40/2025/TT-BNNMT40/2025/TT-BNNMT",
     ["Luật Địa chất và Khoáng sản (54/2024/QH15)", "193/2025/NĐ-CP", "40/2025/TT-BNNMT"]),
    # 1.001321: a joint circular's symbol, then "Về …".
    ("Quy định chế độ09/2015/TTLT-BCA-BYT-BTCVề việc quy định mức thu12/2020/TT-BTC",
     ["Quy định chế độ (09/2015/TTLT-BCA-BYT-BTC)", "Về việc quy định mức thu (12/2020/TT-BTC)"]),
])
def test_portal_legal_basis_rows_from_the_crawl(text, lines):
    from one_stop.catalogue.dichvucong import parse_legal_basis

    assert parse_legal_basis(text).splitlines() == lines


def test_reimport_corrects_the_legal_basis_of_a_procedure_whose_terms_did_not_change():
    from one_stop.catalogue.data import ProcedureData
    from one_stop.models import Procedure
    from one_stop.services.catalogue import procedures_import

    stored = ProcedureData(code="1.002099", name="Đăng ký hoạt động của chi nhánh", source="dichvucong",
                           processing_days=5, legal_basis="Luật 20/2012/QH1320/2012/QH13")
    procedures_import(items=[stored])
    fixed = ProcedureData(**{**stored.__dict__, "legal_basis": "Luật 20/2012/QH13"})

    report = procedures_import(items=[fixed])

    procedure = Procedure.objects.get(code="1.002099")
    assert (report.updated, report.new_versions) == (1, 0)
    assert procedure.legal_basis == "Luật 20/2012/QH13" and procedure.versions.count() == 1
