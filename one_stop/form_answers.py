"""An online dossier's form answers as a reader sees them: the desk's dossier page and the citizen's page.

The form schema belongs to the procedure version (one_stop), so reading it for display lives here;
public_services, which builds the forms, imports it from here (the dependency runs that way only).
"""

from datetime import date


def form_answers(schema: dict, values: dict) -> list[dict]:
    """The answers with their sections, labels and order from the schema; option labels, Có/Không, dates
    as dd/mm/yyyy (stored ISO). Answers the schema does not name (hidden by a condition) are left out."""
    from django.utils.translation import gettext as _

    def shown(field: dict, value) -> str:
        if field["type"] == "checkbox":
            return _("Có") if value is True else _("Không")
        if field["type"] == "choice":
            return next((o["label"] for o in field["options"] if o["value"] == value), str(value or ""))
        if field["type"] == "date" and isinstance(value, str):
            try:
                return date.fromisoformat(value).strftime("%d/%m/%Y")
            except ValueError:
                return value  # as typed: an answer kept from before the form checked dates
        return "" if value is None else str(value)

    sections = []
    for section in schema.get("sections", []):
        rows = []
        for field in section["fields"]:
            if field["name"] not in values:
                continue  # hidden for these answers
            value = values[field["name"]]
            if field["type"] == "group":
                items = value if isinstance(value, list) else []
                rows.append({"label": field["label"], "group_items": [
                    [{"label": c["label"], "value": shown(c, item.get(c["name"]))} for c in field["fields"]
                     if isinstance(item, dict) and c["name"] in item] for item in items]})
            else:
                rows.append({"label": field["label"], "value": shown(field, value)})
        if rows:
            sections.append({"title": section["title"], "rows": rows})
    return sections


def upload_labels(schema: dict) -> dict[str, str]:
    """Each upload slot's label by its name: an online dossier's files record the slot's name."""
    return {upload["name"]: upload.get("label") or upload["name"] for upload in schema.get("uploads", [])
            if isinstance(upload, dict) and "name" in upload}
