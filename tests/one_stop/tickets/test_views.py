"""The kiosk, the slip, the display board and the clerk's console, with their query counts."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from egov.accounts.roles import Role
from one_stop.tickets.models import QueueTicket, QueueTicketEvent, TicketState
from one_stop.tickets.services import ticket_call_next, ticket_issue, ticket_recall, ticket_serve
from tests.a11y import a11y_problems
from tests.factories import AgencyFactory, UserFactory
from tests.one_stop.tickets.conftest import make_counter

pytestmark = pytest.mark.django_db


def kiosk_url(agency):
    return reverse("tickets:kiosk", args=[agency.exchange_code])


def board_url(agency, fragment=False):
    return reverse("tickets:board_fragment" if fragment else "tickets:board", args=[agency.exchange_code])


# --- kiosk ----------------------------------------------------------------------------------------

def test_the_kiosk_shows_a_button_per_open_area_with_the_waiting_count(client, centre, area_a, area_b):
    ticket_issue(area=area_a)
    ticket_issue(area=area_a)
    area_b.is_active = False
    area_b.save()

    response = client.get(kiosk_url(centre))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Tư pháp – Hộ tịch" in html and "2 người đang chờ" in html
    assert "Đất đai – Môi trường" not in html


def test_the_kiosk_is_found_by_agency_id_too(client, centre, area_a):
    assert client.get(reverse("tickets:kiosk", args=[centre.pk])).status_code == 200


def test_an_unknown_or_inactive_agency_has_no_kiosk(client, centre):
    centre.is_active = False
    centre.save()

    assert client.get(kiosk_url(centre)).status_code == 404
    assert client.get(reverse("tickets:kiosk", args=["999.99.99.H99"])).status_code == 404


def test_pressing_an_area_issues_a_number_and_shows_the_slip(client, centre, area_a):
    ticket_issue(area=area_a)

    response = client.post(kiosk_url(centre), {"area": area_a.pk}, follow=True)

    ticket = QueueTicket.objects.get(number=2)
    assert response.redirect_chain == [(reverse("tickets:slip", args=[ticket.token]), 302)]
    html = response.content.decode()
    assert "A-002" in html and "Tư pháp – Hộ tịch" in html
    assert response.context["ahead"] == 1
    assert timezone.localtime(ticket.issued_at).strftime("%H:%M %d/%m/%Y") in html


@pytest.fixture
def kiosk_address():
    """A fresh documentation address per test: the throttle's counters live in the shared cache."""
    import uuid

    from django.core.cache import cache

    address = f"203.0.113.{uuid.uuid4().int % 250 + 1}"
    cache.delete(f"throttle_ticket_{address}")
    yield address
    cache.delete(f"throttle_ticket_{address}")


def test_a_device_pressing_too_fast_is_stopped_and_the_queue_keeps_its_numbers(client, centre, area_a, settings,
                                                                              kiosk_address):
    settings.EGOV_TICKET_THROTTLE = "3/min"
    statuses = [client.post(kiosk_url(centre), {"area": area_a.pk}, REMOTE_ADDR=kiosk_address).status_code
                for _press in range(4)]

    assert statuses == [302, 302, 302, 429]
    assert QueueTicket.objects.count() == 3
    refused = client.post(kiosk_url(centre), {"area": area_a.pk}, REMOTE_ADDR=kiosk_address)
    assert "lấy số quá nhiều trong thời gian ngắn" in refused.content.decode()
    # Another kiosk (address) still gives numbers.
    from django.core.cache import cache

    cache.delete("throttle_ticket_203.0.113.251")
    assert client.post(kiosk_url(centre), {"area": area_a.pk}, REMOTE_ADDR="203.0.113.251").status_code == 302


def test_an_area_gives_at_most_its_daily_limit_of_numbers(client, centre, area_a, settings, kiosk_address):
    settings.EGOV_TICKET_DAILY_LIMIT = 2
    ticket_issue(area=area_a)
    ticket_issue(area=area_a)

    response = client.post(kiosk_url(centre), {"area": area_a.pk}, REMOTE_ADDR=kiosk_address)

    assert response.status_code == 409 and "đã cấp hết số của ngày hôm nay" in response.content.decode()
    assert QueueTicket.objects.count() == 2


@pytest.mark.parametrize("value", ["", "abc", "999999"])
def test_a_bad_area_is_refused_with_a_message_and_no_number(client, centre, area_a, value):
    response = client.post(kiosk_url(centre), {"area": value})

    assert response.status_code == 400
    assert "Vui lòng chọn một khu vực đang cấp số." in response.content.decode()
    assert not QueueTicket.objects.exists()


def test_the_kiosk_does_not_issue_numbers_of_another_agencys_area(client, centre):
    other = AgencyFactory()
    foreign = other.service_areas.create(prefix="Z", name="Khác")

    response = client.post(kiosk_url(centre), {"area": foreign.pk})

    assert response.status_code == 400 and not QueueTicket.objects.exists()


def test_the_kiosk_runs_a_constant_number_of_queries(client, centre, area_a, django_assert_max_num_queries):
    client.get(kiosk_url(centre))  # session and language set-up out of the count
    with django_assert_max_num_queries(2) as one:
        client.get(kiosk_url(centre))
    for index in range(12):
        area = centre.service_areas.create(prefix=chr(ord("C") + index), name=f"Khu {index}")
        ticket_issue(area=area)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(kiosk_url(centre))
    assert len(response.context["areas"]) == 13


def test_the_slip_of_an_unknown_token_is_not_found(client):
    assert client.get(reverse("tickets:slip", args=["00000000-0000-0000-0000-000000000000"])).status_code == 404


# --- display board --------------------------------------------------------------------------------

def test_the_board_shows_the_number_called_at_each_counter_and_the_last_calls(client, centre, area_a, counter, clerk):
    second = make_counter(centre, 2, area_a)
    for _ in range(3):
        ticket_issue(area=area_a)
    ticket_serve(ticket=ticket_call_next(counter=counter, clerk=clerk), clerk=clerk)
    ticket_call_next(counter=counter, clerk=clerk)
    ticket_call_next(counter=second, clerk=clerk)

    response = client.get(board_url(centre))

    rows = {c.number: c.current.label for c in response.context["counters"]}
    assert rows == {1: "A-002", 2: "A-003"}
    assert [t.label for t in response.context["recent"]] == ["A-003", "A-002", "A-001"]
    html = response.content.decode()
    assert "hx-trigger=\"every 2s\"" in html and reverse("tickets:board_fragment", args=[centre.exchange_code]) in html


def test_a_fresh_call_or_recall_is_highlighted_and_an_old_one_is_not(client, centre, area_a, counter, clerk):
    from datetime import timedelta
    from unittest import mock

    ticket_issue(area=area_a)
    called = ticket_call_next(counter=counter, clerk=clerk)
    assert "board-fresh" in client.get(board_url(centre, fragment=True)).content.decode()

    later = timezone.now() + timedelta(seconds=30)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert "board-fresh" not in client.get(board_url(centre, fragment=True)).content.decode()
        ticket_recall(ticket=called, clerk=clerk)
        html = client.get(board_url(centre, fragment=True)).content.decode()
    assert "board-fresh" in html and "Mời" in html


def test_the_board_announces_each_new_call_once_not_the_whole_board_at_every_poll(client, centre, area_a, counter, clerk):
    ticket_issue(area=area_a)
    called = ticket_call_next(counter=counter, clerk=clerk)

    page = client.get(board_url(centre)).content.decode()
    fragment = client.get(board_url(centre, fragment=True)).content.decode()

    board = re.search(r'<div id="board"[^>]*>', page).group(0)
    assert "aria-live" not in board  # replaced at every poll, clock included: a live board would be read again and again
    announcer = re.search(r'<p id="board-announcer"[^>]*>', page).group(0)
    assert 'role="status"' in announcer and 'aria-live="polite"' in announcer
    assert page.index('id="board-announcer"') < page.index('id="board"')  # outside what the polls replace
    row = re.search(r'<tr class="board-row board-fresh"[^>]*>', fragment).group(0)
    assert f'data-call="{called.pk}-' in row and 'data-announce="Mời số A-001 đến Quầy 1"' in row
    tickets_js = (Path(settings.BASE_DIR) / "static" / "js" / "tickets.js").read_text()
    assert "board-announcer" in tickets_js and "htmx:afterSwap" in tickets_js


def test_a_recall_is_a_new_call_to_announce(client, centre, area_a, counter, clerk):
    from datetime import timedelta
    from unittest import mock

    ticket_issue(area=area_a)
    called = ticket_call_next(counter=counter, clerk=clerk)
    first = re.search(r'data-call="([^"]+)"', client.get(board_url(centre, fragment=True)).content.decode()).group(1)

    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(seconds=30)):
        ticket_recall(ticket=called, clerk=clerk)
        again = re.search(r'data-call="([^"]+)"', client.get(board_url(centre, fragment=True)).content.decode()).group(1)

    assert first != again


def test_the_kiosk_board_and_console_have_labels_headings_and_names(client, centre, area_a, counter, clerk):
    ticket_issue(area=area_a)
    ticket_call_next(counter=counter, clerk=clerk)
    client.force_login(clerk)

    for url in (kiosk_url(centre), board_url(centre), reverse("tickets:clerk_console", args=[counter.pk])):
        assert a11y_problems(client.get(url).content.decode()) == [], url


def test_the_board_fragment_is_not_cached_and_has_no_page_layout(client, centre, counter):
    response = client.get(board_url(centre, fragment=True))

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert "<html" not in response.content.decode()


def test_the_board_fragment_runs_a_constant_number_of_queries(client, centre, area_a, clerk,
                                                             django_assert_max_num_queries):
    first = make_counter(centre, 1, area_a)
    ticket_issue(area=area_a)
    ticket_call_next(counter=first, clerk=clerk)
    client.get(board_url(centre, fragment=True))
    with django_assert_max_num_queries(4) as one:
        client.get(board_url(centre, fragment=True))
    for number in range(2, 12):
        ticket_issue(area=area_a)
        ticket_call_next(counter=make_counter(centre, number, area_a), clerk=clerk)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(board_url(centre, fragment=True))
    assert len(response.context["counters"]) == 11 and all(c.current for c in response.context["counters"])


# --- clerk console --------------------------------------------------------------------------------

def test_the_clerk_page_needs_a_sign_in(client):
    response = client.get(reverse("tickets:clerk"))

    assert response.status_code == 302 and "dang-nhap" in response["Location"]


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.CITIZEN])
def test_the_clerk_page_is_for_one_stop_clerks_only(client, centre, counter, role):
    client.force_login(UserFactory(agency=centre, roles=[role]))

    assert client.get(reverse("tickets:clerk")).status_code == 403
    assert client.post(reverse("tickets:clerk_action", args=[counter.pk, "goi-tiep"])).status_code == 403


def test_the_clerk_picks_one_of_their_agencys_counters(client, centre, counter, clerk):
    make_counter(AgencyFactory(), 7)
    client.force_login(clerk)

    response = client.get(reverse("tickets:clerk"))

    assert [c.pk for c in response.context["counters"]] == [counter.pk]
    assert reverse("tickets:clerk_console", args=[counter.pk]) in response.content.decode()


def test_a_clerk_cannot_open_another_agencys_counter(client, clerk):
    foreign = make_counter(AgencyFactory(), 7)
    client.force_login(clerk)

    assert client.get(reverse("tickets:clerk_console", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("tickets:clerk_action", args=[foreign.pk, "goi-tiep"])).status_code == 404


def test_the_clerk_calls_recalls_and_serves_from_the_console(client, centre, area_a, counter, clerk):
    ticket_issue(area=area_a)
    ticket_issue(area=area_a)
    client.force_login(clerk)
    console = reverse("tickets:clerk_console", args=[counter.pk])

    response = client.post(reverse("tickets:clerk_action", args=[counter.pk, "goi-tiep"]), follow=True)
    assert response.redirect_chain == [(console, 302)]
    assert "Đã gọi số A-001." in response.content.decode()
    assert response.context["current"].label == "A-001" and response.context["waiting"] == 1
    ticket = response.context["current"]

    response = client.post(reverse("tickets:clerk_action", args=[counter.pk, "goi-lai"]), {"ticket": ticket.pk},
                           follow=True)
    assert "Đã gọi lại số A-001." in response.content.decode()
    response = client.post(reverse("tickets:clerk_action", args=[counter.pk, "da-phuc-vu"]), {"ticket": ticket.pk},
                           follow=True)
    assert "Đã phục vụ xong số A-001." in response.content.decode() and response.context["current"] is None

    ticket.refresh_from_db()
    assert (ticket.state, ticket.recall_count) == (TicketState.SERVED, 1)
    assert list(QueueTicketEvent.objects.filter(ticket=ticket).values_list("action", flat=True)) == [
        "issue", "call", "recall", "serve"]


def test_the_clerk_skips_an_absent_applicant(client, area_a, counter, clerk):
    ticket_issue(area=area_a)
    ticket = ticket_call_next(counter=counter, clerk=clerk)
    client.force_login(clerk)

    response = client.post(reverse("tickets:clerk_action", args=[counter.pk, "bo-qua"]), {"ticket": ticket.pk},
                           follow=True)

    assert "Đã bỏ qua số A-001." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.state == TicketState.SKIPPED


def test_an_empty_queue_is_a_409_with_a_message(client, counter, clerk):
    client.force_login(clerk)

    response = client.post(reverse("tickets:clerk_action", args=[counter.pk, "goi-tiep"]))

    assert response.status_code == 409
    assert "Không còn số nào đang chờ" in response.content.decode()


def test_a_stale_page_cannot_act_on_a_finished_number(client, area_a, counter, clerk):
    ticket_issue(area=area_a)
    ticket = ticket_serve(ticket=ticket_call_next(counter=counter, clerk=clerk), clerk=clerk)
    client.force_login(clerk)

    response = client.post(reverse("tickets:clerk_action", args=[counter.pk, "bo-qua"]), {"ticket": ticket.pk})

    assert response.status_code == 409 and "Số A-001 không còn ở trạng thái đã gọi" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.state == TicketState.SERVED


@pytest.mark.parametrize("value", ["", "abc", "999999"])
def test_an_unknown_ticket_is_a_404_with_a_message(client, counter, clerk, value):
    client.force_login(clerk)

    response = client.post(reverse("tickets:clerk_action", args=[counter.pk, "goi-lai"]), {"ticket": value})

    assert response.status_code == 404 and "Không tìm thấy số thứ tự này." in response.content.decode()


def test_an_unknown_action_is_not_found(client, counter, clerk):
    client.force_login(clerk)

    assert client.post(reverse("tickets:clerk_action", args=[counter.pk, "xoa"])).status_code == 404


def test_actions_need_post(client, counter, clerk):
    client.force_login(clerk)

    assert client.get(reverse("tickets:clerk_action", args=[counter.pk, "goi-tiep"])).status_code == 405


def test_the_console_runs_a_constant_number_of_queries(client, centre, area_a, area_b, counter, clerk,
                                                       django_assert_max_num_queries):
    ticket_issue(area=area_a)
    ticket_call_next(counter=counter, clerk=clerk)
    client.force_login(clerk)
    console = reverse("tickets:clerk_console", args=[counter.pk])
    client.get(console)
    with django_assert_max_num_queries(30) as one:
        client.get(console)
    for _ in range(15):
        ticket_issue(area=area_a)
        ticket_issue(area=area_b)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(console)
    assert response.context["waiting"] == 30


def test_the_counter_picker_runs_a_constant_number_of_queries(client, centre, area_a, area_b, counter, clerk,
                                                              django_assert_max_num_queries):
    client.force_login(clerk)
    client.get(reverse("tickets:clerk"))
    with django_assert_max_num_queries(30) as one:
        client.get(reverse("tickets:clerk"))
    for number in range(2, 12):
        make_counter(centre, number, area_a, area_b)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("tickets:clerk"))
    assert len(response.context["counters"]) == 11


def test_after_serving_the_console_names_the_last_number_instead_of_saying_none_was_called(
        client, centre, area_a, counter, clerk):
    ticket_issue(area=area_a)
    served = ticket_serve(ticket=ticket_call_next(counter=counter, clerk=clerk), clerk=clerk)
    client.force_login(clerk)

    html = client.get(reverse("tickets:clerk_console", args=[counter.pk])).content.decode()

    assert "Quầy chưa gọi số nào." not in html
    assert "Không có số đang gọi." in html and f"Số gọi gần nhất: {served.label} (Đã phục vụ)." in html


def test_a_counter_that_called_nothing_today_says_so(client, centre, area_a, counter, clerk):
    client.force_login(clerk)

    html = client.get(reverse("tickets:clerk_console", args=[counter.pk])).content.decode()

    assert "Quầy chưa gọi số nào." in html and "Số gọi gần nhất" not in html


def test_an_empty_board_says_so_in_a_sentence_not_as_call_number_one(client, centre, area_a, counter):
    page = client.get(board_url(centre)).content.decode()
    recent = page[page.index('class="board-recent"'):]
    assert "<p>Chưa gọi số nào hôm nay.</p>" in recent and "<li>" not in recent[:recent.index("</section>")]


@pytest.mark.parametrize("action", ["goi-lai", "bo-qua", "da-phuc-vu"])
def test_a_console_acts_only_on_the_number_its_own_counter_called(client, centre, area_a, counter, action):
    """Found by review: counter 1's console could skip (recall, close) the number a colleague called to counter 2 —
    the applicant standing there lost their turn, and the event was written under counter 2."""
    other = make_counter(centre, 2, area_a)
    colleague, me = (UserFactory(agency=centre, roles=[Role.ONE_STOP_CLERK]) for _ in range(2))
    ticket_issue(area=area_a)
    served_elsewhere = ticket_call_next(counter=other, clerk=colleague)
    client.force_login(me)

    response = client.post(reverse("tickets:clerk_action", args=[counter.pk, action]), {"ticket": served_elsewhere.pk})

    served_elsewhere.refresh_from_db()
    assert response.status_code == 409 and served_elsewhere.state == TicketState.CALLED
    assert "không phải quầy này" in response.content.decode()
    assert not QueueTicketEvent.objects.filter(ticket=served_elsewhere).exclude(action__in=["issue", "call"]).exists()


def test_the_recall_button_goes_once_the_number_was_recalled_as_often_as_allowed(client, centre, area_a, counter, clerk):
    """Found by exploratory testing: "Gọi lại" stayed after the third recall, and answered a refusal (409)."""
    from one_stop.tickets.services import MAX_RECALLS

    ticket_issue(area=area_a)
    client.force_login(clerk)
    response = client.post(reverse("tickets:clerk_action", args=[counter.pk, "goi-tiep"]), follow=True)
    ticket = response.context["current"]
    recall = reverse("tickets:clerk_action", args=[counter.pk, "goi-lai"])
    for _ in range(MAX_RECALLS):
        assert f'action="{recall}"' in response.content.decode()
        response = client.post(recall, {"ticket": ticket.pk}, follow=True)
    page = response.content.decode()
    assert f'action="{recall}"' not in page and "Đã gọi lại đủ số lần" in page
    assert reverse("tickets:clerk_action", args=[counter.pk, "bo-qua"]) in page
