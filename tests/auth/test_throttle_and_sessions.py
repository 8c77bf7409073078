"""Throttling per source with decay, and sessions kept across a restart without reviving ended ones."""

from __future__ import annotations

import os
from pathlib import Path

from appliance.auth import SessionManager, SignInThrottle, ThrottlePolicy


def test_one_source_is_slowed_but_never_locks_the_account_for_others() -> None:
    now = [0.0]
    throttle = SignInThrottle(ThrottlePolicy(), clock=lambda: now[0])
    waits = [throttle.failed("n200", "10.0.0.9").retry_after for _ in range(7)]
    assert waits[:4] == [0, 0, 0, 0] and waits[4] == 15 and waits[5] == 30
    assert not throttle.check("n200", "10.0.0.9").allowed
    assert throttle.check("n200", "10.0.0.10").allowed  # another tablet
    assert not throttle.account_locked("n200")


def test_failures_from_several_sources_lock_the_account_but_never_an_admin() -> None:
    now = [0.0]
    throttle = SignInThrottle(ThrottlePolicy(distributed_sources=3), clock=lambda: now[0])
    for source in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        for _ in range(5):
            throttle.failed("n200", source)
    assert throttle.account_locked("n200") and not throttle.check("n200", "10.0.0.99").allowed
    assert throttle.check("n200", "10.0.0.99", lockable=False).allowed  # how admins are checked


def test_failures_decay_and_tables_stay_bounded() -> None:
    now = [0.0]
    throttle = SignInThrottle(ThrottlePolicy(max_entries=100), clock=lambda: now[0])
    for _ in range(5):
        throttle.failed("n200", "10.0.0.9")
    now[0] += 4 * 3600  # hours later the count has decayed away
    assert throttle.check("n200", "10.0.0.9").allowed
    assert throttle.failed("n200", "10.0.0.9").allowed
    for i in range(1000):
        throttle.failed(f"user{i}", f"10.1.{i // 250}.{i % 250}")
    assert throttle.size() <= 3 * 100


def test_sessions_survive_a_restart_and_ended_ones_stay_ended(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "sessions.json"
    first = SessionManager(300, path=path)
    kept = first.create("n1", "Nurse", ("learner",), "nicu-nurse")
    ended = first.create("n2", "Other", ("learner",), None)
    first.end(ended.token)
    assert (os.stat(path).st_mode & 0o777) == 0o600
    assert kept.token not in path.read_text()  # only hashes are stored
    again = SessionManager(300, path=path)
    assert again.touch(kept.token) is not None and again.touch(ended.token) is None


def test_a_ticket_is_single_use_and_bound_to_its_browser() -> None:
    sessions = SessionManager(300)
    ticket = sessions.issue_ticket("n1", "Nurse", ("learner",), None, binding="browser-a")
    assert sessions.claim(ticket, "browser-b") is None
    ticket = sessions.issue_ticket("n1", "Nurse", ("learner",), None, binding="browser-a")
    session = sessions.claim(ticket, "browser-a")
    assert session is not None and sessions.touch(session.token) is not None
    assert sessions.claim(ticket, "browser-a") is None
