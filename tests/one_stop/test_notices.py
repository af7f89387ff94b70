"""Forms 02 and 03: every correction listed at once; the refusal with its reason."""

import pytest

from egov.accounts.roles import Role
from one_stop.services.dossiers import dossier_act
from tests.one_stop.factories import at_local, pdf_fetch, pdf_text, receive_at_counter

pytestmark = pytest.mark.django_db


def _text(client, url, tmp_path) -> str:
    return pdf_text(pdf_fetch(client, url, tmp_path, "notice.pdf"))


def test_form_02_lists_every_correction(client, staff, procedure, tmp_path):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    dossier_act(dossier=dossier, user=staff[Role.ONE_STOP_CLERK], action="request_supplement",
                note="- Giấy chứng sinh bản chính\n- Văn bản ủy quyền có chứng thực")
    client.force_login(staff[Role.ONE_STOP_CLERK])
    text = _text(client, f"/mot-cua/ho-so/{dossier.code}/phieu-thong-bao.pdf", tmp_path)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text and dossier.code in text
    assert "1. Giấy chứng sinh bản chính" in text and "2. Văn bản ủy quyền có chứng thực" in text


def test_form_03_gives_the_reason_for_refusal(client, staff, procedure, tmp_path):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    dossier_act(dossier=dossier, user=staff[Role.LEADER], action="refuse", note="Không thuộc thẩm quyền giải quyết")
    client.force_login(staff[Role.ONE_STOP_CLERK])
    text = _text(client, f"/mot-cua/ho-so/{dossier.code}/phieu-thong-bao.pdf", tmp_path)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ" in text and "Không thuộc thẩm quyền giải quyết" in text


def test_no_notice_for_a_dossier_in_progress(client, staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    client.force_login(staff[Role.ONE_STOP_CLERK])
    assert client.get(f"/mot-cua/ho-so/{dossier.code}/phieu-thong-bao.pdf").status_code == 404


def test_form_05_lists_every_step_of_the_dossier(client, staff, procedure, tmp_path):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    dossier_act(dossier=dossier, user=staff[Role.SPECIALIST], action="start", note="Giao chuyên viên Minh")
    client.force_login(staff[Role.HEAD_OF_DIVISION])
    text = _text(client, f"/mot-cua/ho-so/{dossier.code}/phieu-kiem-soat.pdf", tmp_path)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text and dossier.code in text
    assert "Tiếp nhận" in text and "Bắt đầu giải quyết" in text and "Giao chuyên viên Minh" in text


def test_form_06_registers_the_days_dossiers_of_the_desk(client, staff, procedure, tmp_path):
    first = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    second = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 10, 30))
    other_day = receive_at_counter(staff, procedure, at_local(2026, 3, 3, 9, 0))
    client.force_login(staff[Role.ONE_STOP_CLERK])
    text = _text(client, "/mot-cua/so-theo-doi/2026-03-02.pdf", tmp_path)
    assert "SỔ THEO DÕI HỒ SƠ — ngày 02/03/2026" in text
    assert first.code in text and second.code in text and other_day.code not in text
    client.force_login(staff[Role.SPECIALIST])
    assert client.get("/mot-cua/so-theo-doi/2026-03-02.pdf").status_code == 404


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1999-12-31"])
def test_the_register_of_a_day_outside_the_desks_years_is_not_found(client, staff, day):
    client.force_login(staff[Role.ONE_STOP_CLERK])

    assert client.get(f"/mot-cua/so-theo-doi/{day}.pdf").status_code == 404


def test_the_register_reaches_next_year_but_not_beyond(client, staff):
    from django.utils import timezone

    next_year = timezone.localdate().year + 1
    client.force_login(staff[Role.ONE_STOP_CLERK])

    assert client.get(f"/mot-cua/so-theo-doi/{next_year}-12-31.pdf").status_code == 200
    assert client.get(f"/mot-cua/so-theo-doi/{next_year + 1}-01-01.pdf").status_code == 404


def test_form_05_names_forward_and_postpone_events_in_vietnamese(client, staff, procedure, tmp_path):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    for action in ("forward", "postpone"):
        dossier.events.create(action=action, from_state=dossier.state, to_state=dossier.state,
                              at=at_local(2026, 3, 3, 9, 0))
    client.force_login(staff[Role.ONE_STOP_CLERK])

    text = _text(client, f"/mot-cua/ho-so/{dossier.code}/phieu-kiem-soat.pdf", tmp_path)

    assert "Chuyển cơ quan khác" in text and "Xin lỗi, hẹn lại" in text
    assert "Forward" not in text and "Postpone" not in text


def test_an_event_is_named_by_a_phrase_of_its_own_not_by_an_actions_sentence_fragment():
    from django.utils import translation

    from one_stop.events import EVENT_LABELS, event_label
    from one_stop.services.dossiers import ACTION_LABELS

    assert set(ACTION_LABELS) <= set(EVENT_LABELS)
    with translation.override("en"):
        # "Không thể %(a)s hồ sơ…" needs "approve the result of"; the history needs a phrase.
        assert event_label("resolve") != str(ACTION_LABELS["resolve"])


def test_a_notice_is_dated_at_its_agencys_place(client, staff, procedure, tmp_path, agency):
    """Decree 30: "Tân Thanh, ngày … tháng … năm …" — the commune's proper name at a commune, the province's for the
    province's agencies."""
    from tests.factories import AgencyFactory

    committee = AgencyFactory(province=True, name="Ủy ban nhân dân tỉnh Lạng Sơn")
    agency.name, agency.parent = "Ủy ban nhân dân xã Tân Thanh", committee
    agency.save(update_fields=["name", "parent"])
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    dossier_act(dossier=dossier, user=staff[Role.LEADER], action="refuse", note="Không thuộc thẩm quyền giải quyết")
    client.force_login(staff[Role.ONE_STOP_CLERK])
    text = _text(client, f"/mot-cua/ho-so/{dossier.code}/phieu-thong-bao.pdf", tmp_path)
    assert "Tân Thanh, ngày" in text
    centre = AgencyFactory(parent=AgencyFactory(parent=committee, name="Văn phòng Ủy ban nhân dân tỉnh Lạng Sơn"))
    assert centre.place_name == "Lạng Sơn"
    assert AgencyFactory(parent=None).place_name == ""  # no committee above: no place rather than a wrong one


def test_forms_05_and_06_stay_in_vietnamese_for_a_clerk_working_in_english(client, staff, procedure, tmp_path):
    """The forms are the authority's papers: an event's or a state's name in the clerk's interface language
    would leave English lines in a Vietnamese form."""
    dossier = receive_at_counter(staff, procedure, at_local(2026, 3, 2, 9, 0))
    dossier_act(dossier=dossier, user=staff[Role.SPECIALIST], action="start", note="Giao chuyên viên Minh")
    client.force_login(staff[Role.ONE_STOP_CLERK])
    client.cookies["django_language"] = "en"

    slip = _text(client, f"/mot-cua/ho-so/{dossier.code}/phieu-kiem-soat.pdf", tmp_path)
    register = _text(client, "/mot-cua/so-theo-doi/2026-03-02.pdf", tmp_path)

    assert "Bắt đầu giải quyết" in slip and "Start" not in slip
    assert dossier.code in register and "Đang giải quyết" in register
    assert "In progress" not in register and "Received" not in register
