import copy
import datetime as dt
import json

import pytest
from django.http import QueryDict

from public_services.demo_forms import BIRTH_REGISTRATION as BIRTH
from public_services.demo_forms import DEMO_FORMS
from public_services.forms.engine import form_clean, prefilled_names, uploads_missing
from public_services.forms.html import form_bind, form_data_from_post
from public_services.forms.schema import form_schema_errors

PROFILE = {"full_name": "Đặng Văn Công", "id_number": "020095001234", "phone": "0912345678",
           "email": "cong@example.vn", "address": "", "birth_date": "", "gender": ""}
ANSWERS = {"dia_chi": "Phường Đông Kinh, Lạng Sơn", "quan_he": "cha", "ho_ten_tre": "Đặng Minh An",
           "ngay_sinh": "2026-11-01", "gioi_tinh": "nam", "noi_sinh": "Bệnh viện Đa khoa tỉnh",
           "ho_ten_me": "Vi Thị Mai", "so_dinh_danh_me": "020195004321"}


@pytest.mark.parametrize("code", sorted(DEMO_FORMS))
def test_every_demo_form_is_a_valid_schema(code):
    assert form_schema_errors(DEMO_FORMS[code][0]) == []


@pytest.mark.parametrize(("change", "where"), [
    (lambda s: s["sections"][0]["fields"][0].update(type="signature"), "sections[0].fields[0].type"),
    (lambda s: s["sections"][0]["fields"][1].update(name="ho_ten"), "sections[0].fields[1].name"),
    (lambda s: s["sections"][1]["fields"][0].update(options=[]), "sections[1].fields[0].options"),
    (lambda s: s["sections"][1]["fields"][1].update(show_if={"field": "ngay_sinh", "equals": "x"}),
     "sections[1].fields[1].show_if.field"),
    (lambda s: s["sections"][1]["fields"][1].update(show_if={"field": "quan_he", "matches": "x"}),
     "sections[1].fields[1].show_if"),
    (lambda s: s["sections"][1]["fields"][1].update(show_if={"any": []}), "sections[1].fields[1].show_if.any"),
    (lambda s: s["uploads"][0].update(accept=["exe"]), "uploads[0].accept"),
    (lambda s: s["uploads"][0].update(max_files=0), "uploads[0].max_files"),
    (lambda s: s["sections"][0]["fields"][0].update(prefill="salary"), "sections[0].fields[0].prefill"),
    (lambda s: s["sections"][2]["fields"][5]["fields"].append({"name": "g", "type": "group", "label": "G",
                                                                "fields": [{"name": "x", "type": "text", "label": "X"}]}),
     "sections[2].fields[5].fields[2].type"),
    (lambda s: s.update(sections=[]), "form.sections"),
])
def test_a_broken_schema_is_refused_naming_the_place(change, where):
    schema = copy.deepcopy(BIRTH)
    change(schema)
    errors = form_schema_errors(schema)
    assert any(e.startswith(where + ":") for e in errors), errors


def test_a_schema_that_is_not_an_object_is_refused():
    assert form_schema_errors(["x"]) and form_schema_errors(None)


def test_complete_answers_validate_with_the_profile_filling_the_person():
    result = form_clean(BIRTH, ANSWERS, profile=PROFILE)
    assert result.errors == {}
    assert result.values["ho_ten"] == "Đặng Văn Công"
    assert result.values["so_dinh_danh"] == "020095001234"
    assert [u["name"] for u in result.uploads] == ["giay_chung_sinh"]


def test_an_id_number_typed_in_full_width_digits_is_read_as_ascii():
    result = form_clean(BIRTH, {**ANSWERS, "so_dinh_danh_me": "０２０１９５００４３２１"}, profile=PROFILE)
    assert "so_dinh_danh_me" not in result.errors
    assert result.values["so_dinh_danh_me"] == "020195004321"


def test_the_profile_wins_over_a_typed_value_so_it_is_never_asked_twice():
    result = form_clean(BIRTH, {**ANSWERS, "ho_ten": "Người Khác"}, profile=PROFILE)
    assert result.values["ho_ten"] == "Đặng Văn Công"
    assert prefilled_names(BIRTH, PROFILE) == {"ho_ten", "so_dinh_danh", "dien_thoai", "email"}


def test_missing_and_wrong_answers_are_reported_per_field_in_vietnamese():
    answers = {**ANSWERS, "ngay_sinh": "2026-13-40", "so_dinh_danh_me": "12345", "gioi_tinh": "khac"}
    del answers["ho_ten_tre"]
    result = form_clean(BIRTH, answers, profile=PROFILE)
    assert result.errors == {
        "ho_ten_tre": ["Bắt buộc."],
        "ngay_sinh": ["Ngày không hợp lệ (định dạng năm-tháng-ngày)."],
        "gioi_tinh": ["Chọn một giá trị trong danh sách."],
        "so_dinh_danh_me": ["Số định danh cá nhân phải gồm đúng 12 chữ số."],
    }


def test_a_future_birth_date_is_refused():
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert "ngay_sinh" in form_clean(BIRTH, {**ANSWERS, "ngay_sinh": tomorrow}, profile=PROFILE).errors


def test_a_conditional_field_is_required_only_when_shown_and_dropped_when_hidden():
    shown = form_clean(BIRTH, {**ANSWERS, "quan_he": "uy_quyen"}, profile=PROFILE)
    assert shown.errors == {"ten_nguoi_uy_quyen": ["Bắt buộc."]}
    assert [u["name"] for u in shown.uploads] == ["giay_chung_sinh", "van_ban_uy_quyen"]

    hidden = form_clean(BIRTH, {**ANSWERS, "ten_nguoi_uy_quyen": "stale answer"}, profile=PROFILE)
    assert hidden.errors == {}
    assert "ten_nguoi_uy_quyen" not in hidden.values


def test_a_repeatable_group_validates_each_item_by_path():
    answers = {**ANSWERS, "sinh_doi": True,
               "anh_chi_em_sinh_cung": [{"ho_ten": "Đặng Minh Bình", "thu_tu": "2"}, {"ho_ten": "", "thu_tu": "9"}]}
    result = form_clean(BIRTH, answers, profile=PROFILE)
    assert result.errors == {"anh_chi_em_sinh_cung.1.ho_ten": ["Bắt buộc."],
                             "anh_chi_em_sinh_cung.1.thu_tu": ["Không lớn hơn 5."]}
    assert result.values["anh_chi_em_sinh_cung"][0] == {"ho_ten": "Đặng Minh Bình", "thu_tu": 2}


def test_a_shown_group_needs_its_minimum_items():
    result = form_clean(BIRTH, {**ANSWERS, "sinh_doi": True}, profile=PROFILE)
    assert result.errors == {"anh_chi_em_sinh_cung": ["Cần ít nhất 1 mục."]}


def test_a_draft_may_leave_required_answers_empty_but_not_wrong():
    result = form_clean(BIRTH, {"ngay_sinh": "hôm qua"}, profile=PROFILE, partial=True)
    assert result.errors == {"ngay_sinh": ["Ngày không hợp lệ (định dạng năm-tháng-ngày)."]}


@pytest.mark.parametrize("junk", [None, [], "text", 5, {"ho_ten_tre": {"x": 1}}, {"anh_chi_em_sinh_cung": "x",
                                                                                  "sinh_doi": "on"},
                                  {"ngay_sinh": ["2020-01-01"]}, {"quan_he": True}])
def test_malformed_answers_give_errors_never_exceptions(junk):
    result = form_clean(BIRTH, junk, profile={})
    assert not result.is_valid


@pytest.mark.parametrize("typed", ["1" * 5000, "1" * 400 + ".5", "9" * 33, float("inf"), float("-inf"), float("nan"),
                                   10**400])
def test_a_number_too_large_to_be_one_is_a_field_error_and_stays_storable(typed):
    # int("1" * 5000) passes Python's 4,300-digit limit (ValueError); "1" * 400 + ".5" is float inf (int() overflows);
    # a JSON client's 1e400 is inf, which PostgreSQL's JSONB refuses: each was a 500.
    twins = {"sinh_doi": True, "anh_chi_em_sinh_cung": [{"ho_ten": "Đặng Minh Anh", "thu_tu": typed}]}

    result = form_clean(BIRTH, {**ANSWERS, **twins}, profile=PROFILE, partial=True)

    assert result.errors == {"anh_chi_em_sinh_cung.0.thu_tu": ["Nhập một số."]}
    json.dumps(result.values, allow_nan=False)  # what the draft stores


def test_a_long_but_ordinary_number_is_still_a_number():
    field = {"name": "so_tien", "type": "number", "label": "Số tiền"}
    result = form_clean({"sections": [{"id": "s", "title": "S", "fields": [field]}]}, {"so_tien": "12345678901234567890.5"})
    assert result.errors == {} and result.values["so_tien"] == 12345678901234567890.5


def test_required_uploads_missing_are_named():
    result = form_clean(BIRTH, {**ANSWERS, "quan_he": "uy_quyen", "ten_nguoi_uy_quyen": "Vi Thị Mai"}, profile=PROFILE)
    assert uploads_missing(result, {"giay_chung_sinh": 1}) == {
        "uploads.van_ban_uy_quyen": ["Cần tải lên: Văn bản ủy quyền."]}


def test_a_posted_html_form_reads_into_answers_with_group_items_renumbered():
    post = QueryDict(mutable=True)
    post.update({"ho_ten_tre": "An", "sinh_doi": "on", "anh_chi_em_sinh_cung-3-_": "", "anh_chi_em_sinh_cung-3-ho_ten": "B",
                 "anh_chi_em_sinh_cung-0-_": "", "anh_chi_em_sinh_cung-0-ho_ten": "A", "co_thong_tin_cha": ""})
    data = form_data_from_post(BIRTH, post)
    assert data["sinh_doi"] is True and data["co_thong_tin_cha"] is False
    assert data["anh_chi_em_sinh_cung"] == [{"ho_ten": "A"}, {"ho_ten": "B"}]


def test_binding_puts_values_and_errors_on_the_fields():
    result = form_clean(BIRTH, {**ANSWERS, "so_dinh_danh_me": "1"}, profile=PROFILE)
    bound = form_bind(BIRTH, result.values, result.errors, prefilled=prefilled_names(BIRTH, PROFILE))
    fields = {f["name"]: f for s in bound["sections"] for f in s["fields"]}
    assert fields["ho_ten"]["readonly"] and fields["ho_ten"]["value"] == "Đặng Văn Công"
    assert fields["so_dinh_danh_me"]["errors"] and fields["so_dinh_danh_me"]["id"] == "f-so-dinh-danh-me"
    assert fields["ten_nguoi_uy_quyen"]["show_if"] == '{"field": "quan_he", "equals": "uy_quyen"}'


def test_control_characters_are_removed_and_nested_values_not_kept():
    result = form_clean(BIRTH, {**ANSWERS, "ho_ten_tre": "An\x00\x07", "noi_sinh": {"x": ["\x00"]}}, profile=PROFILE)
    assert result.values["ho_ten_tre"] == "An"
    assert result.values["noi_sinh"] == "" and result.errors == {"noi_sinh": ["Giá trị không hợp lệ."]}


def test_answers_read_with_labels_including_group_items():
    from public_services.forms.html import form_answers

    result = form_clean(BIRTH, {**ANSWERS, "sinh_doi": True,
                                "anh_chi_em_sinh_cung": [{"ho_ten": "Đặng Minh Bình", "thu_tu": 2}]}, profile=PROFILE)
    rows = {row["label"]: row for section in form_answers(BIRTH, result.values) for row in section["rows"]}
    assert rows["Giới tính"]["value"] == "Nam" and rows["Trẻ sinh đôi, sinh ba"]["value"] == "Có"
    assert rows["Các trẻ sinh cùng lần"]["group_items"] == [[{"label": "Họ, chữ đệm và tên", "value": "Đặng Minh Bình"},
                                                            {"label": "Thứ tự sinh", "value": "2"}]]
    assert "Họ tên người ủy quyền (cha hoặc mẹ của trẻ)" not in rows


def test_the_catalogue_import_refuses_a_form_this_portal_cannot_render():
    import json

    from one_stop.catalogue.project_format import read_project_json

    rows = [{"code": "1.000020", "name": "Thủ tục có biểu mẫu hỏng", "form": {"sections": "không phải danh sách"}}]
    items, errors = read_project_json(json.dumps(rows, ensure_ascii=False).encode())
    assert items == [] and errors and all(e.row == 1 and e.field == "form" for e in errors)
