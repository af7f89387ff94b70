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


def test_a_resent_code_keeps_the_wrong_attempts_of_the_flow(issued, settings):
    """Found in review: a resend set the attempts back to 0, so a flow allowed EGOV_CODE_MAX_ATTEMPTS guesses per
    send — 5 × 6 = 30 guesses at a 6-digit code instead of 5."""
    otc, code = issued
    for _ in range(3):
        with pytest.raises(ApplicationError):
            code_consume(public_id=otc.public_id, code=_wrong(code), purpose=CodePurpose.SIGNUP)
    age(otc, seconds=60)
    code_resend(public_id=otc.public_id, purpose=CodePurpose.SIGNUP)
    otc.refresh_from_db()
    assert otc.attempts == 3 and otc.sends == 2

    new_code = sent_code("0981234567")
    with pytest.raises(ApplicationError) as wrong:
        code_consume(public_id=otc.public_id, code=_wrong(new_code), purpose=CodePurpose.SIGNUP)
    left = settings.EGOV_CODE_MAX_ATTEMPTS - 4
    assert wrong.value.code == "code_wrong" and f"Bạn còn {left} lần thử." in wrong.value.message
    assert code_consume(public_id=otc.public_id, code=new_code, purpose=CodePurpose.SIGNUP).used_at


def test_resends_give_no_more_guesses_than_one_code(issued, settings):
    otc, code = issued
    guesses = 0
    for _send in range(settings.EGOV_CODE_MAX_SENDS):
        while True:
            try:
                code_consume(public_id=otc.public_id, code=_wrong(sent_code("0981234567")), purpose=CodePurpose.SIGNUP)
            except ApplicationError as refusal:
                if refusal.code != "code_wrong":
                    break
                guesses += 1
        age(otc, seconds=60)
        with pytest.raises(ApplicationError) as refusal:
            code_resend(public_id=otc.public_id, purpose=CodePurpose.SIGNUP)
        assert refusal.value.code == "code_locked" and refusal.value.status == 429
    assert guesses == settings.EGOV_CODE_MAX_ATTEMPTS


def test_once_the_guesses_are_spent_the_citizen_is_told_to_start_again_not_to_ask_for_a_code(issued, settings):
    otc, code = issued
    for _ in range(settings.EGOV_CODE_MAX_ATTEMPTS):
        with pytest.raises(ApplicationError):
            code_consume(public_id=otc.public_id, code=_wrong(code), purpose=CodePurpose.SIGNUP)
    with pytest.raises(ApplicationError) as locked:
        code_consume(public_id=otc.public_id, code=code, purpose=CodePurpose.SIGNUP)
    assert locked.value.message == "Bạn đã nhập sai quá số lần cho phép. Hãy bắt đầu lại."
    age(otc, seconds=60)
    with pytest.raises(ApplicationError) as resend:
        code_resend(public_id=otc.public_id, purpose=CodePurpose.SIGNUP)
    assert resend.value.message == locked.value.message
    assert OneTimeCode.objects.get(pk=otc.pk).sends == 1  # no text message sent for a code that cannot be used


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
