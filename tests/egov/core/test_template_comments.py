"""Django's `{# … #}` comments end on their own line: one left open is not a comment but text, shown on the page
(the public header printed an English note to every visitor) or parsed as CSS (a broken rule in form 01)."""

from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
OUR_TEMPLATES = sorted(
    path for path in BASE_DIR.rglob("templates/**/*")
    if path.is_file() and path.suffix in {".html", ".txt", ".xml", ".css"}
    and not {".venv", "node_modules", "staticfiles"} & set(path.relative_to(BASE_DIR).parts))


def test_templates_are_found():
    assert len(OUR_TEMPLATES) > 50
    assert BASE_DIR / "templates" / "layouts" / "public.html" in OUR_TEMPLATES


@pytest.mark.parametrize("path", OUR_TEMPLATES, ids=lambda path: str(path.relative_to(BASE_DIR)))
def test_every_short_comment_closes_on_its_line(path):
    open_lines = [number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                  if "{#" in line and "#}" not in line.split("{#", 1)[1]]
    assert not open_lines, f"{{# without #}} on lines {open_lines}: use {{% comment %}} for several lines"


@pytest.mark.django_db
def test_public_header_shows_no_template_note(client):
    page = client.get("/").content.decode()
    assert "{#" not in page and "#}" not in page
