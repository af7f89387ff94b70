from hypothesis import given
from hypothesis import strategies as st

from egov.core.text import parse_int


def test_ascii_digits_are_a_number_and_anything_else_is_none():
    assert parse_int("42") == 42
    assert parse_int(" 7 ") == 7
    for value in ("²", "٣", "", "-1", "1.5", "abc", None, 5, "1" * 19):
        assert parse_int(value) is None


@given(st.text(max_size=25))
def test_parse_int_never_raises_and_agrees_with_int_on_ascii_digits(value):
    result = parse_int(value)
    stripped = value.strip()
    if stripped.isascii() and stripped.isdigit() and len(stripped) <= 18:
        assert result == int(stripped)
    else:
        assert result is None
