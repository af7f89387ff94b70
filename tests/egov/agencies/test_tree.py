import pytest

from egov.agencies.models import AgencyKind
from egov.agencies.selectors import agency_ancestors, agency_subtree
from egov.agencies.services import agency_create, agency_move
from egov.core.errors import ApplicationError
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def _chain(depth):
    agencies = [AgencyFactory(province=True)]
    for _ in range(depth - 1):
        agencies.append(AgencyFactory(parent=agencies[-1]))
    return agencies


@pytest.mark.parametrize("depth", [2, 3, 6])
def test_the_tree_has_as_many_levels_as_the_data_gives_it(depth):
    chain = _chain(depth)
    assert agency_ancestors(agency=chain[-1]) == chain
    assert set(agency_subtree(agency=chain[0])) == set(chain)


def test_a_subtree_holds_only_the_agency_and_what_is_below_it():
    province = AgencyFactory(province=True)
    department = AgencyFactory(parent=province)
    unit = AgencyFactory(parent=department)
    commune = AgencyFactory(commune=True, parent=province)
    assert set(agency_subtree(agency=department)) == {department, unit}
    assert commune not in agency_subtree(agency=department)


def test_the_ancestor_lookup_costs_two_queries_at_any_depth(django_assert_num_queries):
    for depth in (2, 7):
        leaf = _chain(depth)[-1]
        with django_assert_num_queries(2):
            agency_ancestors(agency=leaf)


def test_an_agency_cannot_be_moved_below_itself():
    province, department, unit = _chain(3)
    with pytest.raises(ApplicationError) as info:
        agency_move(agency=department, new_parent=unit)
    assert info.value.status == 409
    department.refresh_from_db()
    assert department.parent == province


def test_a_malformed_exchange_code_is_refused_with_a_vietnamese_message():
    with pytest.raises(ApplicationError) as info:
        agency_create(name="Sở Tư pháp", kind=AgencyKind.DEPARTMENT, short_name="STP", exchange_code="H41-000")
    assert info.value.fields["exchange_code"] == ["Mã định danh phải có dạng 000.00.00.H41."]


def test_a_short_name_with_spaces_is_refused():
    with pytest.raises(ApplicationError) as info:
        agency_create(name="Sở Tư pháp", kind=AgencyKind.DEPARTMENT, short_name="S TP", exchange_code="000.00.03.H41")
    assert "short_name" in info.value.fields


@pytest.mark.parametrize("under", ["itself", "its sub-agency"])
def test_the_admin_refuses_to_put_an_agency_under_itself_or_its_own_sub_agency(client, under):
    """A province placed under one of its departments saved (and a department's leader saw the others' figures);
    an agency placed under itself was a 500 (the database's check)."""
    from django.urls import reverse

    from tests.factories import login_verified_superuser

    login_verified_superuser(client)
    province = AgencyFactory(province=True, name="Ủy ban nhân dân tỉnh Lạng Sơn")
    department = AgencyFactory(parent=province)
    parent = province if under == "itself" else department
    data = {"name": province.name, "kind": province.kind, "short_name": province.short_name,
            "exchange_code": province.exchange_code, "is_active": "on", "parent": parent.pk}
    response = client.post(reverse("admin:agencies_agency_change", args=[province.pk]), data)
    assert response.status_code == 200
    assert "Không thể đặt cơ quan dưới chính nó" in response.content.decode()
    province.refresh_from_db()
    assert province.parent_id is None


@pytest.mark.django_db(transaction=True)
def test_two_moves_that_would_close_a_cycle_together_cannot_both_succeed():
    """Found in review: A under B and B under A at once each found no cycle, and both committed one. The second move
    waits for the first to commit, then sees the tree it left."""
    import threading

    from django.db import connection, transaction

    province = AgencyFactory(province=True)
    first, second = AgencyFactory(parent=province), AgencyFactory(parent=province)
    moved, outcome = threading.Event(), {}

    def move_second_under_first():
        try:
            moved.wait(10)
            agency_move(agency=type(second).objects.get(pk=second.pk), new_parent=type(first).objects.get(pk=first.pk))
            outcome["second"] = "moved"
        except ApplicationError as exc:
            outcome["second"] = exc.code
        finally:
            connection.close()

    other = threading.Thread(target=move_second_under_first)
    other.start()
    with transaction.atomic():
        agency_move(agency=first, new_parent=second)
        moved.set()
        other.join(1)  # the other move is waiting for this transaction
        assert other.is_alive()
    other.join(10)

    assert outcome["second"] == "agency_cycle"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.parent_id, second.parent_id) == (second.pk, province.pk)
