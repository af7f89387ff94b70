"""English pages use the msgids meant for them (found by exploratory testing): a detail page's heading in the singular,
"due" before an assignment's date, the edXML status names translated at display (the message itself stays in
Vietnamese), and one signature or several in the verification's sentence.

The English catalog is applied by the lead from /work/i18n; these tests put the entries they need into it for their
duration, so they check which msgid the code asks for, whatever the catalog holds today."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from docs_office.edxml import STATUS_CODES
from egov.accounts.roles import Role
from tests.docs_office.factories import assign_to, register_scan
from tests.docs_office.test_views import signed_in


@contextmanager
def english_entries(entries: dict):
    """Entries added to the English catalog: "msgid", "context\\x04msgid", or (msgid, plural index)."""
    catalog = translation.trans_real.translation("en")._catalog
    saved = {key: catalog[key] for key in entries if key in catalog}
    for key, value in entries.items():
        catalog[key] = value
    try:
        yield
    finally:
        for key in entries:
            if key in saved:
                catalog[key] = saved[key]
            else:  # TranslationCatalog sets into its first catalog and deletes nothing itself
                catalog._catalogs[0].pop(key, None)


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_incoming_detail_page_names_one_document_and_its_due_date(english, staff):
    clerk, leader, specialist = staff[Role.RECORDS_CLERK], staff[Role.LEADER], staff[Role.SPECIALIST]
    # A deadline a year ahead (at most ten years ahead are accepted).
    deadline = timezone.localdate() + timedelta(days=365)
    document = assign_to(leader, register_scan(clerk), lead=specialist, deadline=deadline)
    with english_entries({"one document\x04Văn bản đến": "Incoming document", "deadline before a date\x04hạn": "due"}):
        page = signed_in(english, leader).get(reverse("docs_office:incoming_detail", args=[document.pk])).content.decode()
    assert "<h1>Incoming document 15/QĐ-UBND</h1>" in page
    assert "<title>Incoming document 15/QĐ-UBND" in page
    assert f"due {deadline:%d/%m/%Y}" in page


def test_the_edxml_status_names_are_translated_on_the_page_but_sent_in_vietnamese(english, staff):
    clerk = staff[Role.RECORDS_CLERK]
    document = register_scan(clerk)
    type(document).objects.filter(pk=document.pk).update(external_id="edxml-1")  # as if it came in a package
    with english_entries({"Đã tiếp nhận": "Received", "mã": "code"}):
        page = signed_in(english, clerk).get(reverse("docs_office:incoming_detail", args=[document.pk])).content.decode()
    assert "code 03: Received</li>" in page
    assert STATUS_CODES["03"] == "Đã tiếp nhận"  # the message's Description on the wire


def test_the_verification_sentence_says_one_signature_or_several():
    from signatures.verification import SignatureReport, Verdict, _overall_message

    singular = "Tài liệu đã bị thay đổi sau khi ký: chữ ký của %(names)s không còn giá trị."
    one, two = (SignatureReport(field_name="a", kind="approval", signer_name="Hoàng Văn Nam"),
                SignatureReport(field_name="b", kind="approval", signer_name="Sở Tư pháp"))
    for report in (one, two):
        report.verdict = Verdict.MODIFIED
    with english_entries({(singular, 0): "the signature of %(names)s is no longer valid",
                          (singular, 1): "the signatures of %(names)s are no longer valid",
                          "%(names)s và %(last)s": "%(names)s and %(last)s"}), translation.override("en"):
        assert _overall_message(Verdict.MODIFIED, [one]) == "the signature of Hoàng Văn Nam is no longer valid"
        assert _overall_message(Verdict.MODIFIED, [one, two]) == (
            "the signatures of Hoàng Văn Nam and Sở Tư pháp are no longer valid")
    with translation.override("vi"):
        assert _overall_message(Verdict.MODIFIED, [one, two]) == (
            "Tài liệu đã bị thay đổi sau khi ký: chữ ký của Hoàng Văn Nam và Sở Tư pháp không còn giá trị.")
