"""The online form tells the citizen which blank form to fill in: an upload slot whose required document has a
published form template links it (issue #3)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from one_stop.catalogue.data import RequiredDocument
from one_stop.selectors import procedure_version_current
from one_stop.services.form_templates import procedure_form_template_upload
from public_services.demo_forms import BIRTH_REGISTRATION
from public_services.services import procedure_form_set
from tests.public_services.conftest import PDF_BYTES, make_procedure

pytestmark = pytest.mark.django_db

FORM = "Mẫu giấy xác nhận việc sinh.pdf"


@pytest.fixture
def birth_with_form(db):
    procedure = make_procedure(online_level="partial", processing_days=1, required_documents=[
        RequiredDocument(name="Tờ khai đăng ký khai sinh", copies="1 bản chính"),
        RequiredDocument(name="Giấy chứng sinh", copies="1 bản chính", form=FORM)])
    procedure_form_set(version=procedure_version_current(procedure=procedure), form=BIRTH_REGISTRATION)
    return procedure


def test_the_upload_slot_links_the_form_its_document_is_written_on(client, citizen, commune, birth_with_form):
    template = procedure_form_template_upload(procedure=birth_with_form, name=FORM, by=None,
                                              upload=SimpleUploadedFile("xac-nhan-sinh.pdf", PDF_BYTES))
    client.force_login(citizen)

    html = client.get(reverse("public_services:apply", args=["1.001193"])).content.decode()

    url = reverse("public_services:form_template", kwargs={"code": "1.001193", "template_id": template.pk})
    slot = html.split('data-upload="giay_chung_sinh"', 1)[1].split('data-upload="', 1)[0]
    assert f'<a href="{url}" download>' in slot
    assert html.count("/mau/") == 1  # the authorisation slot names a document without a form


def test_without_a_published_form_the_slot_shows_no_link(client, citizen, commune, birth_with_form):
    client.force_login(citizen)

    html = client.get(reverse("public_services:apply", args=["1.001193"])).content.decode()

    assert "/mau/" not in html
