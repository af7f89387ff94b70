"""The Python evaluator over the shared table; tests/e2e/test_form_conditions.py runs the same table
through the browser's conditions.js and compares."""

import json
from pathlib import Path

import pytest

from public_services.forms.conditions import evaluate

CASES = json.loads((Path(__file__).parent / "condition_cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[json.dumps(c["condition"], ensure_ascii=False)[:60] + f"#{i}"
                                             for i, c in enumerate(CASES)])
def test_the_server_evaluates_each_condition_case_as_the_table_says(case):
    assert evaluate(case["condition"], case["values"]) is case["expected"]
