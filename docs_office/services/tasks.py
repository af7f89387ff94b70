"""Tasks (theo dõi nhiệm vụ): a leader gives a unit a task from a directive; the unit reports progress."""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from docs_office.models import Task, TaskReport
from docs_office.services.common import require, same_agency
from egov.accounts.roles import Role
from egov.core.errors import ApplicationError


@transaction.atomic
def task_create(*, leader, title: str, division, deadline: date | None, directive=None) -> Task:
    """`directive` is an incoming or outgoing document of the agency, or None."""
    from docs_office.models import IncomingDocument, OutgoingDocument

    require(leader.has_role(Role.LEADER) and leader.agency_id is not None, _("Chỉ lãnh đạo cơ quan được giao nhiệm vụ."))
    if not (title or "").strip():
        raise ApplicationError("incomplete", _("Cần nội dung nhiệm vụ."), fields={"title": [_("Bắt buộc.")]})
    limit = Task._meta.get_field("title").max_length
    if len(title.strip()) > limit:
        message = _("Nội dung nhiệm vụ dài tối đa %(n)d ký tự.") % {"n": limit}
        raise ApplicationError("title_too_long", message, fields={"title": [message]})
    if division is None or division.agency_id != leader.agency_id:
        raise ApplicationError("other_agency", _("Đơn vị thực hiện phải thuộc cơ quan."),
                               fields={"division": [_("Không hợp lệ.")]})
    # A missing deadline is its own refusal: reporting it as "in the past" sent leaders looking for a wrong date.
    if deadline is None:
        raise ApplicationError("incomplete", _("Cần nhập hạn hoàn thành."), fields={"deadline": [_("Bắt buộc.")]})
    if deadline < timezone.localdate():
        raise ApplicationError("invalid_deadline", _("Hạn hoàn thành không thể ở quá khứ."),
                               fields={"deadline": [_("Hạn hoàn thành không thể ở quá khứ.")]})
    if directive is not None and directive.agency_id != leader.agency_id:
        raise ApplicationError("other_agency", _("Văn bản chỉ đạo phải của cơ quan."))
    task = Task.objects.create(
        agency_id=leader.agency_id, title=title.strip(), division=division, deadline=deadline, created_by=leader,
        directive_incoming=directive if isinstance(directive, IncomingDocument) else None,
        directive_outgoing=directive if isinstance(directive, OutgoingDocument) else None)
    from egov.notifications.models import Channel
    from egov.notifications.services import notification_send, recipient_language

    with recipient_language():
        for member in division.members.filter(is_active=True):
            notification_send(template="message", channel=Channel.IN_APP, recipient=member, payload={
                "subject": _("Nhiệm vụ mới, hạn %(d)s") % {"d": f"{deadline:%d/%m/%Y}"}, "text": task.title,
                "link": reverse("docs_office:tasks")})
    return task


@transaction.atomic
def task_report(*, user, task: Task, progress: int, text: str) -> TaskReport:
    """A member of the unit (or the leader) reports; 100% completes the task, after which it is closed."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    member = task.division.members.filter(pk=user.pk).exists()
    leader = user.has_role(Role.LEADER) and same_agency(user, task.agency_id)
    require(member or leader, _("Bạn không thuộc đơn vị thực hiện nhiệm vụ này."))
    if task.completed_at is not None:
        raise ApplicationError("completed", _("Nhiệm vụ đã hoàn thành."), status=409)
    if progress is None or not 0 <= progress <= 100:
        raise ApplicationError("invalid_progress", _("Tiến độ từ 0 đến 100%."), fields={"progress": [_("0–100.")]})
    if not (text or "").strip():
        raise ApplicationError("report_required", _("Cần nội dung báo cáo."), fields={"text": [_("Bắt buộc.")]})
    report = TaskReport.objects.create(task=task, author=user, progress=progress, text=text.strip())
    task.progress = progress
    if progress == 100:
        task.completed_at = timezone.now()
    task.save(update_fields=["progress", "completed_at"])
    return report
