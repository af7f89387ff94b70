"""The browser and the server evaluate form conditions alike: one table, both evaluators.

Run in the project's chromium (installed wherever the e2e tests run) rather than node, which CI
machines do not necessarily have."""

import json
from pathlib import Path

from django.conf import settings

from public_services.forms.conditions import evaluate

CASES = json.loads((Path(settings.BASE_DIR) / "tests/public_services/condition_cases.json").read_text(encoding="utf-8"))
SCRIPT = Path(settings.BASE_DIR) / "static/public_services/conditions.js"


def test_browser_and_server_agree_on_every_condition_case(page):
    page.set_content("<!doctype html><title>t</title>")
    page.add_script_tag(path=str(SCRIPT))

    in_browser = page.evaluate("cases => cases.map(c => window.EgovConditions.evaluate(c.condition, c.values))", CASES)

    on_server = [evaluate(case["condition"], case["values"]) for case in CASES]
    assert in_browser == on_server == [case["expected"] for case in CASES]
