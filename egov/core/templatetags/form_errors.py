"""`{{ form|unplaced_errors|join:" " }}`: the form's errors for the sentence above it, without those its fields show.

A service's refusal comes back as one message and, for the fields it concerns, the same or a shorter one at each
field (pages' `_form_refused`): when the two are the same text — a refused upload — the page said it twice, above
the form and at the file's field. Said once, at the field.
"""

from django import template

register = template.Library()


@register.filter
def unplaced_errors(form) -> list[str]:
    shown = {str(error) for field in form.visible_fields() for error in field.errors}
    return [str(error) for error in form.non_field_errors() if str(error) not in shown]
