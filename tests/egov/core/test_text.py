from decimal import Decimal

import pytest
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


@pytest.mark.parametrize(("days", "count"), [(Decimal("1.0"), 1), (Decimal("2"), 2), (Decimal("0.5"), 0), (Decimal("1.5"), 0),
                                             (3, 3), (None, 0), ("x", 0)])
def test_a_time_limit_picks_its_plural_form_by_a_whole_number(days, count):
    # "1.5 working days" takes the plural form in English, as 0 does; gettext wants an integer.
    from egov.core.templatetags.durations import plural_count

    assert plural_count(days) == count

