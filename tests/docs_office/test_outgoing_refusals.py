"""A refused step on the outgoing document's page shows the page again with a 4xx and what was typed, the reason by
its field (aria-invalid) — not a 302 and a flash that lose it (found by exploratory testing)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from docs_office.constants import OutgoingState
from docs_office.models import Division
from docs_office.services.outgoing import outgoing_review
from egov.accounts.roles import Role
from tests.docs_office.test_outgoing import draft, issued_unsigned
from tests.docs_office.test_views import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOTE = "Bổ sung căn cứ pháp lý theo góp ý của Sở Tư pháp"


def _post(client, document, action, data):
    return client.post(reverse("docs_office:outgoing_action", args=[document.pk, action]), data)


def _submitted(staff, division):
    return outgoing_review(user=staff[Role.SPECIALIST], document=draft(staff, division=division), action="submit")


def test_a_return_without_a_note_is_a_400_at_the_note(client, staff, division):
    document = _submitted(staff, division)
    signed_in(client, staff[Role.HEAD_OF_DIVISION])
    response = _post(client, document, "return", {"note": "   "})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="note-return" name="note" rows="2" aria-invalid="true" aria-describedby="note-return-error"' in page
    assert 'id="note-return-error"' in page and "Cần ghi rõ lý do." in page
    document.refresh_from_db()
    assert document.state == OutgoingState.HEAD_REVIEW


def test_a_new_version_with_a_bad_file_keeps_the_note_typed(client, staff, division):
    document = draft(staff, division=division)
    signed_in(client, staff[Role.SPECIALIST])
    bad = SimpleUploadedFile("du-thao.pdf", b"not a pdf at all, just text")
    response = _post(client, document, "version", {"note": NOTE, "file": bad})
    page = response.content.decode()
    assert response.status_code == 400
    assert f'id="version-note" name="note" value="{NOTE}"' in page
    assert 'name="file" aria-invalid="true" aria-describedby="version-file-error"' in page
    assert document.versions.count() == 1


def test_a_new_version_without_a_file_keeps_the_note_typed(client, staff, division):
    document = draft(staff, division=division)
    signed_in(client, staff[Role.SPECIALIST])
    response = _post(client, document, "version", {"note": NOTE})
    page = response.content.decode()
    assert response.status_code == 400
    assert f'value="{NOTE}"' in page and 'aria-describedby="version-file-error"' in page
    assert "Cần tệp dự thảo (DOCX hoặc PDF)." in page
    assert document.versions.count() == 1


def test_a_recall_without_a_reason_is_a_400_at_the_reason(client, staff, registers):
    document = issued_unsigned(staff, registers["outgoing"])
    signed_in(client, staff[Role.RECORDS_CLERK])
    response = _post(client, document, "recall", {"reason": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="reason-recall" name="reason" rows="2" aria-invalid="true"' in page and 'id="reason-recall-error"' in page
    document.refresh_from_db()
    assert document.state == OutgoingState.ISSUED


def test_a_refusal_for_who_is_a_403_with_the_text_typed_kept(client, staff, division, agency):
    document = _submitted(staff, division)
    other_head = UserFactory(agency=agency, roles=[Role.HEAD_OF_DIVISION])
    Division.objects.create(agency=agency, name="Phòng Tổng hợp", short_name="TH").members.add(other_head)
    signed_in(client, other_head)
    response = _post(client, document, "return", {"note": NOTE})
    page = response.content.decode()
    assert response.status_code == 403
    assert 'data-refused="return"' in page and NOTE in page and "Bạn không có quyền" in page
    document.refresh_from_db()
    assert document.state == OutgoingState.HEAD_REVIEW


def test_a_refusal_for_when_is_a_409_with_the_text_typed_kept(client, staff, division):
    document = _submitted(staff, division)
    signed_in(client, staff[Role.SPECIALIST])
    response = _post(client, document, "submit", {"note": NOTE})  # already submitted
    page = response.content.decode()
    assert response.status_code == 409
    assert 'data-refused="submit"' in page and NOTE in page and "Không thể" in page


def test_a_step_done_is_still_a_redirect(client, staff, division):
    document = _submitted(staff, division)
    signed_in(client, staff[Role.HEAD_OF_DIVISION])
    response = _post(client, document, "return", {"note": NOTE})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.state == OutgoingState.DRAFT


def test_each_opinion_box_is_named_by_its_step(client, staff, division):
    """Found by exploratory testing: approving and returning showed two boxes both labelled "Ý kiến"."""
    document = _submitted(staff, division)
    signed_in(client, staff[Role.HEAD_OF_DIVISION])
    page = client.get(reverse("docs_office:outgoing_detail", args=[document.pk])).content.decode()
    assert '<label for="note-return">Ý kiến khi trả lại dự thảo</label>' in page
    assert '<label for="note-head_approve">Ý kiến khi duyệt (lãnh đạo phòng)</label>' in page
