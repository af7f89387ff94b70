from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def pct(value):
    """A share in percent, "—" when there was nothing to divide by."""
    if value is None:
        return "—"
    return f"{number_format(round(value, 1), 1)} %"


@register.filter
def score(value):
    return number_format(round(value or 0, 2), 2)


@register.filter
def avg(value):
    return "—" if value is None else number_format(round(value, 2), 2)
