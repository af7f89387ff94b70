"""A citizen's requests about their personal data (Law on Personal Data Protection 91/2025/QH15, the data subject's
rights): to correct what the profile cannot change, to delete, to restrict, to object to processing.

Deadlines (Decree 356/2025/NĐ-CP, which guides the Law): the authority responds within 2 working days of the
request and carries it out within 15 days, a time it may extend once, by at most 15 days, saying why. Settings
(EGOV_PERSONAL_DATA_RESPONSE_WORKING_DAYS, EGOV_PERSONAL_DATA_REQUEST_DAYS, EGOV_PERSONAL_DATA_EXTENSION_DAYS) hold
them, so a province follows a change of the rule without a release. "Responds" is the handler's acceptance
(tiếp nhận) or their final answer, whichever comes first.

Who answers: the portal's operator, i.e. staff given the admin permission `accounts.change_personaldatarequest`
(the system administrators' role has it). They are told of each new request in the portal, and the operator's
mailbox (EGOV_DATA_PROTECTION_CONTACT) by e-mail. Every step is an event row and a legal event; the citizen is told
of each step in the portal and by e-mail.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from egov.accounts.models import (
    DATA_REQUEST_OPEN_STATES,
    DataRequestKind,
    DataRequestState,
    PersonalDataRequest,
    PersonalDataRequestEvent,
    User,
)
from egov.core.errors import ApplicationError
from egov.core.text import strip_control_characters
from egov.workdays.services import add_working_days

DETAILS_MAX_LENGTH = 4000
ANSWER_MAX_LENGTH = 4000
HANDLER_PERMISSION = "accounts.change_personaldatarequest"
ACTION_LABELS = {
    "submit": gettext_lazy("Gửi yêu cầu"),
    "accept": gettext_lazy("Tiếp nhận"),
    "complete": gettext_lazy("Đã thực hiện"),
    "refuse": gettext_lazy("Không thực hiện"),
    "extend": gettext_lazy("Gia hạn"),
    "erase": gettext_lazy("Xóa tài khoản và hoàn thành"),
    "cancel": gettext_lazy("Hủy yêu cầu"),
}


def data_request_deadlines(received_at) -> tuple:
    """(respond by, carry out by) of a request received at `received_at`."""
    return (add_working_days(received_at, settings.EGOV_PERSONAL_DATA_RESPONSE_WORKING_DAYS),
            received_at + timedelta(days=settings.EGOV_PERSONAL_DATA_REQUEST_DAYS))


def can_handle_data_requests(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff and user.has_perm(HANDLER_PERMISSION))


def _text(value, limit: int) -> str:
    return strip_control_characters(str(value or "")).strip()[:limit]


def _record(request: PersonalDataRequest, *, action: str, from_state: str, actor, ip: str | None, note: str = "") -> None:
    from egov.audit.services import legal_event_record

    PersonalDataRequestEvent.objects.create(request=request, action=action, from_state=from_state,
                                            to_state=request.state, actor=actor, at=timezone.now(), note=note)
    legal_event_record(action=f"personal_data_request.{action}", obj=request, actor=actor, ip=ip,
                       data={"code": request.code, "kind": request.kind, "from": from_state, "to": request.state})


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


def _tell_citizen(request: PersonalDataRequest, subject, text) -> None:
    """In the portal and, when the account has one, by e-mail; in the citizen's language (the handler's may differ),
    which the caller makes active (recipient_language(request.user))."""
    from egov.notifications.models import Channel
    from egov.notifications.services import notification_send

    user = request.user
    payload = {"subject": str(subject), "text": str(text)}
    notification_send(template="message", channel=Channel.IN_APP, recipient=user, payload=payload)
    if user.email:
        notification_send(template="message", channel=Channel.EMAIL, recipient=user, payload=payload)


def _handlers():
    permission = Q(groups__permissions__codename="change_personaldatarequest",
                   groups__permissions__content_type__app_label="accounts") | Q(
        user_permissions__codename="change_personaldatarequest", user_permissions__content_type__app_label="accounts")
    return User.objects.filter(Q(is_superuser=True) | permission, is_active=True, is_staff=True).distinct()


def _tell_handlers(request: PersonalDataRequest) -> None:
    from egov.notifications.models import Channel
    from egov.notifications.services import notification_send

    payload = {
        "subject": _("Yêu cầu về dữ liệu cá nhân %(code)s: %(kind)s") % {"code": request.code,
                                                                        "kind": request.get_kind_display()},
        "text": _("Người yêu cầu: %(name)s. Hạn phản hồi: %(respond)s; hạn thực hiện: %(due)s. Xử lý trong trang quản "
                  "trị, mục Yêu cầu về dữ liệu cá nhân.") % {"name": request.user.full_name or request.user.username,
                                                          "respond": _local(request.respond_due_at),
                                                          "due": _local(request.due_at)},
    }
    for handler in _handlers():
        notification_send(template="message", channel=Channel.IN_APP, recipient=handler, payload=payload)
    if settings.EGOV_DATA_PROTECTION_CONTACT:
        notification_send(template="message", channel=Channel.EMAIL, address=settings.EGOV_DATA_PROTECTION_CONTACT,
                          payload=payload)


@transaction.atomic
def personal_data_request_submit(*, user: User, kind: str, details: str, ip: str | None = None) -> PersonalDataRequest:
    """A citizen asks; the request gets its two deadlines, and the operator is told."""
    from egov.notifications.services import recipient_language

    if not (user.is_authenticated and user.is_citizen):
        raise ApplicationError("forbidden", _("Chỉ tài khoản công dân, tổ chức gửi được yêu cầu về dữ liệu cá nhân."),
                               status=403)
    details = _text(details, DETAILS_MAX_LENGTH + 1)
    errors = {}
    if kind not in DataRequestKind.values:
        errors["kind"] = [_("Chọn loại yêu cầu.")]
    if not details:
        errors["details"] = [_("Nêu dữ liệu nào và bạn muốn xử lý ra sao.")]
    elif len(details) > DETAILS_MAX_LENGTH:
        errors["details"] = [_("Tối đa %(max)s ký tự.") % {"max": DETAILS_MAX_LENGTH}]
    if errors:
        raise ApplicationError("invalid", _("Yêu cầu chưa hợp lệ."), fields=errors)
    now = timezone.now()
    respond_due_at, due_at = data_request_deadlines(now)
    try:
        with transaction.atomic():  # a savepoint: the refusal below leaves the caller's transaction usable
            request = PersonalDataRequest.objects.create(user=user, kind=kind, details=details, received_at=now,
                                                         respond_due_at=respond_due_at, due_at=due_at)
    except IntegrityError as exc:  # personal_data_request_one_open_per_kind
        raise ApplicationError("duplicate", _("Bạn đã có một yêu cầu cùng loại đang được xử lý."), status=409,
                               fields={"kind": [_("Đã có yêu cầu cùng loại đang được xử lý.")]}) from exc
    _record(request, action="submit", from_state="", actor=user, ip=ip)
    with recipient_language(user):
        _tell_citizen(request, _("Đã nhận yêu cầu %(code)s về dữ liệu cá nhân") % {"code": request.code},
                      _("Yêu cầu “%(kind)s” đã được gửi tới cơ quan vận hành Cổng. Hạn phản hồi: %(respond)s; hạn "
                        "thực hiện: %(due)s.") % {"kind": request.get_kind_display(), "respond": _local(respond_due_at),
                                                  "due": _local(due_at)})
    with recipient_language():  # the operator's staff: the portal's correspondence
        _tell_handlers(request)
    return request


def _locked(request: PersonalDataRequest) -> PersonalDataRequest:
    return PersonalDataRequest.objects.select_for_update().select_related("user").get(pk=request.pk)


def _refuse_transition(request: PersonalDataRequest) -> ApplicationError:
    return ApplicationError("invalid_transition", _("Yêu cầu %(code)s đang ở trạng thái “%(state)s”: không thực hiện "
                                                    "được thao tác này.") % {"code": request.code,
                                                                              "state": request.get_state_display()},
                            status=409)


def _check_handler(by: User) -> None:
    if not can_handle_data_requests(by):
        raise ApplicationError("forbidden", _("Bạn không có quyền xử lý yêu cầu về dữ liệu cá nhân."), status=403)


@transaction.atomic
def personal_data_request_accept(*, request: PersonalDataRequest, by: User, ip: str | None = None) -> PersonalDataRequest:
    """The operator takes the request up (its response to the citizen)."""
    from egov.notifications.services import recipient_language

    _check_handler(by)
    request = _locked(request)
    if not can_proceed(request.accept):
        raise _refuse_transition(request)
    from_state = request.state
    request.accept(by=by)
    request.save(update_fields=["state", "handled_by"])
    _record(request, action="accept", from_state=from_state, actor=by, ip=ip)
    with recipient_language(request.user):
        _tell_citizen(request, _("Yêu cầu %(code)s đang được xử lý") % {"code": request.code},
                      _("Cơ quan vận hành Cổng đã tiếp nhận yêu cầu “%(kind)s” của bạn. Hạn thực hiện: %(due)s.")
                      % {"kind": request.get_kind_display(), "due": _local(request.due_at)})
    return request


def _answer(answer: str, *, required_message) -> str:
    answer = _text(answer, ANSWER_MAX_LENGTH + 1)
    if not answer:
        raise ApplicationError("invalid", required_message, fields={"answer": [required_message]})
    if len(answer) > ANSWER_MAX_LENGTH:
        message = _("Tối đa %(max)s ký tự.") % {"max": ANSWER_MAX_LENGTH}
        raise ApplicationError("invalid", message, fields={"answer": [message]})
    return answer


@transaction.atomic
def personal_data_request_complete(*, request: PersonalDataRequest, by: User, answer: str,
                                   ip: str | None = None) -> PersonalDataRequest:
    """Done: the answer says what was done (which data were corrected, deleted, restricted)."""
    return _close(request=request, by=by, answer=answer, ip=ip, action="complete",
                  required=_("Nêu việc đã thực hiện."),
                  subject=_("Yêu cầu %(code)s đã được thực hiện"))


@transaction.atomic
def personal_data_request_complete_by_erasing(*, request: PersonalDataRequest, by: User, answer: str,
                                              ip: str | None = None) -> PersonalDataRequest:
    """A deletion request met by erasing the citizen's account (egov.accounts.erasure): the answer is sent first, to
    the address the account still has, then the account goes — or, while a dossier of theirs is being handled,
    neither happens (409 naming the dossiers)."""
    from egov.accounts.erasure import account_erase

    if request.kind != DataRequestKind.DELETE:
        raise ApplicationError("not_deletion", _("Chỉ yêu cầu xóa dữ liệu mới được thực hiện bằng cách xóa tài khoản."),
                               status=409)
    _check_handler(by)
    request = personal_data_request_complete(request=request, by=by, answer=answer, ip=ip)
    account_erase(user=request.user, by=by, ip=ip)
    return request


@transaction.atomic
def personal_data_request_refuse(*, request: PersonalDataRequest, by: User, answer: str,
                                 ip: str | None = None) -> PersonalDataRequest:
    """Not done, with the reason (a dossier's records are kept for as long as the law on archives says)."""
    return _close(request=request, by=by, answer=answer, ip=ip, action="refuse",
                  required=_("Nêu lý do không thực hiện."),
                  subject=_("Yêu cầu %(code)s không được thực hiện"))


def _close(*, request, by, answer, ip, action: str, required, subject) -> PersonalDataRequest:
    from egov.notifications.services import recipient_language

    _check_handler(by)
    answer = _answer(answer, required_message=required)
    request = _locked(request)
    transition = getattr(request, action)
    if not can_proceed(transition):
        raise _refuse_transition(request)
    from_state = request.state
    transition(by=by, answer=answer, at=timezone.now())
    request.save(update_fields=["state", "handled_by", "answer", "closed_at"])
    _record(request, action=action, from_state=from_state, actor=by, ip=ip, note=answer)
    with recipient_language(request.user):
        _tell_citizen(request, subject % {"code": request.code}, answer)
    return request


@transaction.atomic
def personal_data_request_extend(*, request: PersonalDataRequest, by: User, reason: str,
                                 ip: str | None = None) -> PersonalDataRequest:
    """Once, by EGOV_PERSONAL_DATA_EXTENSION_DAYS, with the reason told to the citizen."""
    from egov.notifications.services import recipient_language

    _check_handler(by)
    reason = _answer(reason, required_message=_("Nêu lý do gia hạn."))
    request = _locked(request)
    if request.state == DataRequestState.IN_PROGRESS and request.extended_at is not None:
        raise ApplicationError("already_extended", _("Yêu cầu %(code)s đã được gia hạn một lần; không gia hạn thêm.")
                               % {"code": request.code}, status=409)
    if not can_proceed(request.extend):
        raise _refuse_transition(request)
    from_state = request.state
    request.extend(due_at=request.due_at + timedelta(days=settings.EGOV_PERSONAL_DATA_EXTENSION_DAYS), reason=reason,
                   at=timezone.now())
    request.save(update_fields=["due_at", "extension_reason", "extended_at"])
    _record(request, action="extend", from_state=from_state, actor=by, ip=ip, note=reason)
    with recipient_language(request.user):
        _tell_citizen(request, _("Yêu cầu %(code)s được gia hạn đến %(due)s") % {"code": request.code,
                                                                                "due": _local(request.due_at)},
                      reason)
    return request


@transaction.atomic
def personal_data_request_cancel(*, request: PersonalDataRequest, by: User, ip: str | None = None) -> PersonalDataRequest:
    """The citizen takes back a request nobody has taken up yet."""
    request = _locked(request)
    if request.user_id != by.pk:
        raise ApplicationError("not_found", _("Không tìm thấy yêu cầu."), status=404)
    if not can_proceed(request.cancel):
        raise _refuse_transition(request)
    from_state = request.state
    request.cancel(at=timezone.now())
    request.save(update_fields=["state", "closed_at"])
    _record(request, action="cancel", from_state=from_state, actor=by, ip=ip)
    return request


@transaction.atomic
def personal_data_requests_remind(*, now=None) -> int:
    """Each morning the operator's staff see the open requests whose response or work falls due within a day, or is
    late: one message each, listing them. Returns how many requests were listed. On working days only, by the
    working-day calendar, and once a day: the run claims the day in the transaction that writes the notifications
    (egov.notifications.services.reminder_run_claim)."""
    from egov.notifications.models import Channel
    from egov.notifications.services import notification_send, recipient_language, reminder_run_claim

    now = now or timezone.now()
    if not reminder_run_claim(reminder="accounts.personal_data_requests_remind", day=timezone.localtime(now).date()):
        return 0
    soon = now + timedelta(days=1)
    pressing = list(PersonalDataRequest.objects.filter(
        Q(state=DataRequestState.RECEIVED, respond_due_at__lt=soon) | Q(state__in=list(DATA_REQUEST_OPEN_STATES),
                                                                          due_at__lt=soon))
        .order_by("due_at", "id"))
    if not pressing:
        return 0
    with recipient_language():
        lines = []
        for request in pressing:
            if request.state == DataRequestState.RECEIVED and request.respond_due_at < soon:
                label, moment = _("hạn phản hồi"), request.respond_due_at
            else:
                label, moment = _("hạn thực hiện"), request.due_at
            late = " — " + _("quá hạn") if moment < now else ""
            lines.append(f"{request.code} ({request.get_kind_display()}): {label} {_local(moment)}{late}")
        payload = {"subject": _("Yêu cầu về dữ liệu cá nhân sắp đến hạn hoặc quá hạn: %(count)s") % {"count": len(pressing)},
                   "text": "\n".join(lines)}
        for handler in _handlers():
            notification_send(template="message", channel=Channel.IN_APP, recipient=handler, payload=payload)
    return len(pressing)
