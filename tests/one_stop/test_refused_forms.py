"""A form of the dossier page the rules refuse — the state changed meanwhile in another tab, a colleague acted first —
answers as the API does (409, 403, 400) with the dossier page as it is now, the message in Vietnamese, and nothing
typed lost."""

import html
from unittest import mock

import pytest

from egov.accounts.roles import Role
from one_stop.catalogue.data import ProcedureData
from one_stop.constants import DossierState as S
from one_stop.models import Dossier
from one_stop.services.catalogue import procedure_upsert
from one_stop.services.dossiers import dossier_act, dossier_submit_online
from tests.factories import UserFactory
from tests.one_stop.factories import at_local, receive_at_counter

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    return html.unescape(response.content.decode())


def test_an_action_no_longer_allowed_answers_409_with_the_page_and_the_note_typed(client, staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    client.force_login(staff[Role.SPECIALIST])
    assert 'data-action="start"' in client.get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    # Meanwhile, in another tab, the head of division takes it.
    dossier_act(dossier=dossier, user=staff[Role.HEAD_OF_DIVISION], action="start")

    response = client.post(f"/mot-cua/ho-so/{dossier.code}/thao-tac/start/", {"note": "Giao chị Lan thẩm định"})

    assert response.status_code == 409
    page = _page(response)
    # The service's message, as the API gives it, and the state as it is now.
    assert "Không thể bắt đầu giải quyết hồ sơ đang ở trạng thái “Đang giải quyết”." in page
    assert 'role="alert"' in page and 'data-action="start"' not in page
    # The note survives, read-only apart: the form it was typed in is no longer offered.
    assert '<textarea id="note-kept" rows="2" readonly>Giao chị Lan thẩm định</textarea>' in page
    assert Dossier.objects.get(pk=dossier.pk).events.count() == 2  # receive, start: nothing added


def test_an_action_not_the_users_answers_403_with_the_page(client, staff, procedure):
    dossier = dossier_act(dossier=receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0)),
                          user=staff[Role.SPECIALIST], action="start")
    client.force_login(staff[Role.SPECIALIST])

    response = client.post(f"/mot-cua/ho-so/{dossier.code}/thao-tac/resolve/", {"note": "Đủ điều kiện"})

    assert response.status_code == 403
    page = _page(response)
    assert "không có quyền" in page and "Đủ điều kiện" in page and f"Hồ sơ {dossier.code}" in page
    assert Dossier.objects.get(pk=dossier.pk).state == S.IN_PROGRESS


def test_a_refused_receipt_keeps_the_ticks_the_days_and_the_note_in_its_own_form(client, staff, agency):
    unstated = procedure_upsert(data=ProcedureData(code="3.000333", name="Cấp Phiếu Lý lịch tư pháp", processing_days=None,
                                                   processing_text="10 Ngày"), effective_from=at_local(2025, 7, 1, 0, 0))[0]
    submitted = dossier_submit_online(citizen=UserFactory(citizen=True), procedure=unstated, handling_agency=agency)
    client.force_login(staff[Role.ONE_STOP_CLERK])

    response = client.post(f"/mot-cua/ho-so/{submitted.code}/thao-tac/receive/",
                           {"processing_days": "400", "note": "Đã kiểm tra bản chính", "checklist_shown": "1"})

    assert response.status_code == 400
    page = _page(response)
    assert "Thời hạn giải quyết phải từ 0 đến 365 ngày làm việc" in page
    form = page[max(0, page.index('data-action="receive"') - 4000):page.index('data-action="receive"')]
    assert 'value="400"' in form and "Đã kiểm tra bản chính</textarea>" in form
    assert 'id="note-kept"' not in page  # typed where it was: the receive form is still offered
    assert Dossier.objects.get(pk=submitted.pk).state == S.SUBMITTED


def test_a_step_completed_meanwhile_answers_409_and_keeps_the_opinion(client, staff, procedure):
    dossier = dossier_act(dossier=receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0)),
                          user=staff[Role.SPECIALIST], action="start")
    dossier_act(dossier=dossier, user=staff[Role.LEADER], action="resolve")  # approved meanwhile: no step left here
    client.force_login(staff[Role.SPECIALIST])

    response = client.post(f"/mot-cua/ho-so/{dossier.code}/hoan-thanh-buoc/", {"note": "Hồ sơ hợp lệ"})

    assert response.status_code == 409
    page = _page(response)
    assert "Chỉ hoàn thành bước với hồ sơ đang giải quyết." in page and "Hồ sơ hợp lệ" in page


def test_a_refused_apology_keeps_the_date_and_reason_typed(client, staff, procedure, settings):
    settings.EGOV_TWO_FACTOR_ROLES = []  # the leader's second factor is tested with the accounts
    dossier = dossier_act(dossier=receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0)),
                          user=staff[Role.SPECIALIST], action="start")
    client.force_login(staff[Role.LEADER])

    with mock.patch("django.utils.timezone.now", return_value=at_local(2026, 3, 4, 9, 0)):
        response = client.post(f"/mot-cua/ho-so/{dossier.code}/hen-lai/",
                               {"new_due_at": "2026-03-01T17:00", "reason": "Chờ xác minh nhân thân"})

    assert response.status_code == 400
    page = _page(response)
    assert "Ngày hẹn mới phải sau ngày hẹn trả hiện tại." in page
    assert 'value="2026-03-01T17:00"' in page and "Chờ xác minh nhân thân</textarea>" in page
    assert Dossier.objects.get(pk=dossier.pk).postponed_at is None
