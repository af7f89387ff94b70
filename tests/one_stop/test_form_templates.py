"""A procedure's blank forms (mẫu đơn, tờ khai, issue #3): uploaded by the province's administrators under the form
name the required documents give, replaced without a new version, downloaded from the public catalogue, linked from
the catalogue page, the counter's checklist and the API."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from egov.core.uploads import DOC, DOCX, PDF, XLS, XLSX, sniff_content_type, validate_upload
from one_stop.catalogue.data import ProcedureData, RequiredDocument
from one_stop.models import ProcedureFormTemplate
from one_stop.services.catalogue import procedure_upsert
from one_stop.services.form_templates import procedure_form_template_upload
from tests.factories import UserFactory
from tests.one_stop.factories import at_local
from tests.pdfs import MINIMAL_PDF

pytestmark = pytest.mark.django_db

FORM = "Mẫu DC01 Phiếu thu thập thông tin.docx"
OTHER_FORM = "Mẫu DC02 Phiếu đề nghị.doc"
PDF_BYTES = MINIMAL_PDF


def docx_bytes(text="Mẫu DC01") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f"<w:document><w:t>{text}</w:t></w:document>")
    return buffer.getvalue()


def ole2_bytes(stream: str) -> bytes:
    """An Office 97-2003 file as far as the sniffer reads it: the compound-file magic and a directory entry."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".ljust(512, b"\x00")
    return header + stream.encode("utf-16-le").ljust(128, b"\x00") + b"\x00" * 384


def upload(name="mau-dc01.docx", content=None):
    return SimpleUploadedFile(name, docx_bytes() if content is None else content)


@pytest.fixture
def census(db):
    return procedure_upsert(data=ProcedureData(
        code="1.014061", name="Cấp Căn cước cho công dân", field="Căn cước", processing_days=7,
        source_url="https://dichvucong.gov.vn/p/1.014061",
        required_documents=[RequiredDocument(name="Phiếu thu thập thông tin dân cư", copies="1 bản chính", form=FORM),
                            RequiredDocument(name="Phiếu đề nghị giải quyết thủ tục", copies="1 bản chính", form=OTHER_FORM),
                            RequiredDocument(name="Giấy tờ chứng minh nơi cư trú", copies="1 bản sao")]),
        effective_from=at_local(2025, 7, 1, 0, 0))[0]


@pytest.fixture
def admin_user(db):
    return UserFactory(is_staff=True, roles=[Role.SYSTEM_ADMIN], full_name="Quản trị tỉnh")


# --- what a template may be ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "expected"), [
    (docx_bytes(), DOCX), (PDF_BYTES, PDF), (ole2_bytes("WordDocument"), DOC), (ole2_bytes("Workbook"), XLS),
])
def test_word_excel_and_pdf_files_are_told_apart_by_their_content(content, expected):
    assert sniff_content_type(SimpleUploadedFile("any.bin", content)) == expected


def test_an_xlsx_workbook_is_recognised():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert sniff_content_type(SimpleUploadedFile("bang.xlsx", buffer.getvalue())) == XLSX


def test_a_stream_name_inside_a_paragraph_does_not_make_an_ole_file_a_word_file():
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".ljust(515, b"\x00") + "WordDocument".encode("utf-16-le")
    assert sniff_content_type(SimpleUploadedFile("x.doc", content)) is None


def test_citizens_uploads_still_refuse_old_office_files():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile("to-khai.doc", ole2_bytes("WordDocument")))


# --- the service --------------------------------------------------------------------------------------------------


def test_a_corrected_form_replaces_the_file_without_a_new_version(census, admin_user):
    first = procedure_form_template_upload(procedure=census, name=FORM, upload=upload(), by=admin_user)
    second = procedure_form_template_upload(procedure=census, name=FORM, by=admin_user,
                                            upload=upload("mau-dc01-sua.pdf", PDF_BYTES))

    assert second.pk == first.pk
    assert (second.original_name, second.content_type, second.uploaded_by) == ("mau-dc01-sua.pdf", PDF, admin_user)
    assert census.versions.count() == 1
    assert ProcedureFormTemplate.objects.count() == 1


def test_a_form_no_version_names_is_refused(census, admin_user):
    with pytest.raises(ApplicationError) as refused:
        procedure_form_template_upload(procedure=census, name="Mẫu không có.docx", upload=upload(), by=admin_user)
    assert refused.value.status == 400 and "name" in refused.value.fields
    assert not ProcedureFormTemplate.objects.exists()


def test_a_file_that_is_not_a_form_is_refused_in_vietnamese(census, admin_user):
    with pytest.raises(ApplicationError) as refused:
        procedure_form_template_upload(procedure=census, name=FORM, upload=upload("mau.docx", b"MZ\x90\x00 not a form"),
                                       by=admin_user)
    assert "không đúng định dạng" in refused.value.message and "DOCX, DOC, PDF, XLSX, XLS" in refused.value.message


def test_an_oversized_form_is_refused(census, admin_user, settings):
    settings.EGOV_MAX_FORM_TEMPLATE_MB = 1
    with pytest.raises(ApplicationError) as refused:
        procedure_form_template_upload(procedure=census, name=FORM, by=admin_user,
                                       upload=upload("mau.pdf", PDF_BYTES + b"0" * (1024 * 1024)))
    assert "quá lớn" in refused.value.message


# --- the admin site -----------------------------------------------------------------------------------------------


def _admin_client(client, user):
    from django_otp.plugins.otp_static.models import StaticDevice

    StaticDevice.objects.create(user=user, name="backup").token_set.create(token="backup01")
    client.force_login(user)
    client.post(reverse("accounts:otp_verify"), {"token": "backup01"})
    return client


def _change_form_post(page) -> dict:
    """What the browser sends back from the change page as it was shown: every form and inline unchanged."""
    data = {}

    def put(bound):
        value = bound.value()
        if bound.field.disabled or value is None or value is False:
            return
        data[bound.html_name] = "on" if value is True else value

    for bound in page.context["adminform"].form:
        put(bound)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for bound in formset.management_form:
            put(bound)
        for form in formset.forms:
            for bound in form:
                if bound.name != "file":
                    put(bound)
    return data


def _post_template(client, procedure, *, name=FORM, file=None):
    url = reverse("admin:one_stop_procedure_change", args=[procedure.pk])
    data = _change_form_post(client.get(url))
    data.update({"form_templates-0-name": name, "form_templates-0-file": file or upload()})
    return client.post(url, data)


def test_an_administrator_uploads_a_form_on_the_procedures_page(client, census, admin_user):
    _admin_client(client, admin_user)
    page = client.get(reverse("admin:one_stop_procedure_change", args=[census.pk])).content.decode()
    assert f'<option value="{FORM}">' in page and f'<option value="{OTHER_FORM}">' in page

    response = _post_template(client, census)

    assert response.status_code == 302
    template = ProcedureFormTemplate.objects.get()
    assert (template.procedure, template.name, template.original_name, template.content_type, template.uploaded_by) == (
        census, FORM, "mau-dc01.docx", DOCX, admin_user)
    assert census.versions.count() == 1


def test_a_file_of_the_wrong_type_is_refused_in_vietnamese_with_400_and_nothing_saved(client, census, admin_user):
    _admin_client(client, admin_user)

    response = _post_template(client, census, file=upload("virus.exe", b"MZ\x90\x00 executable"))

    assert response.status_code == 400
    assert "Tệp “virus.exe” không đúng định dạng cho phép (DOCX, DOC, PDF, XLSX, XLS)." in response.content.decode()
    assert not ProcedureFormTemplate.objects.exists()


def test_staff_without_the_templates_permission_cannot_upload_one(client, census):
    from django.contrib.auth.models import Permission

    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(*Permission.objects.filter(content_type__app_label="one_stop",
                                                           codename__in=["view_procedure", "change_procedure"]))
    _admin_client(client, editor)
    url = reverse("admin:one_stop_procedure_change", args=[census.pk])
    page = client.get(url)
    assert page.status_code == 200 and "form_templates-TOTAL_FORMS" not in page.content.decode()

    data = _change_form_post(page)
    data.update({"form_templates-TOTAL_FORMS": "1", "form_templates-INITIAL_FORMS": "0",
                 "form_templates-0-name": FORM, "form_templates-0-file": upload()})
    client.post(url, data)

    assert not ProcedureFormTemplate.objects.exists()


# --- download -----------------------------------------------------------------------------------------------------


def _url(template, code="1.014061"):
    return reverse("public_services:form_template", kwargs={"code": code, "template_id": template.pk})


def test_anyone_downloads_a_form_as_an_attachment_under_its_name(client, census, admin_user):
    content = docx_bytes("DC01")
    template = procedure_form_template_upload(procedure=census, name=FORM, by=admin_user,
                                              upload=upload("Mẫu DC01.docx", content))

    response = client.get(_url(template))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''M%E1%BA%ABu%20DC01.docx" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "public" in response["Cache-Control"] and "max-age=3600" in response["Cache-Control"]
    assert response["ETag"] == f'"{template.sha256}"' and response.has_header("Last-Modified")


def test_the_name_given_never_chooses_the_type_served(client, census, admin_user):
    template = procedure_form_template_upload(procedure=census, name=FORM, by=admin_user,
                                              upload=upload("mau.html", PDF_BYTES))

    response = client.get(_url(template))

    assert response["Content-Type"] == PDF
    assert 'filename="mau.pdf"' in response["Content-Disposition"]


def test_a_cached_copy_is_revalidated_by_its_hash(client, census, admin_user):
    template = procedure_form_template_upload(procedure=census, name=FORM, upload=upload(), by=admin_user)

    response = client.get(_url(template), HTTP_IF_NONE_MATCH=f'"{template.sha256}"')

    assert response.status_code == 304


def test_an_unknown_form_or_one_of_another_procedure_is_not_found(client, census, admin_user):
    template = procedure_form_template_upload(procedure=census, name=FORM, upload=upload(), by=admin_user)

    assert client.get(_url(template, code="1.000000")).status_code == 404
    assert client.get(reverse("public_services:form_template",
                              kwargs={"code": "1.014061", "template_id": template.pk + 1})).status_code == 404
    census.is_active = False
    census.save(update_fields=["is_active"])
    assert client.get(_url(template)).status_code == 404


# --- links on the pages and in the API ----------------------------------------------------------------------------


def test_the_catalogue_page_links_the_uploaded_form_and_the_national_portal_for_the_other(client, census, admin_user):
    template = procedure_form_template_upload(procedure=census, name=FORM, upload=upload(), by=admin_user)

    html = client.get(reverse("public_services:procedure", args=["1.014061"])).content.decode()

    assert f'<a href="{_url(template)}" download>' in html
    assert 'href="https://dichvucong.gov.vn/p/1.014061"' in html  # the form not uploaded: the national portal


def test_the_counters_checklist_links_the_uploaded_form(client, census, admin_user, agency):
    template = procedure_form_template_upload(procedure=census, name=FORM, upload=upload(), by=admin_user)
    client.force_login(UserFactory(agency=agency, roles=[Role.ONE_STOP_CLERK]))

    fragment = client.get(reverse("one_stop_staff:counter_checklist"), {"procedure": "1.014061"}).content.decode()
    page = client.get("/mot-cua/tiep-nhan/", {"procedure": "1.014061"}).content.decode()

    for html in (fragment, page):
        assert f'href="{_url(template)}" download' in html
        assert 'href="https://dichvucong.gov.vn/p/1.014061"' in html


def test_the_api_gives_each_documents_form_url_or_null(client, census, admin_user):
    template = procedure_form_template_upload(procedure=census, name=FORM, upload=upload(), by=admin_user)

    documents = client.get("/api/v1/procedures/1.014061/").json()["required_documents"]

    assert [d["template_url"] for d in documents] == [f"http://testserver{_url(template)}", None, None]
    assert documents[0]["form"] == FORM


@pytest.mark.parametrize("url", ["/dich-vu-cong/thu-tuc/1.014061/", "/api/v1/procedures/1.014061/"])
def test_the_page_and_the_api_cost_the_same_queries_with_one_or_several_forms(client, census, admin_user, url,
                                                                             django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    procedure_form_template_upload(procedure=census, name=FORM, upload=upload(), by=admin_user)
    client.get(url)  # warm caches (the site's settings, the menu) as a second visitor finds them
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200

    procedure_form_template_upload(procedure=census, name=OTHER_FORM, by=admin_user,
                                   upload=upload("dc02.doc", ole2_bytes("WordDocument")))
    with django_assert_num_queries(len(one.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count("/mau/") == 2


def test_the_demo_publishes_generated_word_forms_once():
    from one_stop.demo import DEMO_FORM_TEMPLATES, demo_catalogue_seed, demo_form_templates_seed

    demo_catalogue_seed(stdout=lambda _: None, include_raw=False)
    again = demo_form_templates_seed(stdout=lambda _: None)

    templates = list(ProcedureFormTemplate.objects.select_related("procedure"))
    assert again == 0
    assert sorted((t.procedure.code, t.name) for t in templates) == sorted((c, n) for c, n, _t in DEMO_FORM_TEMPLATES)
    titles = {name: title for _code, name, title in DEMO_FORM_TEMPLATES}
    for template in templates:
        assert template.content_type == DOCX
        with template.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
            assert titles[template.name] in archive.read("word/document.xml").decode()


def test_a_second_row_for_a_form_already_published_is_refused_not_a_500(client, census, admin_user):
    procedure_form_template_upload(procedure=census, name=FORM, upload=upload(), by=admin_user)
    _admin_client(client, admin_user)
    url = reverse("admin:one_stop_procedure_change", args=[census.pk])
    data = _change_form_post(client.get(url))
    data.update({"form_templates-1-name": FORM, "form_templates-1-file": upload("khac.docx")})

    response = client.post(url, data)

    assert response.status_code == 400
    assert ProcedureFormTemplate.objects.get().original_name == "mau-dc01.docx"


def test_an_administrator_replaces_and_withdraws_a_form_in_the_admin(client, census, admin_user,
                                                                   django_capture_on_commit_callbacks):
    template = procedure_form_template_upload(procedure=census, name=FORM, upload=upload(), by=admin_user)
    old_file = template.file.name
    _admin_client(client, admin_user)
    url = reverse("admin:one_stop_procedure_change", args=[census.pk])

    data = _change_form_post(client.get(url))
    data["form_templates-0-file"] = upload("mau-dc01-2026.pdf", PDF_BYTES)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    template.refresh_from_db()
    assert (template.original_name, template.content_type) == ("mau-dc01-2026.pdf", PDF)
    assert not template.file.storage.exists(old_file)

    data = _change_form_post(client.get(url))
    data["form_templates-0-DELETE"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    assert not ProcedureFormTemplate.objects.exists()
    assert not template.file.storage.exists(template.file.name)
    html = client.get(reverse("public_services:procedure", args=["1.014061"])).content.decode()
    assert "/mau/" not in html and 'href="https://dichvucong.gov.vn/p/1.014061"' in html
