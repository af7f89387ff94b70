"""One-time codes: expiry, the limit on wrong attempts, the limit on sends, the keyed hash."""

import pytest

from egov.accounts.codes import code_consume, code_issue, code_resend
from egov.accounts.models import CodePurpose, OneTimeCode
from egov.core.errors import ApplicationError
from tests.egov.accounts.citizen_helpers import age, sent_code
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued():
    user = UserFactory(citizen=True, phone="0981234567")
    otc = code_issue(purpose=CodePurpose.SIGNUP, user=user, channel="sms", target=user.phone, ip="10.0.0.1")
    return otc, sent_code("0981234567")


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_a_code_expires_after_ten_minutes(issued):
    otc, code = issued
    age(otc, minutes=10, seconds=1)
    with pytest.raises(ApplicationError) as refusal:
        code_consume(public_id=otc.public_id, code=code, purpose=CodePurpose.SIGNUP)
    assert refusal.value.code == "code_expired" and "hết hạn" in refusal.value.message


def test_five_wrong_attempts_lock_the_code_even_the_right_one(issued, settings):
    otc, code = issued
    for left in range(settings.EGOV_CODE_MAX_ATTEMPTS - 1, -1, -1):
        with pytest.raises(ApplicationError) as wrong:
            code_consume(public_id=otc.public_id, code=_wrong(code), purpose=CodePurpose.SIGNUP)
        assert wrong.value.code == "code_wrong" and f"còn {left} lần" in wrong.value.message

    with pytest.raises(ApplicationError) as locked:
        code_consume(public_id=otc.public_id, code=code, purpose=CodePurpose.SIGNUP)
    assert locked.value.code == "code_locked" and locked.value.status == 429
    otc.refresh_from_db()
    assert otc.attempts == settings.EGOV_CODE_MAX_ATTEMPTS and otc.used_at is None


def test_a_resent_code_gets_fresh_attempts(issued):
    otc, code = issued
    for _ in range(3):
        with pytest.raises(ApplicationError):
            code_consume(public_id=otc.public_id, code=_wrong(code), purpose=CodePurpose.SIGNUP)
    age(otc, seconds=60)
    code_resend(public_id=otc.public_id, purpose=CodePurpose.SIGNUP)
    otc.refresh_from_db()
    assert otc.attempts == 0 and otc.sends == 2
    assert code_consume(public_id=otc.public_id, code=sent_code("0981234567"), purpose=CodePurpose.SIGNUP).used_at


def test_sends_are_limited(issued, settings):
    otc, _code = issued
    for _ in range(settings.EGOV_CODE_MAX_SENDS - 1):
        age(otc, seconds=60)
        code_resend(public_id=otc.public_id, purpose=CodePurpose.SIGNUP)
    age(otc, seconds=60)
    with pytest.raises(ApplicationError) as refusal:
        code_resend(public_id=otc.public_id, purpose=CodePurpose.SIGNUP)
    assert refusal.value.code == "code_too_many_sends" and refusal.value.status == 429


def test_a_code_of_another_purpose_or_flow_is_not_accepted(issued):
    otc, code = issued
    with pytest.raises(ApplicationError) as refusal:
        code_consume(public_id=otc.public_id, code=code, purpose=CodePurpose.PASSWORD_RESET)
    assert refusal.value.status == 404
    with pytest.raises(ApplicationError):
        code_consume(public_id="not-a-uuid", code=code, purpose=CodePurpose.SIGNUP)


def test_the_stored_hash_depends_on_the_secret_key(issued, settings):
    otc, code = issued
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    with pytest.raises(ApplicationError) as refusal:
        code_consume(public_id=otc.public_id, code=code, purpose=CodePurpose.SIGNUP)
    assert refusal.value.code == "code_wrong"


def test_issuing_a_new_code_retires_the_unused_one(issued):
    otc, code = issued
    code_issue(purpose=CodePurpose.SIGNUP, user=otc.user, channel="sms", target=otc.user.phone, ip=None)
    with pytest.raises(ApplicationError) as refusal:
        code_consume(public_id=otc.public_id, code=code, purpose=CodePurpose.SIGNUP)
    assert refusal.value.code == "code_expired"
    assert OneTimeCode.objects.count() == 2
