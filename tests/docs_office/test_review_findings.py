"""Defects a review of eOffice found, each proved by its test: a secret letter named by an edXML answer's ResponseFor
or counted on a leader's dashboard, another type's secret series, a double edXML import, a reader id of 0, NUL
characters in notes posted by the pages, a refused task report's text lost."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from docs_office.constants import Confidentiality
from egov.accounts.roles import Role
from tests.docs_office.factories import assign_to, register_scan
from tests.docs_office.test_outgoing import draft, issued_unsigned
from tests.docs_office.test_views import signed_in
from tests.factories import UserFactory

INCOMING, OUTGOING = "/api/v1/incoming-documents/", "/api/v1/outgoing-documents/"


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    client.raise_request_exception = False
    return client


def _secret_letter(clerk, readers):
    return register_scan(clerk, number="99", symbol="BCA-MAT", issuer_name="Bộ Công an",
                         confidentiality=Confidentiality.SECRET, readers=readers)


@pytest.mark.django_db
def test_an_edxml_answer_does_not_name_the_secret_letter_it_answers(staff, registers):
    from docs_office.edxml import edxml_parse
    from docs_office.selectors import incoming_visible_to
    from docs_office.services.edxml import outgoing_edxml_export

    clerk, specialist, leader = staff[Role.RECORDS_CLERK], staff[Role.SPECIALIST], staff[Role.LEADER]
    secret = _secret_letter(clerk, [leader, specialist])
    other_clerk = UserFactory(agency=clerk.agency, roles=[Role.RECORDS_CLERK])  # not a reader: sends the answer
    assert not incoming_visible_to(user=other_clerk).filter(pk=secret.pk).exists()
    answer = issued_unsigned(staff, registers["outgoing"], answers=secret)
    package = edxml_parse(outgoing_edxml_export(user=other_clerk, document=answer, recipient_code="000.00.00.G12",
                                                recipient_name="Ủy ban nhân dân tỉnh Cao Bằng"))
    assert package.response_for == ""
    ordinary = assign_to(leader, register_scan(clerk, number="12", symbol="UBND-VP", issuer_name="UBND tỉnh Cao Bằng"),
                         lead=specialist, deadline=timezone.localdate() + timedelta(days=3))
    type(answer).objects.filter(pk=answer.pk).update(answers=ordinary)
    answer.refresh_from_db()
    package = edxml_parse(outgoing_edxml_export(user=other_clerk, document=answer, recipient_code="000.00.00.G12",
                                                recipient_name="Ủy ban nhân dân tỉnh Cao Bằng"))
    assert package.response_for == "UBND tỉnh Cao Bằng,12/UBND-VP"  # an ordinary letter is named, as before


@pytest.mark.django_db
def test_the_dashboard_counts_a_secret_document_only_for_its_readers(staff):
    from docs_office.selectors import open_work_by_unit

    clerk, specialist = staff[Role.RECORDS_CLERK], staff[Role.SPECIALIST]
    reader = UserFactory(agency=clerk.agency, roles=[Role.LEADER])
    assign_to(reader, _secret_letter(clerk, [reader]), lead=specialist, deadline=timezone.localdate())
    assert open_work_by_unit(user=staff[Role.LEADER]) == []
    assert [row["open"] for row in open_work_by_unit(user=reader)] == [1]


@pytest.mark.django_db
def test_a_secret_letter_is_never_numbered_in_the_secret_series_of_decisions(registers):
    from docs_office.constants import RegisterKind
    from docs_office.services.registers import register_create, register_outgoing_for
    from tests.docs_office.factories import doc_type

    agency = registers["outgoing"].agency
    decisions = register_create(agency=agency, kind=RegisterKind.OUTGOING, name="Sổ quyết định mật",
                                document_types=[doc_type("quyet-dinh")])
    type(decisions).objects.filter(pk=decisions.pk).update(for_secret=True)
    letters = register_outgoing_for(agency=agency, document_type=doc_type("cong-van"), secret=True)
    assert letters.for_secret and letters != decisions and not letters.document_types.exists()
    assert register_outgoing_for(agency=agency, document_type=doc_type("quyet-dinh"), secret=True) == decisions


@pytest.mark.django_db
def test_a_reader_id_of_zero_is_refused_by_its_field_not_a_500(staff):
    response = _api(staff[Role.RECORDS_CLERK]).post(INCOMING, {
        "number": "15", "symbol": "QĐ-UBND", "issuer_name": "Bộ Công an", "issued_on": "2026-01-20",
        "document_type": "quyet-dinh", "summary": "Mật", "confidentiality": "secret", "readers": [0]}, format="json")
    assert response.status_code == 400 and "readers" in response.json()["error"]["fields"]
    response = _api(staff[Role.SPECIALIST]).post(OUTGOING, {
        "document_type": "cong-van", "summary": "Mật", "confidentiality": "secret", "readers": [0],
        "composition": {"body": "Nội dung.", "place": "Lạng Sơn", "signer_title": "Giám đốc",
                        "signer_name": "Lê Văn Hùng"}}, format="json")
    assert response.status_code == 400 and "readers" in response.json()["error"]["fields"]


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["close", "return", "task_report", "edxml"])
def test_a_nul_in_a_note_posted_by_the_pages_never_reaches_the_database(client, staff, registers, division, case):
    from docs_office.services.outgoing import outgoing_review
    from docs_office.services.tasks import task_create

    client.raise_request_exception = False
    if case == "close":
        letter = assign_to(staff[Role.LEADER], register_scan(staff[Role.RECORDS_CLERK]), lead=staff[Role.SPECIALIST],
                           deadline=timezone.localdate() + timedelta(days=3))
        user, url, data = staff[Role.SPECIALIST], reverse("docs_office:incoming_action", args=[letter.pk, "close"]), {
            "result": "Xong\x00"}
    elif case == "return":
        document = draft(staff)
        outgoing_review(user=staff[Role.SPECIALIST], document=document, action="submit")
        user, url, data = staff[Role.HEAD_OF_DIVISION], reverse("docs_office:outgoing_action",
                                                                args=[document.pk, "return"]), {"note": "Sửa\x00"}
    elif case == "task_report":
        task = task_create(leader=staff[Role.LEADER], title="Tổng hợp", division=division,
                           deadline=timezone.localdate() + timedelta(days=3))
        user, url, data = staff[Role.SPECIALIST], reverse("docs_office:task_report", args=[task.pk]), {
            "progress": "10", "text": "a\x00"}
    else:
        issued = issued_unsigned(staff, registers["outgoing"])
        user, url, data = staff[Role.RECORDS_CLERK], reverse("docs_office:outgoing_edxml", args=[issued.pk]), {
            "recipient_code": "000.00.00.G12", "recipient_name": "UBND\x00 tỉnh Cao Bằng"}
    signed_in(client, user)
    # Removed from the form before any view reads it (egov.core.middleware): no 500 from PostgreSQL.
    assert client.post(url, data).status_code < 500


@pytest.mark.django_db
def test_a_refused_task_report_is_shown_again_with_what_was_typed(client, staff, division):
    from docs_office.models import TaskReport
    from docs_office.services.tasks import task_create

    task = task_create(leader=staff[Role.LEADER], title="Tổng hợp", division=division,
                       deadline=timezone.localdate() + timedelta(days=3))
    signed_in(client, staff[Role.SPECIALIST])
    typed = "Đã tổng hợp số liệu của mười hai phòng, còn hai phòng chưa gửi"
    response = client.post(reverse("docs_office:task_report", args=[task.pk]), {"progress": "5O", "text": typed})
    page = response.content.decode()
    assert response.status_code == 400 and not TaskReport.objects.exists()
    assert f'value="{typed}"' in page and 'value="5O"' in page and "Tiến độ từ 0 đến 100%." in page
    assert 'aria-invalid="true"' in page


@pytest.mark.django_db(transaction=True)
def test_one_edxml_package_imported_twice_at_once_is_one_document():
    from docs_office.edxml import Agency, edxml_build
    from docs_office.models import IncomingDocument
    from docs_office.services.edxml import incoming_import_edxml
    from egov.core.errors import ApplicationError
    from tests.docs_office.conftest import office_registers, office_staff
    from tests.docs_office.factories import ensure_document_types
    from tests.docs_office.test_edxml import package
    from tests.factories import AgencyFactory

    ensure_document_types()
    agency = AgencyFactory(name="Sở Tư pháp", short_name="STP", exchange_code="000.00.03.H41")
    office_registers(agency)
    clerk = office_staff(agency)[Role.RECORDS_CLERK]
    data = edxml_build(package(recipients=[Agency("000.00.03.H41", "Sở Tư pháp")]))
    first_imported, errors = threading.Event(), []

    def first():
        try:
            with transaction.atomic():
                incoming_import_edxml(clerk=clerk, data=data)
                first_imported.set()
                # Uncommitted for a moment while the second submit arrives: it waits for this transaction.
                threading.Event().wait(1.5)
        finally:
            first_imported.set()
            connection.close()

    def second():
        first_imported.wait(10)
        try:
            incoming_import_edxml(clerk=clerk, data=data)
        except ApplicationError as exc:
            errors.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert IncomingDocument.objects.filter(agency=agency, external_id=package().document_id).count() == 1
    assert errors == ["duplicate"]
