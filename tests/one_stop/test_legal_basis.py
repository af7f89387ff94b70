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
