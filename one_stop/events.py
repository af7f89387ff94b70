"""What each kind of dossier event is called in its history: the dossier page, the control slip (form 05),
the citizen's page.

Complete phrases, unlike services.dossiers.ACTION_LABELS, which are fragments for sentences such as "Không
thể %(a)s hồ sơ…" ("approve the result of"): the same Vietnamese words, but another translation, hence
their own context ("dossier event") for the actions both tables name.
"""

from django.utils.translation import gettext_lazy, pgettext_lazy

EVENT_LABELS = {
    "receive": pgettext_lazy("dossier event", "tiếp nhận"),
    "start": pgettext_lazy("dossier event", "bắt đầu giải quyết"),
    "request_supplement": pgettext_lazy("dossier event", "yêu cầu bổ sung"),
    "resume": pgettext_lazy("dossier event", "nhận hồ sơ bổ sung"),
    "resolve": pgettext_lazy("dossier event", "duyệt kết quả"),
    "return_result": pgettext_lazy("dossier event", "trả kết quả"),
    "refuse": pgettext_lazy("dossier event", "từ chối"),
    "withdraw": pgettext_lazy("dossier event", "rút hồ sơ"),
    "submit": gettext_lazy("nộp trực tuyến"), "draft": gettext_lazy("tạo bản nháp"),
    "forward": gettext_lazy("chuyển cơ quan khác"), "postpone": gettext_lazy("xin lỗi, hẹn lại"),
    "step_complete": gettext_lazy("hoàn thành bước"),
    "supplement_submit": gettext_lazy("công dân gửi hồ sơ bổ sung"),
    "result_sign_request": gettext_lazy("trình ký kết quả"), "result_signed": gettext_lazy("ký số kết quả"),
    "result_sign_failed": gettext_lazy("ký số kết quả không thành công"),
}


def event_label(action: str) -> str:
    """The event's name in the active language; an action no table knows yet shows as stored."""
    return str(EVENT_LABELS.get(action, action))
