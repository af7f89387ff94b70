"""Pick-lists in Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, tones as a
second key (none, huyền, sắc, hỏi, ngã, nặng)."""

import random

from hypothesis import given
from hypothesis import strategies as st

from egov.core.text import vietnamese_sort_key, vietnamese_sorted


def test_agencies_sort_as_a_vietnamese_reader_expects():
    expected = ["Sở Tư pháp tỉnh Lạng Sơn", "Ủy ban nhân dân tỉnh Lạng Sơn", "Văn phòng Ủy ban nhân dân tỉnh",
                "Xã Điềm He", "Xã Đình Lập", "Xã Đoàn Kết", "Xã Đồng Đăng", "Xã Hồng Phong", "Xã Hưng Vũ",
                "Xã Yên Phúc"]
    shuffled = expected[:]
    random.Random(4).shuffle(shuffled)

    assert vietnamese_sorted(shuffled) == expected


def test_letters_with_marks_have_their_own_place_in_the_alphabet():
    words = ["an", "ăn", "ân", "dân", "đan", "en", "ên", "on", "ôn", "ơn", "un", "ưn", "vân"]

    assert vietnamese_sorted(reversed(words)) == words


def test_tones_come_after_the_letters_in_dictionary_order():
    assert vietnamese_sorted(["Hộng", "Hổng", "Hống", "Hỗng", "Hông", "Hồng", "Hồng Phong"]) == [
        "Hông", "Hồng", "Hống", "Hổng", "Hỗng", "Hộng", "Hồng Phong"]
    assert vietnamese_sorted(["Mạ", "Mà", "Má", "Ma", "Mả", "Mã"]) == ["Ma", "Mà", "Má", "Mả", "Mã", "Mạ"]


def test_case_spacing_the_tone_mark_placement_and_the_unicode_form_do_not_change_the_order():
    import unicodedata

    assert vietnamese_sort_key("Ủy ban")[:2] == vietnamese_sort_key("UỶ  BAN")[:2]
    assert vietnamese_sort_key("Hòa Bình")[:2] == vietnamese_sort_key("Hoà Bình")[:2]
    assert vietnamese_sort_key(unicodedata.normalize("NFD", "Đồng Đăng"))[:2] == vietnamese_sort_key("Đồng Đăng")[:2]


def test_a_shorter_word_and_a_smaller_number_come_first():
    assert vietnamese_sorted(["Xã Anh", "Xã An Bình", "Xã An"]) == ["Xã An", "Xã An Bình", "Xã Anh"]
    assert vietnamese_sorted(["Phường 10", "Phường 2", "Phường 1"]) == ["Phường 1", "Phường 2", "Phường 10"]


@given(st.lists(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyÀÁẢÃẠàáảãạ 0123456789-", max_size=12), max_size=8))
def test_sorting_is_a_total_order_that_depends_on_nothing_but_the_text(names):
    once = vietnamese_sorted(names)

    assert vietnamese_sorted(reversed(names)) == once
    assert all(vietnamese_sort_key(a) <= vietnamese_sort_key(b) for a, b in zip(once, once[1:], strict=False))
