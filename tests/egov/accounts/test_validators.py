import pytest
from django.core.exceptions import ValidationError

from egov.accounts.validators import (
    normalize_national_id,
    normalize_phone,
    validate_mobile_phone,
    validate_national_id,
    validate_phone,
)


@pytest.mark.parametrize("value", ["020095001234", "001203012345", "079300000001"])
def test_a_twelve_digit_id_with_a_province_code_is_accepted(value):
    validate_national_id(value)


@pytest.mark.parametrize("value", ["02009500123", "0200950012345", "02009500123A", ""])
def test_an_id_number_that_is_not_twelve_digits_is_refused_in_vietnamese(value):
    with pytest.raises(ValidationError) as info:
        validate_national_id(value)
    assert info.value.messages == ["Số định danh cá nhân phải gồm đúng 12 chữ số."]


def test_an_id_number_with_an_unknown_province_code_is_refused():
    with pytest.raises(ValidationError) as info:
        validate_national_id("003095001234")
    assert "ba chữ số đầu (003)" in info.value.messages[0]


@pytest.mark.parametrize("value", ["0912345678", "+84 912 345 678", "84912345678", "0388.123.456", "02053812345"])
def test_vietnamese_mobile_and_landline_numbers_are_accepted(value):
    validate_phone(value)


@pytest.mark.parametrize("value", ["091234567", "09123456789", "0112345678", "1912345678", "abc"])
def test_a_malformed_phone_number_is_refused_in_vietnamese(value):
    with pytest.raises(ValidationError) as info:
        validate_phone(value)
    assert info.value.messages[0].startswith("Số điện thoại không hợp lệ")


def test_phone_numbers_are_normalised_to_the_domestic_form():
    assert normalize_phone("+84 912-345-678") == "0912345678"


@pytest.mark.parametrize("value", ["0912345678", "+84 981 234 567", "0388.123.456", "0701234567"])
def test_a_mobile_number_passes_the_mobile_only_check(value):
    validate_mobile_phone(value)


@pytest.mark.parametrize("value", ["02053123456", "0241234567", "091234567", "abc"])
def test_a_landline_or_malformed_number_fails_the_mobile_only_check_in_vietnamese(value):
    with pytest.raises(ValidationError) as info:
        validate_mobile_phone(value)
    assert info.value.messages[0].startswith("Số điện thoại di động không hợp lệ")


def test_an_id_number_in_full_width_digits_gets_the_format_error_not_a_province_error():
    with pytest.raises(ValidationError) as info:
        validate_national_id("０２００９５００１２３４")
    assert info.value.messages == ["Số định danh cá nhân phải gồm đúng 12 chữ số."]


def test_full_width_digits_are_normalised_to_ascii_before_validation():
    assert normalize_national_id(" ０２００９５００１２３４ ") == "020095001234"
    assert normalize_phone("０９１２３４５６７８") == "0912345678"


def test_digits_of_another_script_are_not_a_phone_number():
    with pytest.raises(ValidationError):
        validate_phone("٠٩١٢٣٤٥٦٧٨")
