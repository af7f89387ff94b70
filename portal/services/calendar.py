"""The office's writes on the leaders' work calendar.

Once an entry is public, every change is a revision the public must notice: the row keeps the value
each changed field had when first published (so the weekly page can say "was 08:00") and pghistory
keeps every version for the record.
"""

from datetime import date, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.errors import ApplicationError
from portal.constants import CALENDAR_TRACKED_FIELDS
from portal.models import CalendarEntry


def calendar_can_manage(*, user, agency_id: int | None) -> bool:
    """The office of an agency keeps that agency's calendar; a system administrator keeps any."""
    if user.is_superuser:
        return True
    return bool(user.has_perm("portal.change_calendarentry") and user.agency_id and user.agency_id == agency_id)


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, time):
        return f"{value:%H:%M}"
    return str(value)


def _check(*, entry: CalendarEntry, by) -> None:
    if not calendar_can_manage(user=by, agency_id=entry.agency_id):
        raise ApplicationError("forbidden", _("Bạn chỉ được cập nhật lịch công tác của cơ quan mình."), status=403)
    if entry.end_time is not None and entry.end_time <= entry.start_time:
        raise ApplicationError("end_before_start", _("Giờ kết thúc phải sau giờ bắt đầu."),
                               fields={"end_time": _("Giờ kết thúc phải sau giờ bắt đầu.")})
    if not (entry.content or "").strip():
        raise ApplicationError("content_required", _("Nhập nội dung công tác."), fields={"content": _("Bắt buộc.")})


@transaction.atomic
def calendar_entry_save(*, entry: CalendarEntry, by) -> CalendarEntry:
    """Create or update an entry as the office typed it; record revisions of a published one."""
    _check(entry=entry, by=by)
    now = timezone.now()
    entry.updated_by = by
    if entry.pk is None:
        entry.created_by = by
        if entry.is_published:
            entry.published_at = now
        entry.save()
        return entry
    stored = CalendarEntry.objects.select_for_update().get(pk=entry.pk)
    if stored.agency_id != entry.agency_id and not calendar_can_manage(user=by, agency_id=stored.agency_id):
        raise ApplicationError("forbidden", _("Bạn chỉ được cập nhật lịch công tác của cơ quan mình."), status=403)
    if stored.published_at is None:
        # Not public yet: the office may change anything without it counting as a revision.
        if entry.is_published:
            entry.published_at = now
    else:
        entry.published_at = stored.published_at
        revisions = dict(stored.revisions)
        changed = False
        for field in CALENDAR_TRACKED_FIELDS:
            old, new = getattr(stored, field), getattr(entry, field)
            if old == new:
                continue
            changed = True
            original = revisions.get(field, _shown(old))
            if original == _shown(new):
                revisions.pop(field, None)  # back to what was published: no longer a change to flag
            else:
                revisions[field] = original
        entry.revisions = revisions
        if changed:
            entry.revised_at = now
    entry.cancelled_at, entry.cancel_reason = stored.cancelled_at, stored.cancel_reason
    entry.save()
    return entry


@transaction.atomic
def calendar_entry_cancel(*, entry: CalendarEntry, by, reason: str = "") -> CalendarEntry:
    """Cancel an entry: it stays on the page, struck through, so nobody goes to a meeting that is off."""
    if not calendar_can_manage(user=by, agency_id=entry.agency_id):
        raise ApplicationError("forbidden", _("Bạn chỉ được cập nhật lịch công tác của cơ quan mình."), status=403)
    if entry.cancelled_at is not None:
        raise ApplicationError("already_cancelled", _("Lịch công tác này đã hủy."), status=409)
    entry.cancelled_at, entry.cancel_reason, entry.updated_by = timezone.now(), reason.strip()[:255], by
    entry.save(update_fields=["cancelled_at", "cancel_reason", "updated_by", "updated_at"])
    return entry
