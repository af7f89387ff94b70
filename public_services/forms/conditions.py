"""The small condition language of online forms, evaluated on the server.

static/public_services/conditions.js implements the same rules for the browser; both are run over
one table of cases in the tests, so a field the browser shows is the field the server requires.

    {"field": "x", "equals": v}        v a string, number or boolean; compared strictly (1 is not "1" nor true)
    {"field": "x", "in": [v, ...]}
    {"field": "x", "not_empty": true}   false for: missing, null, "", false, []
    {"all": [cond, ...]}, {"any": [cond, ...]}

A field that is hidden (its own condition false) counts as missing: conditions see only visible answers.
"""

OPERATORS = ("equals", "in", "not_empty")
COMBINATORS = ("all", "any")


def is_empty(value) -> bool:
    return value is None or value is False or (isinstance(value, str | list) and len(value) == 0)


def _same(a, b) -> bool:
    # JavaScript's === : a boolean equals only a boolean, null only null, a string only a string.
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    return False


def evaluate(condition: dict, values: dict) -> bool:
    """True when `condition` holds for `values` (answer name → normalised value)."""
    if "all" in condition:
        return all(evaluate(c, values) for c in condition["all"])
    if "any" in condition:
        return any(evaluate(c, values) for c in condition["any"])
    value = values.get(condition["field"])
    if "equals" in condition:
        return _same(value, condition["equals"])
    if "in" in condition:
        return any(_same(value, option) for option in condition["in"])
    if "not_empty" in condition:
        return (not is_empty(value)) == bool(condition["not_empty"])
    raise ValueError(f"unknown condition: {condition!r}")
