"""`{{ fee|vnd }}`: an amount of đồng grouped by thousands with dots (200.000), as the printed receipt and the
payment pages show it, whatever the interface language. Django's own grouping needs USE_THOUSAND_SEPARATOR and
a NUMBER_GROUPING the Vietnamese locale does not define, so pages printed 200000."""

from django import template

register = template.Library()


@register.filter
def vnd(value) -> str:
    if value is None or value == "":
        return ""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{amount:,}".replace(",", ".")
