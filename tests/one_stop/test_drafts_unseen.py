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


# A draft is private to its citizen: a superuser (a system administrator) does not see it either, through any door.
# DESIGN and the README give administrators no business with drafts (an erased account's drafts go through
# egov.accounts.erasure), so the Django admin leaves them out too.


def _verified_superuser(client, agency):
    """A superuser who also works at the desk (so the staff pages open), signed in past the second factor."""
    from django.urls import reverse
    from django_otp.plugins.otp_static.models import StaticDevice

    admin = UserFactory(is_staff=True, is_superuser=True, agency=agency, roles=[Role.ONE_STOP_CLERK])
    StaticDevice.objects.create(user=admin, name="backup").token_set.create(token="backup01")
    client.force_login(admin)
    client.post(reverse("accounts:otp_verify"), {"token": "backup01"})
    return admin


def test_a_superuser_does_not_see_a_citizens_draft_in_the_selectors(agency, draft):
    admin = UserFactory(is_staff=True, is_superuser=True)

    assert not dossiers_visible_to(user=admin).filter(pk=draft.pk).exists()
    assert not dossiers_worked_by(user=admin).filter(pk=draft.pk).exists()


def test_a_superuser_still_sees_submitted_dossiers_and_their_own_draft(agency, procedure, draft, citizen):
    admin = UserFactory(is_staff=True, is_superuser=True, roles=[Role.CITIZEN], national_id="020195004324")
    own = dossier_draft_create(citizen=admin, procedure=procedure, handling_agency=agency, applicant=APPLICANT)
    submitted = dossier_submit(dossier=dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=agency,
                                                            applicant=APPLICANT), citizen=citizen)

    assert set(dossiers_visible_to(user=admin).values_list("pk", flat=True)) == {own.pk, submitted.pk}
    assert list(dossiers_worked_by(user=admin).values_list("pk", flat=True)) == [submitted.pk]
    assert {row.code for row in dossiers_queue_page(user=admin, search="hoang thi lan").dossiers} == {own.code,
                                                                                                     submitted.code}


@pytest.mark.parametrize("search", ["hoang thi lan", "lan", "020195004321", "NHAP-"])
def test_the_queue_search_does_not_list_a_citizens_draft_to_a_superuser(agency, draft, search):
    admin = UserFactory(is_staff=True, is_superuser=True, agency=agency, roles=[Role.ONE_STOP_CLERK])

    page = dossiers_queue_page(user=admin, search=search)

    assert [row.code for row in page.dossiers] == [] and page.count == 0


def test_the_queue_page_the_dossier_page_the_file_and_the_api_hide_a_draft_from_a_superuser(client, agency, draft,
                                                                                            citizen):
    document = dossier_document_add(dossier=draft, user=citizen, file=_pdf())
    _verified_superuser(client, agency)

    queue = client.get("/mot-cua/ho-so/", {"q": "hoang thi lan"})
    assert queue.status_code == 200 and draft.code not in queue.content.decode()
    assert client.get(f"/mot-cua/ho-so/{draft.code}/").status_code == 404
    assert client.get(f"/mot-cua/ho-so/{draft.code}/tep/{document.pk}/").status_code == 404
    listed = client.get("/api/v1/dossiers/")
    assert listed.status_code == 200 and draft.code not in listed.content.decode()
    searched = client.get("/api/v1/dossiers/", {"q": "Hoàng Thị Lan"})
    assert searched.status_code == 200 and draft.code not in searched.content.decode()
    assert client.get(f"/api/v1/dossiers/{draft.code}/").status_code == 404


def test_the_admins_dossier_list_leaves_drafts_out(client, agency, procedure, draft, citizen):
    from tests.factories import login_verified_superuser

    submitted = dossier_submit(dossier=dossier_draft_create(citizen=citizen, procedure=procedure, handling_agency=agency,
                                                            applicant=APPLICANT), citizen=citizen)
    login_verified_superuser(client)

    listed = client.get("/admin/one_stop/dossier/")
    assert listed.status_code == 200
    assert submitted.code in listed.content.decode() and draft.code not in listed.content.decode()
    assert client.get(f"/admin/one_stop/dossier/{draft.pk}/change/").status_code in (302, 404)
