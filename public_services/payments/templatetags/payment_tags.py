from django import template

from public_services.payments.pdf.receipt import amount_display

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """50000 → "50.000": Vietnamese thousands dots, whatever the interface language's number format."""
    return amount_display(int(amount)) if amount not in (None, "") else ""
