"""A composed draft that is returned is corrected as composed ("Sửa nội dung"): a new composed version from the
edited fields, pre-filled with the latest, in the Decree 30 layout — not only an upload that loses the layout."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from docs_office.constants import OutgoingState
from docs_office.pdf.compose import Composition
from docs_office.services.outgoing import outgoing_create, outgoing_review
from egov.accounts.roles import Role
from tests.docs_office.factories import doc_type
from tests.docs_office.test_decree30_layout import _text
from tests.docs_office.test_views import signed_in

pytestmark = pytest.mark.django_db


def _returned_composed(staff, other_agency):
    composition = Composition(body="Sở Tư pháp hướng dẫn như sau.\nĐoạn thứ hai.", place="Lạng Sơn",
                              signer_title="PHÓ GIÁM ĐỐC", signer_name="Lê Văn Hùng", signer_prefix="KT.",
                              head_title="GIÁM ĐỐC", recipients=[other_agency.name, "Như trên"])
    document = outgoing_create(drafter=staff[Role.SPECIALIST], document_type=doc_type("cong-van"),
                               summary="hướng dẫn liên thông", composition=composition,
                               recipient_agencies=[other_agency], recipients_text="Như trên")
    outgoing_review(user=staff[Role.SPECIALIST], document=document, action="submit")
    return outgoing_review(user=staff[Role.HEAD_OF_DIVISION], document=document, action="return",
                           note="Sửa đoạn thứ hai")


def _pdf_text(version, tmp_path) -> str:
    with version.file.open("rb") as handle:
        return _text(handle.read(), tmp_path)


def test_the_drafter_edits_a_returned_composed_draft_into_a_new_composed_version(client, staff, other_agency, tmp_path):
    document = _returned_composed(staff, other_agency)
    drafter = signed_in(client, staff[Role.SPECIALIST])
    detail = drafter.get(reverse("docs_office:outgoing_detail", args=[document.pk])).content.decode()
    assert reverse("docs_office:outgoing_compose", args=[document.pk]) in detail and "Sửa nội dung" in detail

    page = drafter.get(reverse("docs_office:outgoing_compose", args=[document.pk])).content.decode()
    assert "Đoạn thứ hai." in page and "Lê Văn Hùng" in page and 'value="KT." selected' in page

    answer = drafter.post(reverse("docs_office:outgoing_compose", args=[document.pk]), {
        "body": "Sở Tư pháp hướng dẫn như sau.\nĐoạn đã sửa theo ý kiến.", "place": "Lạng Sơn", "signer_prefix": "KT.",
        "head_title": "GIÁM ĐỐC", "signer_title": "PHÓ GIÁM ĐỐC", "signer_name": "Lê Văn Hùng", "note": "Sửa đoạn 2"})

    assert answer.status_code == 302
    version = document.versions.order_by("-number").first()
    assert version.number == 2 and version.content_type == "application/pdf"
    assert version.signature_box is not None and version.issue_fields  # still the composed layout, number left blank
    assert version.composition["body"].endswith("Đoạn đã sửa theo ý kiến.")
    text = _pdf_text(version, tmp_path)
    assert "Đoạn đã sửa theo ý kiến." in text and "Sở Tư pháp tỉnh Lạng Sơn" in text  # recipients kept
    event = document.events.get(action="version")
    assert (event.actor, event.from_state, event.note) == (staff[Role.SPECIALIST], OutgoingState.DRAFT,
                                                            "Phiên bản 2. Sửa đoạn 2")


def test_only_who_may_add_a_version_now_edits_the_content(client, staff, other_agency):
    document = _returned_composed(staff, other_agency)
    head = signed_in(client, staff[Role.HEAD_OF_DIVISION])  # the draft is back with its drafter

    answer = head.post(reverse("docs_office:outgoing_compose", args=[document.pk]), {
        "body": "Khác", "signer_name": "Lê Văn Hùng"})

    assert answer.status_code == 302 and document.versions.count() == 1


def test_an_uploaded_draft_is_not_offered_content_editing(client, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.docs_office.factories import TINY_PDF

    document = outgoing_create(drafter=staff[Role.SPECIALIST], document_type=doc_type("cong-van"), summary="tệp",
                               upload=SimpleUploadedFile("d.pdf", TINY_PDF, content_type="application/pdf"))
    drafter = signed_in(client, staff[Role.SPECIALIST])

    detail = drafter.get(reverse("docs_office:outgoing_detail", args=[document.pk])).content.decode()

    assert reverse("docs_office:outgoing_compose", args=[document.pk]) not in detail


def test_the_api_composes_a_new_version_from_a_composition(staff, other_agency, tmp_path):
    document = _returned_composed(staff, other_agency)
    client = APIClient()
    client.force_authenticate(staff[Role.SPECIALIST])
    composition = client.get(f"/api/v1/outgoing-documents/{document.pk}/").json()["versions"][0]["composition"]
    composition["body"] = "Nội dung mới qua API."

    answer = client.post(f"/api/v1/outgoing-documents/{document.pk}/actions/version/",
                         {"composition": {k: v for k, v in composition.items() if k != "recipients"}, "note": "API"},
                         format="json")

    assert answer.status_code == 200, answer.content
    version = document.versions.order_by("-number").first()
    assert version.number == 2 and version.signature_box is not None
    text = _pdf_text(version, tmp_path)
    assert "Nội dung mới qua API." in text and "Sở Tư pháp tỉnh Lạng Sơn" in text
