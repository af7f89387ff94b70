"""Numbers for `{% blocktranslate count %}`: `{{ delta|minutes }}` (a timedelta in whole minutes, rounded up) and
`{{ days|plural_count }}` (the number that picks the plural form of a time limit in days).

django-axes hands the lock-out page an ISO 8601 duration ('PT15M'), which no citizen reads."""

import math
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def minutes(value) -> int | str:
    if not isinstance(value, timedelta):
        return ""
    # Rounded up: "try again in 1 minute" after 30 seconds is a promise kept; "0 minutes" is not.
    return max(1, math.ceil(value.total_seconds() / 60))


@register.filter
def plural_count(value) -> int:
    """The number that picks the plural form of `value` days: the value itself when whole, else 0.

    Time limits come in half days (Decimal 0.5, 1.5). English writes a fraction with the plural ("1.5
    working days", as 0 does) and Vietnamese has one form; gettext wants an integer to choose it."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return 0
    return int(number) if number == number.to_integral_value() else 0
