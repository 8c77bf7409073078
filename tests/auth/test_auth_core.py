"""PIN rules and hashing, lockout back-off, role checks and session timeouts."""

from __future__ import annotations

import pytest

from appliance.auth import (
    LockoutPolicy,
    NotPermitted,
    Role,
    SessionManager,
    WeakPin,
    check_pin_rules,
    has_role,
    hash_pin,
    require_role,
    verify_pin,
)


@pytest.mark.parametrize("pin", ["12345", "abcdef", "1234567890123", "111111", "123456", "987654", "12 3456"])
def test_weak_pins_are_refused_with_a_reason(pin: str) -> None:
    with pytest.raises(WeakPin):
        check_pin_rules(pin)


def test_a_reasonable_pin_passes_the_rules() -> None:
    check_pin_rules("402917")


def test_pins_are_hashed_with_argon2id_and_salted() -> None:
    first, second = hash_pin("402917"), hash_pin("402917")
    assert first.startswith("$argon2id$") and first != second
    assert verify_pin(first, "402917") and not verify_pin(first, "402918")


def test_unknown_account_or_garbage_hash_never_verifies() -> None:
    assert not verify_pin(None, "402917")
    assert not verify_pin("not-a-hash", "402917")


def test_lockout_backs_off_exponentially_and_is_capped() -> None:
    policy = LockoutPolicy(free_attempts=5, base_seconds=30, max_seconds=900)
    assert [policy.lock_seconds(n) for n in (1, 4, 5, 6, 7, 20)] == [0, 0, 30, 60, 120, 900]


def test_admin_has_every_role_and_learners_do_not() -> None:
    assert has_role(["admin"], Role.AUTHOR)
    assert not has_role(["learner"], Role.ADMIN)
    with pytest.raises(NotPermitted, match="admin"):
        require_role(["learner", "reviewer"], Role.ADMIN)


def test_session_expires_after_inactivity_but_activity_keeps_it_alive() -> None:
    now = [0.0]
    sessions = SessionManager(timeout_seconds=300, clock=lambda: now[0])
    session = sessions.create("n1", "Nurse", ("learner",), "nicu-nurse")
    now[0] = 290
    assert sessions.touch(session.token) is not None
    now[0] = 580  # 290 s after the last touch
    assert sessions.touch(session.token) is not None
    now[0] = 881
    assert sessions.touch(session.token) is None
    assert sessions.touch(session.token) is None


def test_ending_a_user_signs_out_every_browser() -> None:
    sessions = SessionManager(timeout_seconds=300)
    a = sessions.create("n1", "Nurse", ("learner",), None).token
    b = sessions.create("n1", "Nurse", ("learner",), None).token
    c = sessions.create("n2", "Other", ("learner",), None).token
    sessions.end_user("n1")
    assert sessions.touch(a) is None and sessions.touch(b) is None and sessions.touch(c) is not None
