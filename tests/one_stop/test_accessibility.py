"""WCAG 2.1 AA on the one-stop desk's pages: the counter form, the queue and the dossier page."""

import re

import pytest
from django.urls import reverse

from egov.accounts.roles import Role
from tests.a11y import a11y_problems
from tests.one_stop.factories import APPLICANT, at_local, receive_at_counter

pytestmark = pytest.mark.django_db


@pytest.fixture
def birth_registration(db):
    """Procedure 1.001193 with two required documents."""
    from one_stop.catalogue.data import ProcedureData, RequiredDocument
    from one_stop.services.catalogue import procedure_upsert

    return procedure_upsert(data=ProcedureData(code="1.001193", name="Thủ tục đăng ký khai sinh", field="Hộ tịch",
                                               processing_days=5,
                                               required_documents=[RequiredDocument(name="Tờ khai đăng ký khai sinh"),
                                                                   RequiredDocument(name="Giấy chứng sinh")]),
                            effective_from=at_local(2025, 7, 1, 0, 0))


def test_the_counter_form_has_labels_and_ties_its_errors_to_their_fields(client, staff, procedure):
    client.force_login(staff[Role.ONE_STOP_CLERK])

    blank = client.get(reverse("one_stop_staff:counter")).content.decode()
    refused = client.post(reverse("one_stop_staff:counter"), {"procedure": procedure.code}).content.decode()

    assert a11y_problems(blank) == []
    assert a11y_problems(refused) == []
    assert 'aria-invalid="true"' in refused  # the name was missing: the check above saw its error tied to it


def test_each_scan_of_the_counter_checklist_names_its_document(client, staff, birth_registration):
    client.force_login(staff[Role.ONE_STOP_CLERK])

    html = client.get(reverse("one_stop_staff:counter_checklist"), {"procedure": "1.001193"}).content.decode()

    assert html.count("Bản quét (không bắt buộc)") == 2
    assert '<span class="visually-hidden">: Giấy chứng sinh</span>' in html


def test_a_new_checklist_is_announced_in_one_sentence_not_read_out_whole(client, staff, birth_registration):
    client.force_login(staff[Role.ONE_STOP_CLERK])

    page = client.get(reverse("one_stop_staff:counter")).content.decode()
    fragment = client.get(reverse("one_stop_staff:counter_checklist"), {"procedure": "1.001193"}).content.decode()

    assert re.search(r'<p id="checklist-status" class="visually-hidden" role="status"></p>\s*<div id="checklist">', page)
    assert ('<p id="checklist-status" hx-swap-oob="innerHTML">Đã hiện 2 thành phần hồ sơ cần kiểm tra.</p>'
            in fragment)


def test_the_queue_and_the_dossier_page_have_labels_headings_and_table_headers(client, staff, procedure):
    dossier = receive_at_counter(staff, procedure, at_local(2026, 12, 1, 9, 0))
    client.force_login(staff[Role.ONE_STOP_CLERK])

    queue = client.get(reverse("one_stop_staff:queue")).content.decode()
    page = client.get(reverse("one_stop_staff:dossier", args=[dossier.code])).content.decode()

    assert a11y_problems(queue) == [] and a11y_problems(page) == []
    assert APPLICANT.full_name in queue


def test_the_queue_says_each_deadline_in_words_not_by_colour_alone(client, staff, procedure):
    receive_at_counter(staff, procedure, at_local(2026, 12, 1, 9, 0))
    client.force_login(staff[Role.ONE_STOP_CLERK])

    html = client.get(reverse("one_stop_staff:queue")).content.decode()

    row = html[html.index("<tbody>"):html.index("</tbody>")]
    assert any(f'due-{status}">{label}<' in row for status, label in
               (("overdue", "Quá hạn"), ("due_soon", "Sắp đến hạn"), ("on_time", "Trong hạn")))


def test_the_counter_form_never_offers_an_earlier_applicants_data(client, staff):
    """A desk's browser is shared: what one applicant's clerk typed is not suggested for the next applicant."""
    client.force_login(staff[Role.ONE_STOP_CLERK])

    html = client.get(reverse("one_stop_staff:counter")).content.decode()

    for name in ("full_name", "id_number", "phone", "email", "address"):
        control = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)[0]
        assert 'autocomplete="off"' in control, control


def test_the_queue_legend_names_every_status_a_row_can_show(client, staff):
    client.force_login(staff[Role.ONE_STOP_CLERK])

    html = client.get(reverse("one_stop_staff:queue")).content.decode()

    legend = html[html.index('<p class="legend">'):]
    legend = legend[:legend.index("</p>")]
    for status, label in (("overdue", "Quá hạn"), ("due_soon", "Sắp đến hạn"), ("on_time", "Trong hạn"),
                          ("not_received", "Chưa tiếp nhận")):
        assert f'<span class="due due-{status}">{label}</span>' in legend


def test_each_cell_of_the_queue_names_its_column_for_the_phones_card_layout(client, staff, procedure):
    receive_at_counter(staff, procedure, at_local(2026, 12, 1, 9, 0))
    client.force_login(staff[Role.ONE_STOP_CLERK])

    queue = client.get(reverse("one_stop_staff:queue")).content.decode()

    row = queue[queue.index('<tr class="row-'):]
    row = row[:row.index("</tr>")]
    labels = re.findall(r'<td data-label="([^"]+)"', row)
    assert labels == ["Mã hồ sơ", "Thủ tục", "Người nộp", "Trạng thái", "Hẹn trả", "Tiến độ"]
    assert '<table class="stack-table">' in queue
