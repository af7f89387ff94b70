"""Erasing a citizen's account (Law on Personal Data Protection 91/2025/QH15, the right to have one's data deleted).

What goes: the account's personal data (name, ID number, phone, e-mail, address, birth date, gender), its way in
(password, sessions, API tokens, second-factor devices, one-time codes), the portal messages kept for it, and the
online drafts never submitted — none of them is a record the authority must keep.

What stays, because another law requires it (the Law's exception for processing the law requires): the dossiers
the citizen submitted, with the applicant's data as received, kept by the agencies as the law on archives says;
payments; feedback sent to the authorities (phản ánh, kiến nghị); the legal event chain; the personal-data
requests and their answers (the record of how the authority met the citizen's rights). The account's row
stays too, emptied and closed, because those records point to it.

While a dossier is still being handled (submitted, received, in progress, waiting for a supplement, or with its
result waiting to be returned) the account is not erased: the agency must still reach the applicant, and the
applicant must follow it. Once it is returned, refused or withdrawn, the account can go.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import OneTimeCode, SignedInSession, User
from egov.audit.services import legal_event_record
from egov.core.errors import ApplicationError

# How many open dossiers an error names; the rest are counted.
NAMED_DOSSIERS = 10
# The account's personal data as an erased account holds them (its username becomes "da-xoa-<id>").
ERASED_VALUES = {"full_name": "", "first_name": "", "last_name": "", "national_id": None, "phone": None, "email": None,
                 "address": "", "birth_date": None, "gender": "", "position_title": "", "verified_at": None,
                 "privacy_consent_at": None, "privacy_notice_version": "", "language": ""}


def account_open_dossier_codes(user: User) -> list[str]:
    """The codes of the citizen's dossiers still being handled, oldest first."""
    from one_stop.models.dossier import QUEUE_OPEN_STATES, Dossier

    return list(Dossier.objects.filter(citizen=user, state__in=QUEUE_OPEN_STATES).order_by("created_at", "pk")
                .values_list("code", flat=True))


@transaction.atomic
def account_erase(*, user: User, by: User, ip: str | None = None) -> User:
    """Erase `user`'s account: asked by the citizen themselves, or carried out by the portal's operator for a
    deletion request (egov.accounts.data_requests). Refused (409) while a dossier of theirs is being handled."""
    from one_stop.constants import DossierState
    from one_stop.models import Dossier

    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_citizen or user.is_staff or user.is_superuser:
        # Staff accounts belong to their agency's records: their administrator closes them.
        raise ApplicationError("forbidden", _("Chỉ tài khoản công dân, tổ chức mới được xóa theo cách này."), status=403)
    if user.erased_at is not None:
        raise ApplicationError("already_erased", _("Tài khoản này đã được xóa."), status=409)
    # The drafts locked before the open dossiers are counted: a draft sent from another tab meanwhile either
    # counts as open below, or waits for this erasure and finds itself gone.
    drafts = list(Dossier.objects.select_for_update().filter(citizen=user, state=DossierState.DRAFT))
    open_codes = account_open_dossier_codes(user)
    if open_codes:
        shown = ", ".join(open_codes[:NAMED_DOSSIERS])
        more = len(open_codes) - NAMED_DOSSIERS
        raise ApplicationError("open_dossiers", _(
            "Tài khoản còn hồ sơ đang được giải quyết: %(codes)s%(more)s. Tài khoản được xóa sau khi các hồ sơ này đã "
            "trả kết quả, bị từ chối hoặc được rút.") % {
                "codes": shown, "more": (_(" và %(n)s hồ sơ khác") % {"n": more}) if more > 0 else ""}, status=409)

    kept_dossiers = Dossier.objects.filter(citizen=user).exclude(state=DossierState.DRAFT).count()
    _drafts_delete(drafts)
    _messages_delete(user)
    _access_close(user)
    # The account's row history (pghistory) holds every earlier version of its personal data: emptied the same way,
    # keeping when each change happened and what it did to the account's access (active, roles' agency).
    User.pgh_event_model.objects.filter(pgh_obj_id=user.pk).update(**ERASED_VALUES, username=f"da-xoa-{user.pk}")
    _farewell_send(user)  # while the account still says where and in which language

    user.username = f"da-xoa-{user.pk}"
    for name, value in ERASED_VALUES.items():
        setattr(user, name, value)
    user.set_unusable_password()  # nobody signs in as it again
    user.is_active = False
    user.erased_at = timezone.now()
    user.save()
    legal_event_record(action="account.erased", obj=user, actor=by, ip=ip, data={
        "by": "citizen" if by.pk == user.pk else "operator", "drafts_deleted": len(drafts),
        "dossiers_kept": kept_dossiers})
    return user


def _drafts_delete(drafts) -> None:
    """Drafts never submitted are no record: they go with their row history (pghistory keeps every version of a
    dossier, the applicant's data and form answers included, after the row is gone), and their files once the
    erasure has committed (a rollback keeps both)."""
    from egov.core.uploads import file_delete_on_commit
    from one_stop.models import Dossier, DossierDocument

    ids = [draft.pk for draft in drafts]
    for document in DossierDocument.objects.filter(dossier_id__in=ids).only("file"):
        file_delete_on_commit(document.file)
    Dossier.objects.filter(pk__in=ids).delete()
    Dossier.pgh_event_model.objects.filter(pgh_obj_id__in=ids).delete()


def _messages_delete(user: User) -> None:
    """The account's portal messages go. Messages already on their way (a request's answer, a dossier's news sent a
    moment ago) still go: detached from the account, they keep only the address they were written to."""
    from egov.notifications.models import Channel, Notification, NotificationStatus

    Notification.objects.filter(recipient=user, status=NotificationStatus.PENDING).exclude(
        channel=Channel.IN_APP).update(recipient=None)
    gone = list(Notification.objects.filter(recipient=user).values_list("pk", flat=True))
    Notification.objects.filter(pk__in=gone).delete()
    # Their row history too, which a deletion adds a whole copy to (address, subject, body).
    Notification.pgh_event_model.objects.filter(pgh_obj_id__in=gone).delete()


def _access_close(user: User) -> None:
    """Every way in: sessions, API tokens (their second-factor rows go with them), one-time codes, second-factor
    devices, and the sign-in logs that keep what someone typed to sign in as the account beside an address."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp import devices_for_user
    from rest_framework.authtoken.models import Token

    SignedInSession.objects.filter(user_id=user.pk).delete()
    Token.objects.filter(user=user).delete()
    OneTimeCode.objects.filter(user=user).delete()
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    from egov.accounts.backends import axes_usernames_of

    names = axes_usernames_of(user)
    for log in (AccessAttempt, AccessLog, AccessFailureLog):
        log.objects.filter(username__in=names).delete()


def _farewell_send(user: User) -> None:
    """A last word to where the citizen could be reached (the e-mail, else the phone), in their language, so that an
    erasure they did not ask for does not go unnoticed."""
    from egov.notifications.models import Channel
    from egov.notifications.services import notification_send, recipient_language

    with recipient_language(user):
        payload = {"subject": _("Tài khoản của bạn trên Cổng dịch vụ công đã được xóa"),
                   "text": _("Dữ liệu cá nhân của tài khoản đã được xóa. Các hồ sơ đã nộp được cơ quan giải quyết lưu "
                             "giữ theo quy định của pháp luật về lưu trữ. Nếu bạn không yêu cầu việc này, hãy liên hệ "
                             "cơ quan vận hành Cổng.")}
        if user.email:
            notification_send(template="message", channel=Channel.EMAIL, address=user.email, payload=payload)
        elif user.phone:
            notification_send(template="message", channel=Channel.SMS, address=user.phone, payload=payload)
