"""Telling the applicant about each change of their dossier: in the portal (when they have an
account), by e-mail and by SMS where the dossier has an address. Rendered now, delivered by the
notifications app after commit (outbox)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from one_stop.constants import DossierState

# What the applicant is told after each change they care about.
MESSAGES = {
    "submit": lambda d: _("Hồ sơ %(code)s đã được nộp trực tuyến đến %(agency)s, đang chờ tiếp nhận."),
    "receive": lambda d: _("Hồ sơ %(code)s đã được tiếp nhận. Hẹn trả kết quả: %(due)s."),
    "request_supplement": lambda d: _("Hồ sơ %(code)s cần bổ sung, hoàn thiện: %(reason)s."),
    "resume": lambda d: _("Hồ sơ %(code)s đã nhận đủ bổ sung. Hẹn trả kết quả mới: %(due)s."),
    "resolve": lambda d: _("Hồ sơ %(code)s đã có kết quả. %(collect)s"),
    # Where to rate: most applicants have no account, only the receipt whose QR code opens the lookup page.
    "return_result": lambda d: _("Hồ sơ %(code)s đã trả kết quả. Mời ông/bà đánh giá mức độ hài lòng tại trang tra cứu "
                                 "hồ sơ (mã QR trên giấy tiếp nhận)."),
    "refuse": lambda d: _("Hồ sơ %(code)s bị từ chối giải quyết: %(reason)s."),
    "withdraw": lambda d: _("Hồ sơ %(code)s đã được rút theo yêu cầu."),
}


def dossier_applicant_notify(*, dossier, action: str) -> None:
    from egov.notifications.services import recipient_language

    if action not in MESSAGES or dossier.state == DossierState.DRAFT:
        return
    # The applicant's message, whatever the clerk's interface language: in the language of their account, if any.
    with recipient_language(dossier.citizen if dossier.citizen_id is not None else None):
        full_online = dossier.procedure.online_level == "full" and dossier.channel == "online"
        text = MESSAGES[action](dossier) % {
            "code": dossier.code, "agency": dossier.receiving_agency.name, "reason": dossier.closing_reason,
            "due": timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y") if dossier.due_at else "—",
            "collect": _("Kết quả điện tử có trên Cổng dịch vụ công.") if full_online else
            _("Mời ông/bà nhận kết quả tại %(place)s.") % {"place": dossier.receiving_agency.name},
        }
        payload = {"subject": _("Hồ sơ %(code)s: %(state)s") % {"code": dossier.code, "state": dossier.get_state_display()},
                   "text": text, "dossier": dossier.code}
        dossier_applicant_message_send(dossier=dossier, payload=payload)


def dossier_applicant_message_send(*, dossier, payload: dict) -> None:
    """Send a message already rendered (in the applicant's language) on every channel the applicant has: their
    portal account, the dossier's e-mail, its phone. The one place those channels are listed."""
    from egov.notifications.models import Channel
    from egov.notifications.services import notification_send

    if dossier.citizen_id is not None:
        notification_send(template="message", channel=Channel.IN_APP, recipient=dossier.citizen, payload=payload)
    if dossier.applicant_email:
        notification_send(template="message", channel=Channel.EMAIL, address=dossier.applicant_email, payload=payload)
    if dossier.applicant_phone:
        notification_send(template="message", channel=Channel.SMS, address=dossier.applicant_phone, payload=payload)
