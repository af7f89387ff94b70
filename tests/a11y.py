"""What a page's HTML must get right for WCAG 2.1 AA, checked without a browser: one language, one h1 and no skipped
heading level, a programmatic label for every control, errors tied to their control, names for images, links and
buttons, header cells in tables. Used by the accessibility tests of each app's most visited pages."""

import re
from html.parser import HTMLParser

CONTROLS = {"input", "select", "textarea"}
NOT_LABELLED = {"hidden", "submit", "button", "reset", "image"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.html_tags: list[dict] = []
        self.headings: list[int] = []
        self.ids: set[str] = set()
        self.label_for: set[str] = set()
        self.controls: list[tuple[str, dict, bool]] = []  # tag, attributes, inside a <label>
        self.images: list[dict] = []
        self.named: list[tuple[str, dict, list[str]]] = []  # links and buttons, with their text
        self.tables: list[list[str]] = []
        self._text_sinks: list[list[str]] = []

    def _inside(self, tag: str) -> bool:
        return any(name == tag for name, _ in self.stack)

    def handle_starttag(self, tag, attrs):
        attributes = {k: (v if v is not None else "") for k, v in attrs}
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "html":
            self.html_tags.append(attributes)
        elif re.fullmatch(r"h[1-6]", tag) and not self._inside("template"):
            self.headings.append(int(tag[1]))
        elif tag == "label" and attributes.get("for"):
            self.label_for.add(attributes["for"])
        elif tag in CONTROLS and not self._inside("template"):
            self.controls.append((tag, attributes, self._inside("label")))
        elif tag == "img" or (tag == "svg" and not self._inside("figure")):
            self.images.append({**attributes, "tag": tag})
        elif tag == "table":
            self.tables.append([])
        elif tag == "th" and self.tables:
            self.tables[-1].append(attributes.get("scope", ""))
        if tag in ("a", "button") and not self._inside("template"):
            sink: list[str] = []
            self.named.append((tag, attributes, sink))
            self._text_sinks.append(sink)
        if tag not in VOID:
            self.stack.append((tag, attributes))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        if tag in ("a", "button") and self._text_sinks:
            self._text_sinks.pop()

    def handle_data(self, data):
        for sink in self._text_sinks:
            sink.append(data)


def a11y_problems(html: str) -> list[str]:
    """Every problem found in a whole page, as sentences; an empty list when there is none."""
    page = _Page()
    page.feed(html)
    problems = []
    if len(page.html_tags) != 1 or not page.html_tags[0].get("lang"):
        problems.append(f"the page needs one <html> with a lang (found {page.html_tags})")
    if page.headings.count(1) != 1:
        problems.append(f"the page needs exactly one h1 (headings: {page.headings})")
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        if after > before + 1:
            problems.append(f"heading level skipped: h{before} then h{after}")
    for tag, attrs, in_label in page.controls:
        if tag == "input" and attrs.get("type", "text") in NOT_LABELLED:
            continue
        name = attrs.get("name") or attrs.get("id")
        labelled = (in_label or attrs.get("id") in page.label_for or attrs.get("aria-label", "").strip()
                    or attrs.get("aria-labelledby"))
        if not labelled:
            problems.append(f"<{tag} name={name!r}> has no label")
        for ref in attrs.get("aria-describedby", "").split() + attrs.get("aria-labelledby", "").split():
            if ref not in page.ids:
                problems.append(f"<{tag} name={name!r}> refers to a missing id {ref!r}")
        if attrs.get("aria-invalid") == "true" and not attrs.get("aria-describedby"):
            problems.append(f"<{tag} name={name!r}> is invalid but its error is not tied to it (aria-describedby)")
    for image in page.images:
        if image["tag"] == "img" and "alt" not in image:
            problems.append(f"<img src={image.get('src')!r}> has no alt")
        if image["tag"] == "svg" and image.get("aria-hidden") != "true" and not (
                image.get("role") == "img" and (image.get("aria-label") or image.get("aria-labelledby"))):
            problems.append("an <svg> has neither a name (role=img, aria-label) nor aria-hidden")
    for tag, attrs, text in page.named:
        if not ("".join(text).strip() or attrs.get("aria-label", "").strip() or attrs.get("aria-labelledby")
                or attrs.get("title", "").strip()):
            problems.append(f"<{tag} {attrs}> has no accessible name")
    for headers in page.tables:
        if not headers:
            problems.append("a table has no header cell (th)")
    return problems


def controls(html: str) -> list[tuple[str, dict]]:
    """The page's form controls outside <template>, with their attributes."""
    page = _Page()
    page.feed(html)
    return [(tag, attrs) for tag, attrs, _ in page.controls]
