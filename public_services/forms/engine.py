"""Filling a form: normalise the answers, apply the conditions, validate, say what is wrong where.

Values are normalised the same way the browser reads them (public_services/static/.../portal-form.js):
text-like fields are trimmed strings, a number is a number when it looks like one, a checkbox is a
boolean, a group is a list of objects. Answers of hidden fields are dropped and count as missing for
later conditions. Errors are keyed by path: "ho_ten", "thanh_vien.0.ho_ten", "uploads.giay_chung_sinh".
"""

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.validators import normalize_national_id, normalize_phone, validate_national_id, validate_phone
from egov.core.text import CONTROL_CHARACTERS
from public_services.forms.conditions import evaluate, is_empty

NUMBER_RE = re.compile(r"^-?\d+(\.\d+)?$")
# Longer than any number a form asks for (an amount in đồng, an area, a count). Bounding the text before converting
# keeps int() under Python's 4,300-digit limit (ValueError) and float() finite (inf, which int() and JSONB refuse).
MAX_NUMBER_LENGTH = 32
# Control characters have no place in an answer, and PostgreSQL refuses NUL inside JSON text.
DEFAULT_MAX_LENGTH = {"text": 255, "textarea": 2000}
MAX_GROUP_ITEMS = 50


@dataclass
class FormResult:
    values: dict = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    uploads: list[dict] = field(default_factory=list)  # the required-upload slots visible for these answers

    @property
    def is_valid(self) -> bool:
        return not self.errors


def clean_text(value, *, limit: int = 2000) -> str:
    """Free text from a page (a note, a reason): no control characters, trimmed, bounded."""
    return CONTROL_CHARACTERS.sub("", str(value or "")).strip()[:limit]


def normalise(field_schema: dict, raw):
    """The browser's reading of an answer, on the server."""
    kind = field_schema["type"]
    if kind == "checkbox":
        if isinstance(raw, str):
            return raw.strip().lower() in ("on", "true", "1", "yes")
        return raw is True
    if raw is None:
        return None if kind == "number" else ""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if kind == "number":
        if isinstance(raw, int | float):
            # A JSON client's 1e400 arrives as inf: kept as text (JSONB stores no Infinity), refused by validation.
            return str(raw) if isinstance(raw, float) and not math.isfinite(raw) else raw
        text = CONTROL_CHARACTERS.sub("", str(raw)).strip()
        if text == "":
            return None
        if len(text) <= MAX_NUMBER_LENGTH and NUMBER_RE.match(text):
            number = float(text) if "." in text else int(text)
            if _is_number(number):
                return number
        return text  # kept so the citizen sees what they typed; refused by validation
    if isinstance(raw, int | float):
        return str(raw)
    if not isinstance(raw, str):
        return raw  # a list or object where a value belongs: refused by validation
    return CONTROL_CHARACTERS.sub("", raw).strip()


def _is_number(value) -> bool:
    """A number a form takes: finite, and no larger than a typed one may be (a JSON client's may be 4,300 digits)."""
    if isinstance(value, float) and not math.isfinite(value):  # math.isfinite() of a 400-digit int overflows
        return False
    return abs(value) < 10**MAX_NUMBER_LENGTH


def _check(field_schema: dict, value) -> str | None:
    """The Vietnamese message for an invalid non-empty value, or None."""
    kind = field_schema["type"]
    if not isinstance(value, str | int | float | bool):
        return _("Giá trị không hợp lệ.")
    if kind == "number":
        if isinstance(value, str) or isinstance(value, bool) or not _is_number(value):
            return _("Nhập một số.")
        if field_schema.get("integer") and value != int(value):
            return _("Nhập một số nguyên.")
        if "min" in field_schema and value < field_schema["min"]:
            return _("Không nhỏ hơn %(n)s.") % {"n": field_schema["min"]}
        if "max" in field_schema and value > field_schema["max"]:
            return _("Không lớn hơn %(n)s.") % {"n": field_schema["max"]}
        return None
    if kind in DEFAULT_MAX_LENGTH:
        limit = field_schema.get("max_length", DEFAULT_MAX_LENGTH[kind])
        if len(value) > limit:
            return _("Tối đa %(n)s ký tự.") % {"n": limit}
        return None
    if kind == "date":
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return _("Ngày không hợp lệ (định dạng năm-tháng-ngày).")
        if field_schema.get("past_only") and day > timezone.localdate():
            return _("Ngày không được sau hôm nay.")
        return None
    if kind == "choice":
        if value not in {o["value"] for o in field_schema["options"]}:
            return _("Chọn một giá trị trong danh sách.")
        return None
    validators = {"id_number": validate_national_id, "phone": validate_phone, "email": validate_email}
    if kind in validators:
        try:
            validators[kind](value)
        except ValidationError as exc:
            return " ".join(exc.messages)
    return None


def _clean_field(field_schema: dict, raw, *, partial: bool):
    value = normalise(field_schema, raw)
    if not isinstance(value, str | int | float | bool | None):
        # A list or object where one value belongs: refused, and not kept in the draft.
        return None if field_schema["type"] == "number" else "", _("Giá trị không hợp lệ.")
    if field_schema["type"] == "phone" and isinstance(value, str) and value:
        value = normalize_phone(value)
    if field_schema["type"] == "id_number" and isinstance(value, str) and value:
        value = normalize_national_id(value)
    if is_empty(value):
        if field_schema.get("required") and not partial:
            return value, (_("Bắt buộc phải đánh dấu.") if field_schema["type"] == "checkbox" else _("Bắt buộc."))
        return value, None
    return value, _check(field_schema, value)


def prefill_value(field_schema: dict, profile: dict):
    key = field_schema.get("prefill")
    value = profile.get(key) if key else None
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        value = value.isoformat()
    if field_schema["type"] == "choice" and value not in {o["value"] for o in field_schema["options"]}:
        return None
    return str(value)


def prefilled_names(schema: dict, profile: dict) -> set[str]:
    """Top-level fields the profile answers: shown read-only, never asked again."""
    return {f["name"] for s in schema.get("sections", []) for f in s["fields"]
            if f["type"] != "group" and prefill_value(f, profile) is not None}


def form_clean(schema: dict, data, *, profile: dict | None = None, partial: bool = False) -> FormResult:
    """Normalise and validate `data` against `schema`.

    `profile` (the citizen's verified profile) wins over typed answers for prefilled fields. With
    `partial` (saving a draft) missing required answers are not errors; wrong values still are.
    """
    profile = profile or {}
    data = data if isinstance(data, dict) else {}
    result = FormResult()
    values = result.values
    for section in schema.get("sections", []):
        if "show_if" in section and not evaluate(section["show_if"], values):
            continue
        for field_schema in section["fields"]:
            if "show_if" in field_schema and not evaluate(field_schema["show_if"], values):
                continue
            name = field_schema["name"]
            if field_schema["type"] == "group":
                values[name] = _clean_group(field_schema, data.get(name), values, result, partial=partial)
                continue
            raw = prefill_value(field_schema, profile)
            raw = data.get(name) if raw is None else raw
            value, error = _clean_field(field_schema, raw, partial=partial)
            values[name] = value
            if error:
                result.errors[name] = [error]
    for upload in schema.get("uploads", []):
        if "show_if" not in upload or evaluate(upload["show_if"], values):
            result.uploads.append(upload)
    return result


def _clean_group(group: dict, raw, outer: dict, result: FormResult, *, partial: bool) -> list[dict]:
    name = group["name"]
    if raw in (None, ""):
        raw = []
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        result.errors[name] = [_("Danh sách không hợp lệ.")]
        return []
    limit = min(group.get("max_items", MAX_GROUP_ITEMS), MAX_GROUP_ITEMS)
    if len(raw) > limit:
        result.errors[name] = [_("Tối đa %(n)s mục.") % {"n": limit}]
        raw = raw[:limit]
    items = []
    for index, item in enumerate(raw):
        cleaned: dict = {}
        for child in group["fields"]:
            if "show_if" in child and not evaluate(child["show_if"], {**outer, **cleaned}):
                continue
            value, error = _clean_field(child, item.get(child["name"]), partial=partial)
            cleaned[child["name"]] = value
            if error:
                result.errors[f"{name}.{index}.{child['name']}"] = [error]
        items.append(cleaned)
    minimum = group.get("min_items", 1 if group.get("required") else 0)
    if len(items) < minimum and not partial:
        result.errors.setdefault(name, []).append(_("Cần ít nhất %(n)s mục.") % {"n": minimum})
    return items


def uploads_missing(result: FormResult, counts: dict[str, int]) -> dict[str, list[str]]:
    """Errors for required uploads (visible for these answers) that have no file, keyed uploads.<name>."""
    return {f"uploads.{u['name']}": [_("Cần tải lên: %(label)s.") % {"label": u["label"]}]
            for u in result.uploads if u.get("required") and not counts.get(u["name"])}
