import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from egov.core.text import fold_vietnamese
from one_stop.catalogue.project_format import read_project_csv, read_project_json
from one_stop.demo import CURATED
from one_stop.models import Procedure, ProcedureVersion
from one_stop.selectors import procedure_version_current, procedures_search
from one_stop.services.catalogue import procedure_upsert, procedures_import

pytestmark = pytest.mark.django_db


def _curated():
    items, errors = read_project_json(CURATED.read_bytes())
    assert errors == []
    return items


def test_the_curated_catalogue_imports_and_importing_again_changes_nothing():
    first = procedures_import(items=_curated())
    assert (first.created, first.new_versions) == (25, 25)
    again = procedures_import(items=_curated())
    assert (again.created, again.updated, again.unchanged, again.new_versions) == (0, 0, 25, 0)
    birth = Procedure.objects.get(code="1.001193")
    assert birth.name == "Thủ tục đăng ký khai sinh" and birth.field == "Hộ tịch"
    assert procedure_version_current(procedure=birth).fee_vnd == 0


def test_changing_the_time_limit_makes_a_new_version_and_keeps_the_old_one():
    items = _curated()
    procedures_import(items=items)
    procedure = Procedure.objects.get(code=items[0].code)
    old = procedure_version_current(procedure=procedure)
    items[0].processing_days = 7
    later = timezone.now() + timedelta(days=10)
    _procedure, outcome, versioned = procedure_upsert(data=items[0], effective_from=later)
    assert (outcome, versioned) == ("updated", True)
    assert procedure_version_current(procedure=procedure) == old  # not in force yet
    current = procedure_version_current(procedure=procedure, at=later + timedelta(seconds=1))
    assert current.number == old.number + 1 and current.processing_days == 7
    assert ProcedureVersion.objects.filter(procedure=procedure).count() == 2


def test_a_bad_json_row_is_refused_naming_the_row_and_the_field():
    rows = [
        {"code": "1.000001", "name": "Thủ tục A", "processing_days": 5},
        {"code": "", "name": "Thủ tục B"},
        {"code": "1.000003", "name": "Thủ tục C", "fee_vnd": "mười nghìn", "level": "huyen"},
        {"code": "1.000001", "name": "Trùng mã"},
    ]
    items, errors = read_project_json(json.dumps(rows).encode())
    assert [i.code for i in items] == ["1.000001"]
    messages = [str(e) for e in errors]
    assert "dòng 2, trường “code”: bắt buộc" in messages
    assert any(m.startswith("dòng 3, trường “fee_vnd”") for m in messages)
    assert any(m.startswith("dòng 3, trường “level”") for m in messages)
    assert any(m.startswith("dòng 4, trường “code”") and "trùng" in m for m in messages)


def test_a_csv_catalogue_is_read_with_its_documents():
    text = ("code,name,field,level,processing_days,fee_vnd,required_documents\n"
            "2.000001,Cấp giấy phép xây dựng,Xây dựng,province,15,\"150000\",Đơn đề nghị; Bản vẽ thiết kế\n"
            "2.000002,,Xây dựng,province,abc,,\n")
    items, errors = read_project_csv(text.encode())
    assert [(i.code, i.processing_days, i.fee_vnd, len(i.required_documents)) for i in items] == [
        ("2.000001", 15.0, 150000, 2)]
    assert {(e.row, e.field) for e in errors} == {(3, "name"), (3, "processing_days")}


def test_search_ignores_diacritics_and_case_and_ranks_the_name_first():
    procedures_import(items=_curated())
    results = list(procedures_search(query="DANG KY KHAI SINH"))
    assert results and results[0].code == "1.001193"
    assert all(r.rank <= results[-1].rank for r in results)
    assert list(procedures_search(query="đăng ký khai sinh"))[0].code == "1.001193"


def test_search_matches_words_where_they_start_not_inside_other_words():
    """Found by exploratory testing: "kết hôn" listed procedures saying "không" (k-hon-g) among the marriage ones."""
    procedures_import(items=_curated())
    marriage, stray = (Procedure.objects.create(code=code, name=name, name_folded=fold_vietnamese(f"{code} {name}"))
                       for code, name in (("9.000001", "Đăng ký kết hôn"), ("9.000002", "Xác nhận không có án tích")))
    found = {p.code for p in procedures_search(query="kết hôn")}
    assert marriage.code in found and stray.code not in found
    # The last word is a prefix (still being typed); the ones before it are whole words; codes are words too.
    assert marriage.code in {p.code for p in procedures_search(query="ket ho")}
    assert marriage.code not in {p.code for p in procedures_search(query="ke hon")}
    assert [p.code for p in procedures_search(query="9.000002")] == [stray.code]
    assert [p.code for p in procedures_search(query="000002")] == [stray.code]


def test_the_import_command_prints_a_report(capsys, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([{"code": "9.9", "name": "Thủ tục X"}, {"name": "Thiếu mã"}]), encoding="utf-8")
    call_command("import_procedures", str(path))
    out = capsys.readouterr().out
    assert "1 mới" in out and "dòng 2, trường “code”: bắt buộc" in out


def test_the_procedure_api_lists_searches_and_details(client):
    procedures_import(items=_curated())
    listing = client.get("/api/v1/procedures/", {"search": "khai sinh"}).json()
    assert listing["results"][0]["code"] == "1.001193"
    assert set(listing["results"][0]) >= {"code", "name", "field", "processing_days", "fees", "online_level"}
    detail = client.get("/api/v1/procedures/1.001193/").json()
    assert detail["name"] == "Thủ tục đăng ký khai sinh" and detail["required_documents"]
    assert client.get("/api/v1/procedures/0.000000/").status_code == 404


def test_the_procedure_api_filters_by_field_and_online_level_and_searches_without_diacritics(client):
    procedures_import(items=_curated())
    first = client.get("/api/v1/procedures/", {"search": "cap giay phep xay dung"}).json()["results"][0]
    assert first["code"] == "1.013225" and first["name"].startswith("Cấp giấy phép xây dựng")
    civil = client.get("/api/v1/procedures/", {"field": "Hộ tịch", "page_size": 100}).json()["results"]
    assert len(civil) == Procedure.objects.filter(field="Hộ tịch").count() > 1
    assert {row["field"] for row in civil} == {"Hộ tịch"}
    full = client.get("/api/v1/procedures/", {"online_level": "full", "page_size": 100}).json()["results"]
    assert full and {row["online_level"] for row in full} == {"full"}
    assert len(full) == Procedure.objects.filter(online_level="full").count() < Procedure.objects.count()
    both = client.get("/api/v1/procedures/", {"field": "Hộ tịch", "search": "khai sinh"}).json()["results"]
    assert both[0]["code"] == "1.001193" and {row["field"] for row in both} == {"Hộ tịch"}


def test_the_procedure_list_costs_the_same_queries_at_any_size(client):
    items = _curated()
    counts = []
    for size in (3, 25):
        procedures_import(items=items[:size])
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/procedures/", {"page_size": 50}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_bundled_data_is_the_shared_data():
    shared = Path(__file__).resolve().parents[3] / "shared" / "data" / "procedures.json"
    if shared.exists():
        assert json.loads(shared.read_text(encoding="utf-8")) == json.loads(CURATED.read_text(encoding="utf-8"))


def test_raw_portal_pages_import_idempotently_with_a_report_of_what_was_kept_as_text(tmp_path, capsys):
    import gzip

    from one_stop.demo import RAW

    with gzip.open(RAW, "rt", encoding="utf-8") as source:
        lines = [next(source) for _ in range(60)]
    sample = tmp_path / "sample.jsonl"
    sample.write_text("".join(lines) + "{not json}\n", encoding="utf-8")
    call_command("import_procedures", str(sample))
    first = capsys.readouterr().out
    assert "60 mới" in first and "1 dòng bị từ chối" in first and "dòng 61" in first
    assert "Nội dung chưa phân tích được" in first
    call_command("import_procedures", str(sample))
    assert "60 không đổi" in capsys.readouterr().out
    assert Procedure.objects.filter(source="dichvucong").count() == 60


def test_the_one_stop_admin_pages_open(client):
    from django.urls import reverse

    from tests.factories import login_verified_superuser

    procedures_import(items=_curated())
    login_verified_superuser(client)
    for name in ["procedure", "dossier", "dossierrating"]:
        assert client.get(reverse(f"admin:one_stop_{name}_changelist"), {"q": "khai sinh"}).status_code == 200, name
    procedure = Procedure.objects.get(code="1.001193")
    assert client.get(reverse("admin:one_stop_procedure_change", args=[procedure.pk])).status_code == 200


def test_the_internal_process_is_validated_naming_the_row_and_the_step():
    rows = [
        {"code": "1.000010", "name": "Thủ tục liên thông", "processing_days": 10, "process": [
            {"name": "Tiếp nhận", "role": "one_stop_clerk", "agency": "receiving", "days": 0},
            {"name": "Thẩm định", "role": "specialist", "days": 6},
            {"name": "Thuế", "role": "specialist", "agency": "000.00.31.H41", "days": 4}]},
        {"code": "1.000011", "name": "Thủ tục sai", "processing_days": 5, "process": [
            {"name": "Thẩm định", "role": "thu_ky", "days": 4}, {"name": "Ký", "role": "leader", "agency": "sở", "days": 3}]},
        {"code": "1.000012", "name": "Biểu mẫu sai", "form": ["không phải đối tượng"]},
    ]
    items, errors = read_project_json(json.dumps(rows, ensure_ascii=False).encode())
    assert [i.code for i in items] == ["1.000010"]
    assert [s.agency for s in items[0].process] == ["receiving", "competent", "000.00.31.H41"]
    messages = [str(e) for e in errors]
    assert any(m.startswith("dòng 2, trường “process[1].role”") for m in messages)
    assert any(m.startswith("dòng 2, trường “process[2].agency”") for m in messages)
    assert any(m.startswith("dòng 2, trường “process”") and "vượt thời hạn" in m for m in messages)
    assert any(m.startswith("dòng 3, trường “form”") for m in messages)
    procedures_import(items=items)
    version = procedure_version_current(procedure=Procedure.objects.get(code="1.000010"))
    assert [step["agency"] for step in version.process] == ["receiving", "competent", "000.00.31.H41"]


def test_a_raw_record_imported_later_never_overwrites_a_curated_one(tmp_path, capsys):
    import gzip

    from one_stop.demo import RAW

    procedures_import(items=_curated())
    curated = {p.code: (p.name, p.source) for p in Procedure.objects.all()}
    with gzip.open(RAW, "rt", encoding="utf-8") as source:
        raw_lines = [line for line in source if json.loads(line)["ma_thu_tuc"] in curated]
    assert raw_lines, "the raw catalogue shares codes with the curated one"
    sample = tmp_path / "overlap.jsonl"
    sample.write_text("".join(raw_lines), encoding="utf-8")
    call_command("import_procedures", str(sample))
    out = capsys.readouterr().out
    assert f"Giữ nguyên {len(raw_lines)} thủ tục" in out
    assert {p.code: (p.name, p.source) for p in Procedure.objects.all()} == curated


def test_a_source_that_does_not_state_the_form_process_or_online_level_keeps_them():
    from one_stop.catalogue.data import ProcedureData, ProcessStep

    form = {"version": 1, "sections": []}
    procedure, *_ = procedure_upsert(data=ProcedureData(
        code="1.000030", name="Thủ tục A", processing_days=5, online_level="partial", form=form, source="curated",
        process=[ProcessStep(name="Thẩm định", role="specialist", days=5)]))
    _procedure, outcome, versioned = procedure_upsert(data=ProcedureData(code="1.000030", name="Thủ tục A",
                                                                          processing_days=5, source="curated"))
    procedure.refresh_from_db()
    assert (outcome, versioned) == ("unchanged", False) and procedure.online_level == "partial"
    current = procedure_version_current(procedure=procedure)
    assert current.form == form and current.process[0]["name"] == "Thẩm định"
    procedure_upsert(data=ProcedureData(code="1.000030", name="Thủ tục A", processing_days=5, online_level="none",
                                        source="curated"))
    procedure.refresh_from_db()
    assert procedure.online_level == "none"  # stated, so it changes


@pytest.mark.parametrize(("text", "days", "by_channel"), [
    ("3 Ngày làm việc (Trực tuyến, Dịch vụ bưu chính, Trực tiếp)", 3.0, {"counter": 3.0, "online": 3.0, "post": 3.0}),
    ("Trực tuyến: 17 Ngày làm việc; Dịch vụ bưu chính: 20 Ngày làm việc; Trực tiếp: 27 Ngày làm việc", 27.0,
     {"counter": 27.0, "online": 17.0, "post": 20.0}),
    ("1 (Trực tuyến, Dịch vụ bưu chính, Trực tiếp)", None, {"counter": None}),  # no unit: the desk gives the limit
    ("10 Ngày (Trực tiếp)", None, {"counter": None}),  # calendar days are not working days
])
def test_a_curated_time_limit_stated_only_in_words_is_read_in_working_days(text, days, by_channel):
    """Found by exploratory testing: 14 of the curated procedures state their limit only in words, so every receipt
    asked the clerk for one, and the link to the national portal pointed at the crawler's file on GitHub."""
    items, errors = read_project_json(json.dumps([{
        "code": "1.000001", "name": "Thủ tục thử", "processing_time_text": text,
        "source": "https://github.com/x/1.000001.json (crawled from https://dichvucong.gov.vn/thu-tuc-hanh-chinh/0a1b)"}
    ]).encode())
    assert errors == []
    (data,) = items
    assert data.processing_days == days and {c.channel: c.processing_days for c in data.channels} == by_channel
    assert data.processing_text == text and data.source_url == "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/0a1b"


def test_a_field_or_agency_written_two_ways_is_offered_once_and_filters_both(client):
    """Found by exploratory testing: "Cấp, quản lý căn cước" in composed and combining-mark forms, "Công An Tỉnh" and
    "Công an tỉnh", each listed twice, each choice hiding the other's procedures."""
    import unicodedata

    from one_stop.catalogue.data import ProcedureData
    from one_stop.selectors import procedure_fields
    from public_services.selectors import catalogue_agencies

    decomposed = unicodedata.normalize("NFD", "Cấp, quản lý căn cước")
    for code, field, agency in (("2.000001", decomposed, "Công An Tỉnh"), ("2.000002", "Cấp, quản lý căn cước",
                                                                          "Công an tỉnh"),
                                ("2.000003", "Cấp, quản lý căn cước", "Công an tỉnh")):
        procedure_upsert(data=ProcedureData(code=code, name=f"Thủ tục {code}", field=field, agency=agency,
                                            processing_days=5))
    assert procedure_fields() == ["Cấp, quản lý căn cước"]
    assert catalogue_agencies() == ["Công an tỉnh"]  # the spelling most procedures use
    page = client.get("/dich-vu-cong/", {"co_quan": "Công an tỉnh"}).content.decode()
    assert all(f"Thủ tục {code}" in page for code in ("2.000001", "2.000002", "2.000003"))


def test_a_curated_fee_stated_per_channel_in_words_is_each_channels_fee():
    """Found by exploratory testing: an online dossier paid the counter's fee where the words say online is cheaper."""
    from one_stop.services.dossiers import version_fee_for

    text = ("Trực tuyến: 10,000 Việt Nam Đồng (Trường hợp công dân nộp hồ sơ qua cổng dịch vụ công trực tuyến thu 10.000 "
            "đồng/lần đăng ký.); Trực tiếp: 20,000 Việt Nam Đồng (miễn cho người có công)")
    items, errors = read_project_json(json.dumps([
        {"code": "1.004222", "name": "Đăng ký thường trú", "processing_days": 7, "fee_vnd": 20000, "fee_text": text},
        # A note naming another amount (a re-issue's) leaves that channel's fee unstated: the counter's applies.
        {"code": "1.001456", "name": "Cấp hộ chiếu", "processing_days": 8, "fee_vnd": 200000, "fee_text":
         "Trực tuyến: 160,000 Việt Nam Đồng (cấp lại do bị mất: 320.000đ/hộ chiếu); Trực tiếp: 200,000 Việt Nam Đồng"},
    ]).encode())
    assert errors == []
    assert [{c.channel: c.fee_vnd for c in data.channels} for data in items] == [
        {"counter": 20000, "online": 10000}, {"counter": 200000}]
    residence = procedure_upsert(data=items[0])[0]
    version = procedure_version_current(procedure=residence)
    assert (version_fee_for(version, "online"), version_fee_for(version, "counter"), version_fee_for(version, "post")) == (
        10000, 20000, 20000)
