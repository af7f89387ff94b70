"""Shared helpers of the one-stop tests."""

from datetime import datetime
from unittest import mock

from django.utils import timezone

from egov.accounts.roles import Role
from one_stop.services.dossiers import ApplicantData, dossier_receive_at_counter

APPLICANT = ApplicantData(full_name="Đặng Văn Công", id_number="020095001234", phone="+84 912 345 678",
                          address="Phường Đông Kinh, Lạng Sơn")


def at_local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def receive_at_counter(staff, procedure, when):
    with mock.patch("django.utils.timezone.now", return_value=when):
        return dossier_receive_at_counter(clerk=staff[Role.ONE_STOP_CLERK], procedure=procedure, applicant=APPLICANT)
