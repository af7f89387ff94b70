"""The due-date ledger: how a dossier's return date came to be, line by line, from its control sheet.

Built from the events already loaded for the dossier page (no extra queries). Each receipt, supplement,
restart and postponement event carries the due date and clock start in force after it.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from egov.core.templatetags.durations import plural_count


@dataclass(frozen=True)
class LedgerLine:
    at: datetime
    text: str
    due_at: datetime | None = None


def _fmt(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else "—"


def _days(days) -> str:
    # In the reader's language: "0,5 ngày" in Vietnamese (a decimal comma), "0.5 days" in English.
    from django.utils.formats import number_format

    return str(int(days)) if days == int(days) else number_format(days)


def due_ledger(*, dossier, events) -> list[LedgerLine]:
    from one_stop.services.dossiers import dossier_time_limit

    days = dossier_time_limit(dossier)
    if days is None:
        limit = _("không nêu thời hạn")
    else:  # "1 working day", "1.5 working days": English picks its form by the number (plural_count)
        limit = ngettext("%(n)s ngày làm việc", "%(n)s ngày làm việc", plural_count(days)) % {"n": _days(days)}
    if dossier.processing_days is not None:  # the catalogue states none: the desk gave it at receipt
        limit = _("%(limit)s (do Bộ phận Một cửa ghi khi tiếp nhận: danh mục chưa nêu thời hạn)") % {"limit": limit}
    lines: list[LedgerLine] = []
    paused_at = None
    for event in events:
        if event.action == "receive" or (event.action == "resume" and event.clock_started_at):
            received = event.at.replace(second=0, microsecond=0)
            if paused_at is not None:
                lines.append(LedgerLine(event.at, _("Nhận đủ hồ sơ bổ sung lúc %(at)s: thời gian tạm dừng từ %(from)s không "
                                                    "tính; thời hạn tính lại từ đầu.") % {"at": _fmt(received),
                                                                                           "from": _fmt(paused_at)}))
                paused_at = None
            elif event.action == "receive":
                lines.append(LedgerLine(event.at, _("Tiếp nhận hồ sơ lúc %(at)s.") % {"at": _fmt(received)}))
            start = event.clock_started_at
            if start and timezone.localtime(start).date() != timezone.localtime(received).date():
                lines.append(LedgerLine(event.at, _("Tiếp nhận sau 15 giờ hoặc vào ngày nghỉ: thời hạn tính từ %(start)s "
                                                    "(ngày làm việc tiếp theo).") % {"start": _fmt(start)}))
            lines.append(LedgerLine(event.at, _("Thời hạn giải quyết %(limit)s → hẹn trả %(due)s.") % {
                "limit": limit, "due": _fmt(event.due_at)}, event.due_at))
        elif event.action == "request_supplement":
            paused_at = event.at
            lines.append(LedgerLine(event.at, _("Yêu cầu bổ sung, hoàn thiện lúc %(at)s: tạm dừng tính thời hạn (%(why)s).")
                                    % {"at": _fmt(event.at), "why": event.note}))
        elif event.action == "postpone":
            previous = dossier.original_due_at
            lines.append(LedgerLine(event.at, _("Xin lỗi và hẹn lại ngày trả (chỉ một lần): từ %(old)s sang %(new)s — %(why)s.")
                                    % {"old": _fmt(previous), "new": _fmt(event.due_at), "why": event.note}, event.due_at))
        elif event.action == "return_result":
            late = dossier.due_at is not None and event.at > dossier.due_at
            lines.append(LedgerLine(event.at, (_("Trả kết quả lúc %(at)s, trễ hạn.") if late else
                                               _("Trả kết quả lúc %(at)s, đúng hạn.")) % {"at": _fmt(event.at)}))
    return lines
