"""Shared bits of the citizen-account tests: valid sign-up data and reading a sent code back."""

from datetime import timedelta

from egov.accounts.models import OneTimeCode
from egov.notifications.models import Notification
from tests.egov.notifications.codes import notification_code

NEW_PASSWORD = "Mat-khau-an-toan-2026"


def signup_data(**overrides) -> dict:
    data = {"full_name": "Nguyễn Văn An", "national_id": "001095001234", "phone": "0981234567",
            "email": "an.nguyen@example.vn", "password": NEW_PASSWORD,
            "privacy_consent": True}
    return data | overrides


def sent_code(address: str) -> str:
    """The code in the latest one-time-code notification to an address (what the SMS/e-mail carried)."""
    return notification_code(Notification.objects.filter(template="otp_code", address=address).latest("created_at", "pk"))


def age(otc: OneTimeCode, **delta) -> None:
    """Move a code's clock back, as if `delta` had passed since it was sent."""
    shift = timedelta(**delta)
    OneTimeCode.objects.filter(pk=otc.pk).update(sent_at=otc.sent_at - shift, expires_at=otc.expires_at - shift,
                                                 created_at=otc.created_at - shift)
    otc.refresh_from_db()
