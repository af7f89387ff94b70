"""Between the form schema and HTML: read a posted form into answers, and bind answers for rendering.

Names in the page: a top-level field posts as its name; a group item's field as
"<group>-<index>-<field>", with a hidden "<group>-<index>-_" marking that the item exists (so an item
whose answers are all empty still counts). Indices may have gaps after the citizen removes an item:
items are taken in index order and numbered afresh.
"""

import json
import re

from one_stop.form_answers import form_answers  # noqa: F401  (the owner's page and the desk show the same answers)
from public_services.forms.engine import DEFAULT_MAX_LENGTH

MAX_POSTED_ITEMS = 50
INPUT_TYPES = {"text": "text", "number": "number", "date": "date", "id_number": "text", "phone": "tel",
               "email": "email"}
# WCAG 1.3.5: a field that asks the citizen's own data (the profile key it is prefilled from) says which, so the
# browser can fill it and assistive software can recognise it. Other phone and e-mail fields keep the type's purpose.
PREFILL_AUTOCOMPLETE = {"full_name": "name", "phone": "tel", "email": "email", "address": "street-address",
                        "birth_date": "bday", "gender": "sex"}
TYPE_AUTOCOMPLETE = {"phone": "tel", "email": "email"}
# The file chooser's filter per schema type: extensions and media types, so that every browser offers the same files
# the server takes (a DOCX slot must offer .docx whether the browser matches by name or by type).
UPLOAD_ACCEPT = {"pdf": ".pdf,application/pdf", "jpeg": ".jpg,.jpeg,image/jpeg", "png": ".png,image/png",
                 "docx": ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
UPLOAD_LABELS = {"pdf": "PDF", "jpeg": "JPEG", "png": "PNG", "docx": "DOCX"}


def form_data_from_post(schema: dict, post) -> dict:
    data = {}
    for section in schema.get("sections", []):
        for field in section["fields"]:
            name = field["name"]
            if field["type"] == "group":
                pattern = re.compile(rf"^{re.escape(name)}-(\d{{1,3}})-([a-z][a-z0-9_]*|_)$")
                items: dict[int, dict] = {}
                for key in post:
                    match = pattern.match(key)
                    if match:
                        item = items.setdefault(int(match.group(1)), {})
                        if match.group(2) != "_":
                            item[match.group(2)] = post.get(key)
                data[name] = [items[i] for i in sorted(items)][:MAX_POSTED_ITEMS + 1]
            elif field["type"] == "checkbox":
                data[name] = post.get(name) == "on"
            else:
                data[name] = post.get(name, "")
    return data


def _bind_field(field: dict, html_name: str, value, errors: list[str], *, readonly: bool = False) -> dict:
    kind = field["type"]
    html_id = "f-" + html_name.replace("_", "-")
    if value is None:
        value = ""
    input_type = INPUT_TYPES.get(kind, "text")
    if kind == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)  # "12.5", not the page language's "12,5": a number input empties what it cannot read
    elif kind == "number" and isinstance(value, str) and value:
        # What the citizen typed that is no number ("1e400", "NaN", "12,0"), shown next to its error: a number input
        # would empty it, so the field is a text one with the number keyboard until the answer is a number.
        input_type = "text"
    # The notes under the control, in the order they show: where a read-only answer comes from, the help, the error.
    notes = [f"{html_id}-{note}" for note, shown in (("readonly", readonly), ("help", field.get("help")), ("error", errors))
             if shown]
    return {
        "name": field["name"], "html_name": html_name, "id": html_id, "type": kind, "label": field["label"],
        "help": field.get("help", ""), "required": bool(field.get("required")), "value": value, "errors": errors,
        "options": field.get("options", []), "widget": field.get("widget", "select"),
        "show_if": json.dumps(field["show_if"], ensure_ascii=False) if "show_if" in field else "",
        "readonly": readonly, "input_type": input_type,
        "max_length": field.get("max_length", DEFAULT_MAX_LENGTH.get(kind)),
        "min": field.get("min"), "max": field.get("max"), "step": "1" if field.get("integer") else "any",
        "placeholder": field.get("placeholder", ""),
        "inputmode": "numeric" if kind == "id_number" else "decimal" if input_type != INPUT_TYPES.get(kind) else "",
        "pattern": "[0-9]{12}" if kind == "id_number" else "",
        "autocomplete": PREFILL_AUTOCOMPLETE.get(field.get("prefill")) or TYPE_AUTOCOMPLETE.get(kind, ""),
        "described_by": " ".join(notes),
    }


def _bind_item(group: dict, index, item: dict, errors: dict) -> dict:
    prefix = f"{group['name']}-{index}"
    return {"index": index, "prefix": prefix, "fields": [
        _bind_field(child, f"{prefix}-{child['name']}", item.get(child["name"]),
                    errors.get(f"{group['name']}.{index}.{child['name']}", []))
        for child in group["fields"]]}


def form_bind(schema: dict, values: dict, errors: dict, *, prefilled: set[str] = frozenset()) -> dict:
    """What the template renders: sections with their fields, values and errors, and the upload slots."""
    sections = []
    for section in schema.get("sections", []):
        fields = []
        for field in section["fields"]:
            name = field["name"]
            if field["type"] == "group":
                items = values.get(name) if isinstance(values.get(name), list) else []
                bound = _bind_field(field, name, "", errors.get(name, []))
                bound["items"] = [_bind_item(field, i, item if isinstance(item, dict) else {}, errors)
                                  for i, item in enumerate(items)]
                bound["blank"] = _bind_item(field, "__i__", {}, {})
                bound["next_index"] = len(items)
                bound["max_items"] = field.get("max_items", MAX_POSTED_ITEMS)
                fields.append(bound)
            else:
                fields.append(_bind_field(field, name, values.get(name), errors.get(name, []),
                                          readonly=name in prefilled))
        sections.append({"id": section["id"], "title": section["title"], "description": section.get("description", ""),
                         "show_if": json.dumps(section["show_if"], ensure_ascii=False) if "show_if" in section else "",
                         "fields": fields})
    uploads = []
    for upload in schema.get("uploads", []):
        types = upload.get("accept", list(UPLOAD_ACCEPT))
        upload_errors = errors.get(f"uploads.{upload['name']}", [])
        notes = [f"u-{upload['name']}-{note}" for note, shown in (("types", True), ("help", upload.get("help")),
                                                                   ("error", upload_errors)) if shown]
        uploads.append({
            **upload, "show_if_json": json.dumps(upload["show_if"], ensure_ascii=False) if "show_if" in upload else "",
            "errors": upload_errors,
            # The same list the server checks the content against (public_services.services.UPLOAD_MIME by slot).
            "accept_attr": ",".join(UPLOAD_ACCEPT[t] for t in types),
            "types_label": ", ".join(UPLOAD_LABELS[t] for t in types),
            "described_by": " ".join(notes),
        })
    return {"sections": sections, "uploads": uploads, "error_links": _error_links(sections, uploads)}


def _error_links(sections: list[dict], uploads: list[dict]) -> list[dict]:
    """Each answer to correct, in the page's order, with the id of the control to go to: the form's error summary
    lists them as links (WCAG 3.3.1), rather than pointing at "the red notes below"."""
    links = []

    def add(field: dict, label: str) -> None:
        if field["errors"]:
            # A radio group's fieldset cannot take focus: its first option can.
            target = f"{field['id']}-1" if field["type"] == "choice" and field["widget"] == "radio" else field["id"]
            links.append({"id": target, "label": label, "message": " ".join(str(e) for e in field["errors"])})

    for section in sections:
        for field in section["fields"]:
            add(field, field["label"])
            for number, item in enumerate(field.get("items", []), start=1):
                for child in item["fields"]:
                    add(child, f"{field['label']} ({number}): {child['label']}")
    for upload in uploads:
        if upload["errors"]:
            links.append({"id": f"u-{upload['name']}", "label": upload["label"],
                          "message": " ".join(str(e) for e in upload["errors"])})
    return links
