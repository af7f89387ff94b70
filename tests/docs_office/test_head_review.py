"""The head of division's review belongs to the head of the drafting unit, not to every head of the agency."""

import pytest

from docs_office.constants import OutgoingState
from docs_office.models import Division
from docs_office.selectors import outgoing_to_act_on
from docs_office.services.outgoing import outgoing_actions_for, outgoing_review
from egov.accounts.roles import Role
from egov.core.errors import ApplicationError
from tests.docs_office.test_outgoing import draft
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_head(agency, division):
    """The head of another division of the same agency."""
    head = UserFactory(agency=agency, roles=[Role.HEAD_OF_DIVISION])
    Division.objects.create(agency=agency, name="Phòng Tổng hợp", short_name="TH").members.add(head)
    return head


def submitted(staff, **extra):
    document = draft(staff, **extra)
    return outgoing_review(user=staff[Role.SPECIALIST], document=document, action="submit")


@pytest.mark.parametrize("action", ["head_approve", "return"])
def test_a_head_of_another_division_may_neither_approve_nor_return_the_draft(staff, division, other_head, action):
    document = submitted(staff, division=division)
    assert action not in outgoing_actions_for(user=other_head, document=document)
    with pytest.raises(ApplicationError) as refused:
        outgoing_review(user=other_head, document=document, action=action, note="Không phải đơn vị tôi")
    assert refused.value.status == 403
    document.refresh_from_db()
    assert document.state == OutgoingState.HEAD_REVIEW


def test_the_head_of_the_drafting_division_approves(staff, division, other_head):
    document = submitted(staff, division=division)
    assert "head_approve" in outgoing_actions_for(user=staff[Role.HEAD_OF_DIVISION], document=document)
    approved = outgoing_review(user=staff[Role.HEAD_OF_DIVISION], document=document, action="head_approve")
    assert approved.state == OutgoingState.LEADER_REVIEW


def test_a_draft_not_yet_submitted_is_a_409_for_any_head(staff, division, other_head):
    document = draft(staff, division=division)
    for head in (staff[Role.HEAD_OF_DIVISION], other_head):
        with pytest.raises(ApplicationError) as refused:
            outgoing_review(user=head, document=document, action="head_approve")
        assert refused.value.status == 409


def test_a_draft_without_a_division_goes_to_the_heads_of_the_drafters_division(staff, division, other_head):
    document = submitted(staff)  # the specialist belongs to "Văn phòng"
    with pytest.raises(ApplicationError) as refused:
        outgoing_review(user=other_head, document=document, action="head_approve")
    assert refused.value.status == 403
    outgoing_review(user=staff[Role.HEAD_OF_DIVISION], document=document, action="head_approve")


def test_a_draft_of_a_drafter_in_no_division_goes_to_any_head(staff, agency, division, other_head):
    loner = UserFactory(agency=agency, roles=[Role.SPECIALIST])
    document = submitted({**staff, Role.SPECIALIST: loner})
    assert {*outgoing_to_act_on(user=other_head)} == {document}
    assert {*outgoing_to_act_on(user=staff[Role.HEAD_OF_DIVISION])} == {document}
    outgoing_review(user=other_head, document=document, action="head_approve")


def test_each_head_is_shown_only_the_drafts_of_their_division(staff, agency, division, other_head,
                                                              django_assert_num_queries):
    theirs = UserFactory(agency=agency, roles=[Role.SPECIALIST])
    Division.objects.get(short_name="TH").members.add(theirs)
    ours_by_division = submitted(staff, division=division)
    ours_by_drafter = submitted(staff)
    other = submitted({**staff, Role.SPECIALIST: theirs}, division=Division.objects.get(short_name="TH"))
    for head in (staff[Role.HEAD_OF_DIVISION], other_head):
        head.role_names()  # read once per request by the authentication, not by the selector
    with django_assert_num_queries(1):
        mine = list(outgoing_to_act_on(user=staff[Role.HEAD_OF_DIVISION]))
    assert {*mine} == {ours_by_division, ours_by_drafter}
    with django_assert_num_queries(1):
        assert list(outgoing_to_act_on(user=other_head)) == [other]
