"""The counter screen of the one-stop desk: routing a dossier to the competent agency of the province, the applicant's
kind (a person's ID number, an organisation's tax code) and the channel (counter or post)."""

import re

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from egov.accounts.roles import Role
from egov.accounts.validators import TAX_CODE_WEIGHTS, normalize_tax_code, validate_tax_code
from egov.core.errors import ApplicationError
from one_stop.catalogue.data import ChannelTerms, ProcedureData
from one_stop.models import Dossier
from one_stop.selectors import dossiers_queue_page
from one_stop.services.catalogue import procedure_upsert
from one_stop.services.dossiers import ApplicantData, dossier_receive_at_counter
from tests.factories import AgencyFactory, UserFactory
from tests.one_stop.factories import at_local

pytestmark = pytest.mark.django_db

PERSON = {"procedure": "1.001193", "full_name": "Đặng Văn Công", "id_number": "020095001234"}


@pytest.fixture
def province(db):
    """A province's tree: the People's Committee, a department under it, a commune with its desk's clerk."""
    committee = AgencyFactory(province=True, name="Ủy ban nhân dân tỉnh Lạng Sơn", exchange_code="000.00.00.H41")
    department = AgencyFactory(name="Sở Tư pháp tỉnh Lạng Sơn", short_name="STP", exchange_code="000.00.03.H41",
                               parent=committee)
    commune = AgencyFactory(commune=True, name="Ủy ban nhân dân phường Đông Kinh", exchange_code="000.00.20.H41",
                            parent=committee)
    return {"committee": committee, "department": department, "commune": commune,
            "clerk": UserFactory(agency=commune, roles=[Role.ONE_STOP_CLERK]),
            "specialist": UserFactory(agency=department, roles=[Role.SPECIALIST])}


# --- province-wide receipt: the dossier goes to the competent agency, the code stays the desk's -----------------

def test_the_agency_picker_lists_the_province_level_then_the_communes_and_preselects_the_clerks_own(
        client, province, procedure):
    client.force_login(province["clerk"])

    html = client.get(reverse("one_stop_staff:counter")).content.decode()

    picker = re.search(r'<select name="handling_agency".*?</select>', html, re.S)[0]
    assert picker.index('label="Cấp tỉnh"') < picker.index("Sở Tư pháp") < picker.index('label="Cấp xã"')
    assert picker.index("Ủy ban nhân dân tỉnh Lạng Sơn") < picker.index("Sở Tư pháp")  # the committee first
    assert re.search(rf'<option value="{province["commune"].pk}" selected>', picker)


def test_a_commune_clerk_receives_for_a_provincial_department_at_the_counter(client, province, procedure):
    client.force_login(province["clerk"])

    response = client.post(reverse("one_stop_staff:counter"), {**PERSON, "handling_agency": province["department"].pk})

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert dossier.receiving_agency == province["commune"] and dossier.handling_agency == province["department"]
    assert dossier.code.startswith("000.00.20.H41-")  # the receiving desk's code
    page = dossiers_queue_page(user=province["specialist"])
    assert [d.code for d in page.dossiers] == [dossier.code]  # in the department's queue
    assert dossier.steps.get(order=2).agency == province["department"]  # its examining step is the department's
    from egov.audit.models import LegalEvent

    event = LegalEvent.objects.get(action="dossier.received", object_id=str(dossier.pk))
    assert event.data["handling_agency"] == "000.00.03.H41" and event.data["channel"] == "counter"


def test_a_clerk_receives_for_a_provincial_department_through_the_api(client, province, procedure):
    client.force_login(province["clerk"])

    created = client.post("/api/v1/dossiers/", {"procedure": "1.001193", "handling_agency": "000.00.03.H41",
                                                "applicant": {"full_name": "Đặng Văn Công", "id_number": "020095001234"}},
                          content_type="application/json")

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["code"].startswith("000.00.20.H41-") and body["handling_agency"] == "Sở Tư pháp tỉnh Lạng Sơn"
    assert body["receiving_agency"] == "Ủy ban nhân dân phường Đông Kinh"
    client.force_login(province["specialist"])
    assert client.get(f"/api/v1/dossiers/{body['code']}/").status_code == 200


@pytest.mark.parametrize("code", ["999.99.99.X00", "không phải mã", "000.00.09.H41"])
def test_an_unknown_or_closed_agency_code_is_a_400_in_vietnamese_and_nothing_is_saved(client, province, procedure, code):
    AgencyFactory(exchange_code="000.00.09.H41", is_active=False, parent=province["committee"])
    client.force_login(province["clerk"])

    response = client.post("/api/v1/dossiers/", {"procedure": "1.001193", "handling_agency": code,
                                                 "applicant": {"full_name": "Đặng Văn Công", "id_number": "020095001234"}},
                           content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["handling_agency"] == [
        f"Không có cơ quan đang hoạt động với mã định danh “{code}”."]
    assert not Dossier.objects.exists()


def test_the_service_refuses_a_closed_handling_agency(province, procedure):
    closed = AgencyFactory(is_active=False, parent=province["committee"])

    with pytest.raises(ApplicationError) as refused:
        dossier_receive_at_counter(clerk=province["clerk"], procedure=procedure, handling_agency=closed,
                                   applicant=ApplicantData(full_name="Đặng Văn Công", id_number="020095001234"))

    assert refused.value.code == "invalid_agency" and "handling_agency" in refused.value.fields
    assert not Dossier.objects.exists()


def test_an_agency_not_offered_is_a_field_error_on_the_page(client, province, procedure):
    closed = AgencyFactory(is_active=False, parent=province["committee"])
    client.force_login(province["clerk"])

    response = client.post(reverse("one_stop_staff:counter"), {**PERSON, "handling_agency": closed.pk})

    assert response.status_code == 400 and not Dossier.objects.exists()
    assert re.search(r'<select name="handling_agency"[^>]*aria-invalid="true"', response.content.decode())


def test_without_a_choice_the_dossier_stays_at_the_clerks_agency(client, province, procedure):
    client.force_login(province["clerk"])

    client.post(reverse("one_stop_staff:counter"), PERSON)

    assert Dossier.objects.get().handling_agency == province["commune"]


# --- the applicant's kind: an organisation gives its tax code ---------------------------------------------------

def test_an_organisation_is_received_with_its_tax_code(client, staff, procedure):
    client.force_login(staff[Role.ONE_STOP_CLERK])

    response = client.post(reverse("one_stop_staff:counter"), {
        **PERSON, "applicant_kind": "organisation", "full_name": "Công ty TNHH Hoa Mai", "id_number": "0100112437 001"})

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert dossier.applicant_kind == "organisation" and dossier.applicant_id_number == "0100112437-001"


def test_an_organisations_wrong_tax_code_is_said_under_the_field_at_the_first_answer(client, staff, procedure):
    client.force_login(staff[Role.ONE_STOP_CLERK])

    response = client.post(reverse("one_stop_staff:counter"), {
        **PERSON, "applicant_kind": "organisation", "full_name": "Công ty TNHH Hoa Mai", "id_number": "0100112438"})

    html = response.content.decode()
    assert response.status_code == 400 and not Dossier.objects.exists()
    error = re.search(r'<small id="id_id_number_error"[^>]*>(.*?)</small>', html)[1]
    assert "chữ số kiểm tra" in error


def test_a_person_keeps_the_id_number_as_typed_a_passport_too(client, staff, procedure):
    client.force_login(staff[Role.ONE_STOP_CLERK])

    client.post(reverse("one_stop_staff:counter"), {**PERSON, "applicant_kind": "person", "id_number": "C1234567"})

    dossier = Dossier.objects.get()
    assert dossier.applicant_kind == "person" and dossier.applicant_id_number == "C1234567"


def test_the_api_takes_the_applicants_kind_and_checks_an_organisations_tax_code(client, staff, procedure):
    client.force_login(staff[Role.ONE_STOP_CLERK])
    organisation = {"kind": "organisation", "full_name": "Công ty TNHH Hoa Mai", "id_number": "0101248141"}

    refused = client.post("/api/v1/dossiers/", {"procedure": "1.001193", "applicant": {
        **organisation, "id_number": "010124814"}}, content_type="application/json")
    created = client.post("/api/v1/dossiers/", {"procedure": "1.001193", "applicant": organisation},
                          content_type="application/json")

    assert refused.status_code == 400
    assert "Mã số thuế của tổ chức gồm 10 chữ số" in refused.json()["error"]["fields"]["applicant"]["id_number"][0]
    assert created.status_code == 201
    assert created.json()["applicant"]["kind"] == "organisation" and Dossier.objects.count() == 1


def test_an_unknown_applicant_kind_is_refused_by_the_service(staff, procedure):
    with pytest.raises(ApplicationError) as refused:
        dossier_receive_at_counter(clerk=staff[Role.ONE_STOP_CLERK], procedure=procedure,
                                   applicant=ApplicantData(full_name="X", id_number="1", kind="robot"))
    assert refused.value.code == "invalid_applicant_kind"


@pytest.mark.parametrize("code", ["0100112437", "0101248141", "0100109106", "0100112437-001", "０１００１１２４３７",
                                  "020095001234"])  # the last: a household business, its owner's personal number
def test_real_tax_codes_pass(code):
    validate_tax_code(code)


@pytest.mark.parametrize("code", ["", "010011243", "01001124370", "0100112437-01", "010011243A", "0100112436",
                                  "4900123456", "02009500123", "0200950012345"])
def test_malformed_tax_codes_or_wrong_check_digits_fail(code):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_tax_code(code)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(min_value=0, max_value=9))
def test_exactly_one_tenth_digit_checks_nine_digits_unless_none_can(first_nine, tenth):
    from django.core.exceptions import ValidationError

    remainder = sum(int(d) * w for d, w in zip(first_nine, TAX_CODE_WEIGHTS, strict=True)) % 11
    try:
        validate_tax_code(first_nine + str(tenth))
        valid = True
    except ValidationError:
        valid = False
    assert valid == (remainder != 0 and tenth == 10 - remainder)
    assert normalize_tax_code(first_nine + str(tenth) + "123") == f"{first_nine}{tenth}-123"


# --- the channel: at the counter or by post ---------------------------------------------------------------------

@pytest.fixture
def fee_by_channel(db):
    return procedure_upsert(data=ProcedureData(
        code="1.001193", name="Thủ tục đăng ký khai sinh", field="Hộ tịch", processing_days=5, fee_vnd=20000,
        channels=[ChannelTerms(channel="counter", processing_days=5, fee_vnd=20000),
                  ChannelTerms(channel="post", processing_days=5, fee_vnd=15000)]),
        effective_from=at_local(2025, 7, 1, 0, 0))[0]


def test_a_dossier_sent_by_post_is_received_as_such_and_pays_the_posts_fee(client, staff, fee_by_channel):
    client.force_login(staff[Role.ONE_STOP_CLERK])

    client.post(reverse("one_stop_staff:counter"), {**PERSON, "channel": "post"})
    client.post(reverse("one_stop_staff:counter"), {**PERSON, "channel": "counter"})

    assert sorted(Dossier.objects.values_list("channel", "fee_vnd")) == [("counter", 20000), ("post", 15000)]


def test_the_counter_form_offers_counter_and_post_with_the_counter_chosen(client, staff, procedure):
    client.force_login(staff[Role.ONE_STOP_CLERK])

    html = client.get(reverse("one_stop_staff:counter")).content.decode()

    channels = re.findall(r'<input type="radio" name="channel" value="(\w+)"[^>]*?( checked)?>', html)
    assert channels == [("counter", " checked"), ("post", "")]
    assert '<legend>Hình thức nộp</legend>' in html and '<legend>Người nộp là</legend>' in html


@pytest.mark.parametrize("channel", ["online", "fax"])
def test_a_channel_the_desk_does_not_receive_is_refused(client, staff, procedure, channel):
    client.force_login(staff[Role.ONE_STOP_CLERK])

    page = client.post(reverse("one_stop_staff:counter"), {**PERSON, "channel": channel})
    api = client.post("/api/v1/dossiers/", {"procedure": "1.001193", "channel": channel, "applicant": {
        "full_name": "Đặng Văn Công", "id_number": "020095001234"}}, content_type="application/json")

    assert page.status_code == 400 and api.status_code == 400 and not Dossier.objects.exists()
    assert re.search(r'name="channel"[^>]*aria-invalid="true" aria-describedby="id_channel_error"', page.content.decode())
    with pytest.raises(ApplicationError):
        dossier_receive_at_counter(clerk=staff[Role.ONE_STOP_CLERK], procedure=procedure, channel=channel,
                                   applicant=ApplicantData(full_name="Đặng Văn Công", id_number="020095001234"))


def test_the_dossier_page_says_the_applicants_kind_and_the_channel(client, staff, procedure):
    client.force_login(staff[Role.ONE_STOP_CLERK])
    client.post(reverse("one_stop_staff:counter"), {
        **PERSON, "applicant_kind": "organisation", "full_name": "Công ty TNHH Hoa Mai", "id_number": "0100112437",
        "channel": "post"})

    html = client.get(reverse("one_stop_staff:dossier", args=[Dossier.objects.get().code])).content.decode()

    assert "Công ty TNHH Hoa Mai (tổ chức) · MST 0100112437" in html
    assert "<dt>Hình thức nộp</dt><dd>Dịch vụ bưu chính</dd>" in html
