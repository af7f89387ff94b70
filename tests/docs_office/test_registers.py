"""Numbering (Decree 30/2020): per register, per calendar year, from 01, never repeated, never skipped."""

import threading

import pytest
from django.db import connection, transaction

from docs_office.constants import RegisterKind
from docs_office.models import Division, IncomingDocument, Register
from docs_office.services.registers import (
    format_number,
    register_create,
    register_number_allocate,
    register_outgoing_for,
    symbol_compose,
)
from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from tests.docs_office.factories import at_local, doc_type, register_scan

pytestmark = pytest.mark.django_db


def test_document_types_carry_the_official_abbreviations(db):
    assert doc_type("quyet-dinh").abbreviation == "QĐ"
    assert doc_type("quy-dinh").abbreviation == "QyĐ"
    assert doc_type("to-trinh").abbreviation == "TTr"
    assert doc_type("cong-van").abbreviation == ""


# Decree 30/2020/NĐ-CP, appendix III: the 29 types of administrative documents and their abbreviations, in
# the appendix's order (công văn and thư công have none; nghị quyết and quyết định are the individual ones).
DECREE_30_TYPES = [
    ("Nghị quyết", "NQ"), ("Quyết định", "QĐ"), ("Chỉ thị", "CT"), ("Quy chế", "QC"), ("Quy định", "QyĐ"),
    ("Thông cáo", "TC"), ("Thông báo", "TB"), ("Hướng dẫn", "HD"), ("Chương trình", "CTr"), ("Kế hoạch", "KH"),
    ("Phương án", "PA"), ("Đề án", "ĐA"), ("Dự án", "DA"), ("Báo cáo", "BC"), ("Biên bản", "BB"), ("Tờ trình", "TTr"),
    ("Hợp đồng", "HĐ"), ("Công văn", ""), ("Công điện", "CĐ"), ("Bản ghi nhớ", "BGN"), ("Bản thỏa thuận", "BTT"),
    ("Giấy ủy quyền", "GUQ"), ("Giấy mời", "GM"), ("Giấy giới thiệu", "GGT"), ("Giấy nghỉ phép", "GNP"),
    ("Phiếu gửi", "PG"), ("Phiếu chuyển", "PC"), ("Phiếu báo", "PB"), ("Thư công", ""),
]


def test_every_type_of_decree_30_is_present_with_its_abbreviation_in_order(db):
    from docs_office.models import DocumentType

    assert len(DECREE_30_TYPES) == 29
    loaded = list(DocumentType.objects.filter(is_active=True).order_by("ordering", "name")
                  .values_list("name", "abbreviation"))
    assert loaded == DECREE_30_TYPES


def test_numbers_start_at_one_and_are_written_with_a_leading_zero_below_ten(registers):
    with transaction.atomic():
        numbers = [register_number_allocate(register=registers["outgoing"], at=at_local(2026, 3, 1, 9, 0))[0]
                   for _ in range(11)]
    assert numbers == list(range(1, 12))
    assert [format_number(n) for n in (1, 9, 10, 123)] == ["01", "09", "10", "123"]


def test_each_register_counts_on_its_own(registers, agency):
    other = register_create(agency=agency, kind=RegisterKind.OUTGOING, name="Sổ quyết định",
                            document_types=[doc_type("quyet-dinh")])
    with transaction.atomic():
        register_number_allocate(register=registers["outgoing"], at=at_local(2026, 3, 1, 9, 0))
        assert register_number_allocate(register=other, at=at_local(2026, 3, 1, 9, 0)) == (1, 2026)


def test_the_numbering_starts_again_on_the_first_of_january(registers):
    with transaction.atomic():
        register_number_allocate(register=registers["incoming"], at=at_local(2026, 12, 31, 23, 59))
        last = register_number_allocate(register=registers["incoming"], at=at_local(2026, 12, 31, 23, 59))
        first = register_number_allocate(register=registers["incoming"], at=at_local(2027, 1, 1, 0, 1))
    assert last == (2, 2026)
    assert first == (1, 2027)


def test_arrival_numbers_roll_over_with_the_year_at_registration(staff):
    clerk = staff[Role.RECORDS_CLERK]
    december = register_scan(clerk, when=at_local(2026, 12, 31, 16, 0))
    january = register_scan(clerk, when=at_local(2027, 1, 1, 8, 0), number="16")
    assert (december.arrival_number, december.arrival_year) == (1, 2026)
    assert (january.arrival_number, january.arrival_year) == (1, 2027)


def test_a_rolled_back_allocation_gives_its_number_back(registers):
    with pytest.raises(RuntimeError), transaction.atomic():
        register_number_allocate(register=registers["incoming"], at=at_local(2026, 5, 5, 9, 0))
        raise RuntimeError("the document could not be saved")
    with transaction.atomic():
        assert register_number_allocate(register=registers["incoming"], at=at_local(2026, 5, 5, 9, 0))[0] == 1


def test_a_decision_symbol_joins_the_type_and_the_agency(agency):
    assert symbol_compose(document_type=doc_type("quyet-dinh"), agency=agency) == "QĐ-UBND"


def test_an_official_letter_symbol_joins_the_agency_and_the_drafting_unit(agency):
    unit = Division.objects.create(agency=agency, name="Văn phòng", short_name="VP")
    assert symbol_compose(document_type=doc_type("cong-van"), agency=agency, division=unit) == "UBND-VP"
    assert symbol_compose(document_type=doc_type("cong-van"), agency=agency) == "UBND"


def test_an_outgoing_type_goes_to_the_register_of_its_group_else_the_general_one(agency, registers):
    decisions = register_create(agency=agency, kind=RegisterKind.OUTGOING, name="Sổ quyết định",
                                document_types=[doc_type("quyet-dinh")])
    assert register_outgoing_for(agency=agency, document_type=doc_type("quyet-dinh")) == decisions
    assert register_outgoing_for(agency=agency, document_type=doc_type("cong-van")) == registers["outgoing"]


def test_an_agency_without_an_outgoing_register_is_told_to_create_one(db):
    from tests.factories import AgencyFactory

    with pytest.raises(ApplicationError) as refused:
        register_outgoing_for(agency=AgencyFactory(), document_type=doc_type("cong-van"))
    assert refused.value.status == 409


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_registrations_take_numbers_one_to_fifty_without_a_gap():
    # Real parallel connections: each thread registers in its own transaction on its own connection.
    from tests.docs_office.conftest import office_registers, office_staff
    from tests.docs_office.factories import ensure_document_types
    from tests.factories import AgencyFactory

    ensure_document_types()
    agency = AgencyFactory(province=True)
    office_registers(agency)
    clerk = office_staff(agency)[Role.RECORDS_CLERK]
    barrier = threading.Barrier(50)
    errors = []

    def register(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            register_scan(clerk, number=str(index))
        except Exception as exc:  # collected and asserted below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(i,)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(IncomingDocument.objects.filter(agency=agency).values_list("arrival_number", flat=True))
    assert numbers == list(range(1, 51))
    assert Register.objects.get(agency=agency, kind=RegisterKind.INCOMING).counters.get().last == 50


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_registers_the_document_once():
    """Four identical registrations at once (a double click, a retried request): one entry, three duplicate warnings —
    not two entries with consecutive arrival numbers."""
    from docs_office.services.incoming import incoming_register_scan
    from tests.docs_office.conftest import office_registers, office_staff
    from tests.docs_office.factories import ensure_document_types, incoming_data, scan
    from tests.factories import AgencyFactory

    ensure_document_types()
    agency = AgencyFactory(province=True)
    office_registers(agency)
    clerk = office_staff(agency)[Role.RECORDS_CLERK]
    barrier = threading.Barrier(4)
    outcomes = []

    def register() -> None:
        try:
            barrier.wait(timeout=30)
            incoming_register_scan(clerk=clerk, data=incoming_data(number="777", symbol="TB-DUP"), upload=scan())
            outcomes.append("registered")
        except ApplicationError as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # collected and asserted below: a thread's failure must fail the test
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=register) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["duplicate", "duplicate", "duplicate", "registered"]
    assert IncomingDocument.objects.filter(agency=agency, number="777").count() == 1
