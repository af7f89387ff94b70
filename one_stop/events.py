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
    "result_sign_withdrawn": gettext_lazy("chuyển lãnh đạo khác ký kết quả"),
    "file_add": gettext_lazy("thêm tệp"), "file_delete": gettext_lazy("xóa tệp"),
    "applicant_file_add": gettext_lazy("người nộp thêm tệp"), "applicant_file_delete": gettext_lazy("người nộp xóa tệp"),
}


def event_label(action: str) -> str:
    """The event's name in the active language; an action no table knows yet shows as stored."""
    return str(EVENT_LABELS.get(action, action))


# What the applicant reads of the history (their portal page and the APIs a citizen may call): not a failed signing
# attempt (the agency signs again; its technical reason is not the citizen's), not the files the staff add (a result
# is the applicant's only once approved: one_stop.selectors.documents_for_applicant), and a note only where it is written to
# them (what to supplement, why refused or late, their own words); the others' notes are the staff's working notes —
# a receipt's or forward's instruction, "Trình <leader> ký số kết quả" — and who acted is never shown.
APPLICANT_HIDDEN_EVENTS = {"result_sign_failed", "result_sign_withdrawn", "file_add", "file_delete"}
APPLICANT_NOTE_EVENTS = {"request_supplement", "refuse", "postpone", "withdraw", "submit", "supplement_submit",
                         "return_result", "applicant_file_add", "applicant_file_delete"}


def applicant_note(event) -> str:
    """The event's note as the applicant may read it: empty for the staff's working notes."""
    return event.note if event.action in APPLICANT_NOTE_EVENTS else ""
