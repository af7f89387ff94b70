"""The form schema of a procedure version (ProcedureVersion.form) and its own validation.

    {"version": 1,
     "sections": [{"id": "nguoi_yeu_cau", "title": "Người yêu cầu", "show_if": <condition>?,
                   "fields": [<field>, ...]}],
     "uploads": [{"name": "giay_chung_sinh", "label": "Giấy chứng sinh", "accept": ["pdf", "jpeg", "png"],
                  "max_files": 2, "required": true, "show_if": <condition>?,
                  "document": "Giấy chứng sinh"?}]}

A field: {"name", "type", "label", "required"?, "help"?, "show_if"?, "prefill"?} plus, by type:
text/textarea "max_length"; number "min", "max", "integer"; date "past_only"; choice "options"
[{"value", "label"}] and "widget" (select/radio); group "fields" (no nested groups), "min_items",
"max_items". Names are unique in the form; a condition names only answers that come before it (in a
group item, also the item's earlier fields). An upload's "document" is the beginning of the name of the
catalogue's required document it supplies (any case, spacing): the desk's checklist ticks that document
when a file comes in the slot — the catalogue's names are long sentences a label cannot repeat.
Validated by hand so every error names its place in Vietnamese (the jsonschema package is only a
development dependency here).
"""

import re

from django.utils.translation import gettext as _

from public_services.forms.conditions import COMBINATORS, OPERATORS

FIELD_TYPES = ("text", "textarea", "number", "date", "choice", "checkbox", "id_number", "phone", "email", "group")
UPLOAD_TYPES = ("pdf", "jpeg", "png", "docx")
PROFILE_KEYS = ("full_name", "id_number", "phone", "email", "address", "birth_date", "gender")
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
MAX_FIELDS = 200

_SECTION_KEYS = {"id", "title", "description", "show_if", "fields"}
_FIELD_KEYS = {"name", "type", "label", "required", "help", "show_if", "prefill", "max_length", "min", "max",
               "integer", "past_only", "options", "widget", "fields", "min_items", "max_items", "placeholder"}
_UPLOAD_KEYS = {"name", "label", "help", "accept", "max_files", "required", "show_if", "document"}


class _Checker:
    def __init__(self):
        self.errors: list[str] = []
        self.count = 0

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}")

    def text(self, node: dict, key: str, path: str, *, required: bool = True) -> None:
        value = node.get(key)
        if value is None and not required:
            return
        if not isinstance(value, str) or not value.strip():
            self.error(f"{path}.{key}", _("cần một chuỗi ký tự không rỗng"))

    def boolean(self, node: dict, key: str, path: str) -> None:
        if key in node and not isinstance(node[key], bool):
            self.error(f"{path}.{key}", _("phải là true hoặc false"))

    def whole(self, node: dict, key: str, path: str, *, low: int, high: int) -> None:
        if key in node and not (isinstance(node[key], int) and not isinstance(node[key], bool)
                                and low <= node[key] <= high):
            self.error(f"{path}.{key}", _("phải là số nguyên từ %(low)s đến %(high)s") % {"low": low, "high": high})

    def unknown_keys(self, node: dict, allowed: set, path: str) -> None:
        for key in sorted(set(node) - allowed):
            self.error(f"{path}.{key}", _("thuộc tính không được hỗ trợ"))

    def condition(self, condition, path: str, known: set[str]) -> None:
        if not isinstance(condition, dict):
            self.error(path, _("điều kiện phải là một đối tượng"))
            return
        combinators = [k for k in COMBINATORS if k in condition]
        if combinators:
            if len(condition) != 1:
                self.error(path, _("“all”/“any” không đi kèm thuộc tính khác"))
                return
            parts = condition[combinators[0]]
            if not isinstance(parts, list) or not parts:
                self.error(f"{path}.{combinators[0]}", _("cần một danh sách điều kiện không rỗng"))
                return
            for index, part in enumerate(parts):
                self.condition(part, f"{path}.{combinators[0]}[{index}]", known)
            return
        operators = [k for k in OPERATORS if k in condition]
        if set(condition) != {"field", *operators} or len(operators) != 1:
            self.error(path, _("điều kiện cần “field” và đúng một phép so sánh: equals, in, not_empty"))
            return
        if condition["field"] not in known:
            self.error(f"{path}.field", _("“%(name)s” không phải trường đứng trước trong biểu mẫu")
                       % {"name": condition["field"]})
        operator = operators[0]
        scalar = (str, int, float, bool)
        if operator == "equals" and not isinstance(condition["equals"], scalar):
            self.error(f"{path}.equals", _("giá trị so sánh phải là chuỗi, số hoặc true/false"))
        if operator == "in" and not (isinstance(condition["in"], list) and condition["in"]
                                     and all(isinstance(v, scalar) for v in condition["in"])):
            self.error(f"{path}.in", _("cần một danh sách giá trị không rỗng"))
        if operator == "not_empty" and not isinstance(condition["not_empty"], bool):
            self.error(f"{path}.not_empty", _("phải là true hoặc false"))

    def field(self, field, path: str, known: set[str], names: set[str], *, in_group: bool) -> None:
        self.count += 1
        if not isinstance(field, dict):
            self.error(path, _("trường phải là một đối tượng"))
            return
        self.unknown_keys(field, _FIELD_KEYS, path)
        name = field.get("name")
        if not isinstance(name, str) or not NAME_RE.match(name):
            self.error(f"{path}.name", _("tên trường chỉ gồm chữ thường không dấu, chữ số, “_”, bắt đầu bằng chữ"))
        elif name in names:
            self.error(f"{path}.name", _("tên “%(name)s” bị trùng") % {"name": name})
        kind = field.get("type")
        if kind not in FIELD_TYPES:
            self.error(f"{path}.type", _("loại trường phải là một trong: %(types)s") % {"types": ", ".join(FIELD_TYPES)})
        self.text(field, "label", path)
        self.text(field, "help", path, required=False)
        self.boolean(field, "required", path)
        if "show_if" in field:
            self.condition(field["show_if"], f"{path}.show_if", known)
        if "prefill" in field and field["prefill"] not in PROFILE_KEYS:
            self.error(f"{path}.prefill", _("chỉ lấy sẵn từ: %(keys)s") % {"keys": ", ".join(PROFILE_KEYS)})
        self.whole(field, "max_length", path, low=1, high=5000)
        for key in ("min", "max"):
            if key in field and kind == "number" and (isinstance(field[key], bool)
                                                      or not isinstance(field[key], int | float)):
                self.error(f"{path}.{key}", _("phải là một số"))
        self.boolean(field, "integer", path)
        self.boolean(field, "past_only", path)
        if kind == "choice":
            options = field.get("options")
            if not isinstance(options, list) or not options:
                self.error(f"{path}.options", _("trường lựa chọn cần danh sách “options” không rỗng"))
            else:
                values = []
                for index, option in enumerate(options):
                    if not (isinstance(option, dict) and set(option) == {"value", "label"}
                            and isinstance(option["value"], str) and option["value"]
                            and isinstance(option["label"], str) and option["label"].strip()):
                        self.error(f"{path}.options[{index}]", _("mỗi lựa chọn cần “value” và “label” là chuỗi"))
                    else:
                        values.append(option["value"])
                if len(values) != len(set(values)):
                    self.error(f"{path}.options", _("giá trị lựa chọn bị trùng"))
            if field.get("widget", "select") not in ("select", "radio"):
                self.error(f"{path}.widget", _("chỉ có select hoặc radio"))
        elif "options" in field:
            self.error(f"{path}.options", _("chỉ trường lựa chọn (choice) có “options”"))
        if kind == "group":
            if in_group:
                self.error(f"{path}.type", _("không lồng nhóm trong nhóm"))
            self.whole(field, "min_items", path, low=0, high=50)
            self.whole(field, "max_items", path, low=1, high=50)
            children = field.get("fields")
            if not isinstance(children, list) or not children:
                self.error(f"{path}.fields", _("nhóm cần danh sách “fields” không rỗng"))
            else:
                scope, child_names = set(known), set()
                for index, child in enumerate(children):
                    self.field(child, f"{path}.fields[{index}]", scope, child_names, in_group=True)
                    if isinstance(child, dict) and isinstance(child.get("name"), str):
                        child_names.add(child["name"])
                        scope.add(child["name"])
        elif "fields" in field:
            self.error(f"{path}.fields", _("chỉ nhóm (group) có “fields”"))
        if isinstance(name, str):
            names.add(name)
            known.add(name)


def form_schema_errors(schema) -> list[str]:
    """Every problem of a form schema, each as 'place: what is wrong'; [] when it is valid."""
    checker = _Checker()
    if not isinstance(schema, dict):
        return [_("biểu mẫu: phải là một đối tượng JSON")]
    checker.unknown_keys(schema, {"version", "sections", "uploads", "intro"}, "form")
    if schema.get("version", 1) != 1:
        checker.error("form.version", _("chỉ hỗ trợ phiên bản 1"))
    sections = schema.get("sections")
    if not isinstance(sections, list) or not sections:
        checker.error("form.sections", _("cần ít nhất một phần"))
        sections = []
    known: set[str] = set()
    names: set[str] = set()
    section_ids: set[str] = set()
    for s_index, section in enumerate(sections):
        path = f"sections[{s_index}]"
        if not isinstance(section, dict):
            checker.error(path, _("phần phải là một đối tượng"))
            continue
        checker.unknown_keys(section, _SECTION_KEYS, path)
        if not isinstance(section.get("id"), str) or not NAME_RE.match(section["id"]) or section["id"] in section_ids:
            checker.error(f"{path}.id", _("mã phần không hợp lệ hoặc bị trùng"))
        else:
            section_ids.add(section["id"])
        checker.text(section, "title", path)
        if "show_if" in section:
            checker.condition(section["show_if"], f"{path}.show_if", known)
        fields = section.get("fields")
        if not isinstance(fields, list) or not fields:
            checker.error(f"{path}.fields", _("cần ít nhất một trường"))
            continue
        for f_index, field in enumerate(fields):
            checker.field(field, f"{path}.fields[{f_index}]", known, names, in_group=False)
    uploads = schema.get("uploads", [])
    if not isinstance(uploads, list):
        checker.error("form.uploads", _("phải là một danh sách"))
        uploads = []
    upload_names: set[str] = set()
    for index, upload in enumerate(uploads):
        path = f"uploads[{index}]"
        if not isinstance(upload, dict):
            checker.error(path, _("giấy tờ tải lên phải là một đối tượng"))
            continue
        checker.unknown_keys(upload, _UPLOAD_KEYS, path)
        name = upload.get("name")
        if not isinstance(name, str) or not NAME_RE.match(name) or name in upload_names:
            checker.error(f"{path}.name", _("tên giấy tờ không hợp lệ hoặc bị trùng"))
        else:
            upload_names.add(name)
        checker.text(upload, "label", path)
        checker.text(upload, "help", path, required=False)
        checker.text(upload, "document", path, required=False)
        checker.boolean(upload, "required", path)
        checker.whole(upload, "max_files", path, low=1, high=20)
        accept = upload.get("accept", list(UPLOAD_TYPES))
        if not isinstance(accept, list) or not accept or not set(accept) <= set(UPLOAD_TYPES):
            checker.error(f"{path}.accept", _("chỉ nhận: %(types)s") % {"types": ", ".join(UPLOAD_TYPES)})
        if "show_if" in upload:
            checker.condition(upload["show_if"], f"{path}.show_if", known)
    if checker.count > MAX_FIELDS:
        checker.error("form", _("quá nhiều trường (tối đa %(n)s)") % {"n": MAX_FIELDS})
    return checker.errors


def form_schema_validate(schema) -> dict:
    """The schema itself, or an ApplicationError listing every problem under `form`."""
    from egov.core.errors import ApplicationError

    errors = form_schema_errors(schema)
    if errors:
        raise ApplicationError("invalid_form_schema", _("Biểu mẫu điện tử không hợp lệ."), fields={"form": errors})
    return schema
