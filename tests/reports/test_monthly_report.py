"""The monthly PDF per agency: rendered, stored privately, announced to the agency's leaders, once."""

from datetime import date
from unittest import mock

import pytest

from egov.accounts.roles import Role
from egov.notifications.models import Notification
from reports.models import MonthlyReport
from tests.factories import UserFactory
from tests.reports.conftest import verified_client
from tests.reports.fixtures import october

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(commune, department, birth, land):
    return october(commune=commune, department=department, birth=birth, land=land)


def test_the_report_is_rendered_stored_and_announced_once(commune, data, leader_of, django_capture_on_commit_callbacks):
    from reports.services import monthly_report_create

    leader = leader_of(commune)
    UserFactory(agency=commune, roles=[Role.ONE_STOP_CLERK])
    with django_capture_on_commit_callbacks(execute=True):
        report = monthly_report_create(agency=commune, month=date(2026, 10, 15))
    assert report.month == date(2026, 10, 1)
    with report.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    notes = Notification.objects.filter(recipient__agency=commune)
    assert [n.recipient for n in notes] == [leader]
    assert f"/bang-dieu-khien/bao-cao/{report.pk}.pdf" in notes[0].body

    again = monthly_report_create(agency=commune, month=date(2026, 10, 1))
    assert again.pk == report.pk and Notification.objects.filter(recipient=leader).count() == 1


def test_the_pdf_holds_the_months_figures(commune, data):
    from reports.selectors import monthly_report_context

    context = monthly_report_context(agency=commune, month=date(2026, 10, 1))
    assert context["overall"]["received"] == 7 and context["overall"]["on_time_pct"] == pytest.approx(60.0)


def test_only_leaders_of_the_agency_or_above_download_it(client, province, commune, department, data, leader_of):
    from django.core.files.base import ContentFile

    report = MonthlyReport(agency=commune, month=date(2026, 10, 1))
    report.file.save("x.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    url = f"/bang-dieu-khien/bao-cao/{report.pk}.pdf"
    verified_client(client, leader_of(department))
    assert client.get(url).status_code == 404
    client.logout()
    verified_client(client, leader_of(province))
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_beat_task_queues_one_report_per_agency_with_leaders(commune, department, leader_of, data):
    from reports.tasks import reports_monthly_dispatch_task

    leader_of(commune)
    with mock.patch("reports.selectors.today", return_value=date(2026, 11, 1)), \
            mock.patch("egov.core.outbox.outbox_enqueue") as enqueue:
        assert reports_monthly_dispatch_task() == 1
    assert enqueue.call_args.args[1:] == (commune.pk, "2026-10-01")
