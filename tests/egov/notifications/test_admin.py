"""The notifications' admin: an agency administrator reads only their own agency's staff's notifications, and no one
reads a one-time code's text there (found in review: a commune's administrator listed every notification of the
province — sign-up, password-reset and contact-change codes, other agencies' messages to citizens)."""

import re

import pytest
from django.urls import reverse

from egov.accounts.roles import Role
from egov.notifications.models import Channel, Notification
from egov.notifications.services import notification_send
from tests.docs_office.test_views import signed_in
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _message(recipient, text="Hồ sơ của bạn cần bổ sung giấy khai sinh.", channel=Channel.IN_APP, address=""):
    return notification_send(template="message", channel=channel, recipient=recipient, address=address,
                             payload={"subject": "Thông báo", "text": text})


def test_an_agency_administrator_cannot_read_a_citizens_password_reset_code_in_the_admin(client):
    """The reviewer's repro: any agency's administrator (role agency_admin: notifications.view_notification) listed
    every notification of the province, whose body held the one-time code in clear."""
    from egov.accounts.citizens import password_reset_complete, password_reset_request

    victim = UserFactory(citizen=True, full_name="Người Bị Hại")
    admin = UserFactory(agency=AgencyFactory(commune=True), roles=[Role.AGENCY_ADMIN], is_staff=True)
    otc = password_reset_request(identifier=victim.phone, ip="198.51.100.9")  # the public page, typed by anyone
    notification = Notification.objects.get(recipient=victim, template="otp_code")

    signed_in(client, admin)
    page = client.get(reverse("admin:notifications_notification_change", args=[notification.pk])).content.decode()

    shown = re.findall(r"\b\d{6}\b", page)
    code = next((c for c in shown if c in notification.body), None)
    if code is not None:  # what the attacker does next
        password_reset_complete(public_id=otc.public_id, code=code, new_password="Chiem-Quyen-2026!", ip=None)
    assert code is None, "the agency administrator read the code and reset the citizen's password"


def test_an_agency_administrator_lists_only_their_own_agencys_staffs_notifications(client):
    agency, other = AgencyFactory(), AgencyFactory()
    admin = UserFactory(agency=agency, roles=[Role.AGENCY_ADMIN], is_staff=True)
    own = _message(UserFactory(agency=agency, roles=[Role.SPECIALIST]))
    elsewhere = _message(UserFactory(agency=other, roles=[Role.SPECIALIST]))
    citizens = _message(UserFactory(citizen=True))
    applicant = _message(None, channel=Channel.EMAIL, address="nguoi.nop@example.vn")  # no account
    operator = _message(UserFactory(agency=agency, roles=[Role.SYSTEM_ADMIN], is_staff=True),
                        text="Yêu cầu về dữ liệu cá nhân DLCN-0001 của Đinh Thị Hoa")
    superuser = _message(UserFactory(agency=agency, is_superuser=True, is_staff=True))

    signed_in(client, admin)
    listed = set(client.get(reverse("admin:notifications_notification_changelist")).context["cl"].result_list)

    assert listed == {own}
    for hidden in (elsewhere, citizens, applicant, operator, superuser):
        response = client.get(reverse("admin:notifications_notification_change", args=[hidden.pk]))
        assert response.status_code == 302 and hidden.payload["text"] not in response.content.decode()


def test_an_agency_administrator_cannot_send_notifications_again(client):
    agency = AgencyFactory()
    admin = UserFactory(agency=agency, roles=[Role.AGENCY_ADMIN], is_staff=True)
    _message(UserFactory(agency=agency, roles=[Role.SPECIALIST]))

    signed_in(client, admin)
    form = client.get(reverse("admin:notifications_notification_changelist")).context["action_form"]

    assert form is None or "retry" not in dict(form.fields["action"].choices)  # no action at all: read-only


def test_a_system_administrator_sees_every_notification_but_never_a_codes_text(client):
    system_admin = UserFactory(agency=AgencyFactory(), roles=[Role.SYSTEM_ADMIN], is_staff=True)
    citizen = UserFactory(citizen=True)
    message = _message(citizen)
    from egov.accounts.citizens import password_reset_request

    password_reset_request(identifier=citizen.phone, ip=None)
    code = Notification.objects.get(template="otp_code")
    legacy = notification_send(template="otp_code", channel=Channel.SMS, recipient=citizen,  # written before sealing
                               payload={"code": "246810", "minutes": 5})

    signed_in(client, system_admin)
    listed = set(client.get(reverse("admin:notifications_notification_changelist")).context["cl"].result_list)
    assert {message, code, legacy} <= listed
    shown = client.get(reverse("admin:notifications_notification_change", args=[message.pk])).content.decode()
    assert message.payload["text"] in shown
    for otp in (code, legacy):
        page = client.get(reverse("admin:notifications_notification_change", args=[otp.pk]))
        fields = {line.field["name"] for fieldset in page.context["adminform"] for row in fieldset for line in row}
        assert page.status_code == 200 and not fields & {"body", "payload"} and "address" in fields
    assert "246810" not in client.get(reverse("admin:notifications_notification_change", args=[legacy.pk])).content.decode()
