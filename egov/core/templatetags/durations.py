"""`{{ delta|minutes }}`: a timedelta as whole minutes, rounded up, for `{% blocktranslate count %}`.

django-axes hands the lock-out page an ISO 8601 duration ('PT15M'), which no citizen reads."""

import math
from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value) -> int | str:
    if not isinstance(value, timedelta):
        return ""
    # Rounded up: "try again in 1 minute" after 30 seconds is a promise kept; "0 minutes" is not.
    return max(1, math.ceil(value.total_seconds() / 60))
