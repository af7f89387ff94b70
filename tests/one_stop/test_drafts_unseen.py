"""Found in review: a citizen's unsubmitted draft (their personal data) was the agency's to read, on the desk, the API
and the queue's search; and the desk's file address served a staff member the files of their own dossier at another
agency that the portal withholds from applicants."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from egov.accounts.roles import Role
from one_stop.selectors import dossiers_queue_page, dossiers_visible_to, dossiers_worked_by
from one_stop.services.documents import dossier_document_add
from one_stop.services.dossiers import ApplicantData, dossier_draft_create, dossier_submit
from tests.factories import AgencyFactory, UserFactory
from tests.pdfs import MINIMAL_PDF

pytestmark = pytest.mark.django_db

APPLICANT = ApplicantData(full_name="Hoàng Thị Lan", id_number="020195004321")


def _pdf():
    return SimpleUploadedFile("to-khai.pdf", MINIMAL_PDF, content_type="application/pdf")


@pytest.fixture
def citizen(db):
    return UserFactory(citizen=True, full_name="Hoàng Thị Lan")


@pytest.fixture
def draft(citizen, procedure, agency):
    return dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=agency, applicant=APPLICANT)


def test_staff_of_the_agency_do_not_see_a_citizens_draft_in_their_selectors(staff, draft, citizen):
    clerk = staff[Role.ONE_STOP_CLERK]

    assert not dossiers_visible_to(user=clerk).filter(pk=draft.pk).exists()
    assert not dossiers_worked_by(user=clerk).filter(pk=draft.pk).exists()
    assert dossiers_visible_to(user=citizen).filter(pk=draft.pk).exists()  # the citizen still sees their own


def test_the_api_the_dossier_page_and_the_file_address_answer_404_for_a_draft(client, staff, draft, citizen):
    document = dossier_document_add(dossier=draft, user=citizen, file=_pdf())
    client.force_login(staff[Role.ONE_STOP_CLERK])

    listed = client.get("/api/v1/dossiers/", {"q": "Hoàng Thị Lan"})
    assert listed.status_code == 200 and draft.code not in listed.content.decode()
    assert client.get(f"/api/v1/dossiers/{draft.code}/").status_code == 404
    assert client.get(f"/mot-cua/ho-so/{draft.code}/").status_code == 404
    assert client.get(f"/mot-cua/ho-so/{draft.code}/tep/{document.pk}/").status_code == 404


@pytest.mark.parametrize("search", ["hoang thi lan", "lan", "020195004321", "NHAP-"])
def test_the_queue_search_does_not_list_a_draft(staff, draft, search):
    page = dossiers_queue_page(user=staff[Role.ONE_STOP_CLERK], search=search)

    assert [row.code for row in page.dossiers] == [] and page.count == 0


def test_the_queue_search_still_lists_a_staff_members_own_draft_as_its_applicant(agency, procedure):
    clerk = UserFactory(agency=agency, roles=[Role.ONE_STOP_CLERK, Role.CITIZEN], national_id="020195004322")
    own = dossier_draft_create(citizen=clerk, procedure=procedure, handling_agency=agency, applicant=APPLICANT)

    assert [row.code for row in dossiers_queue_page(user=clerk, search="hoang thi lan").dossiers] == [own.code]


def test_staff_who_applied_at_another_agency_cannot_download_that_dossiers_files_on_the_desk(client, procedure, agency):
    specialist = UserFactory(agency=AgencyFactory(), roles=[Role.SPECIALIST, Role.CITIZEN], national_id="020195004323")
    own = dossier_draft_create(citizen=specialist, procedure=procedure, handling_agency=agency, applicant=APPLICANT)
    document = dossier_document_add(dossier=own, user=specialist, file=_pdf())
    own = dossier_submit(dossier=own, citizen=specialist)
    client.force_login(specialist)

    assert client.get(f"/mot-cua/ho-so/{own.code}/tep/{document.pk}/").status_code == 404
