"""Deleting a learner and purging expired rationales: personal text leaves the disk, the numbers stay."""

from __future__ import annotations

from pathlib import Path

import pytest

from appliance.store import NotFound, Store
from tests.store.conftest import Clock, learner, options, state, submit

SECRET_TEXT = "zebra-quartz rationale only this learner wrote"


def _disk_bytes(data_dir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (data_dir / "store").rglob("*") if p.is_file())


def _play(store: Store, user_id: str, rationale: str, score: float, decisions: int = 2) -> str:
    attempt = store.attempts.start(user_id, "sepsis", "sepsis-1", state())
    revision = attempt.revision
    for _ in range(decisions):
        _record, saved, _event = submit(store, attempt.attempt_id, revision, rationale=rationale, score=score)
        revision = saved.revision
    return attempt.attempt_id


def test_deleting_a_learner_removes_their_text_everywhere_but_keeps_the_counts(
    data_dir: Path, clock: Clock
) -> None:
    with Store.open(data_dir, options=options(clock)) as store:
        gone = learner(store, "GONE1")
        stays = learner(store, "STAY1")
        _play(store, gone.user_id, SECRET_TEXT, 0.9)
        store.checkpoint()
        clock.advance(days=35)
        _play(store, gone.user_id, SECRET_TEXT, 0.4)
        _play(store, stays.user_id, "ordinary text", 0.7)
        store.credentials.issue(gone.user_id, "badge-sepsis", "badge", {"name": "Nurse GONE1"})
        store.audit.record("admin", "reset-pin", target=gone.user_id, details={"note": "Nurse GONE1 forgot"})
        store.checkpoint()
        before = store.cohort_summary()
        report = store.delete_learner(gone.user_id, actor="admin")
        assert (report.attempts_deleted, report.grades_deleted, report.credentials_deleted) == (2, 4, 1)
        assert report.events_redacted == 4 and report.audit_entries_redacted == 1
        assert store.users.get(gone.user_id) is None
        assert store.progress(gone.user_id).grades == () and store.credentials.for_learner(gone.user_id) == ()
        after = store.cohort_summary()
        assert after.modules == before.modules and after.by_role == before.by_role
        assert after.deleted_learners == 1
        assert store.outbox.after(0, 100)[-1].type == "learner.deleted"
        assert all(e.subject is None and e.payload == {} for e in store.outbox.after(0, 100) if e.redacted)
        assert store.audit.entries(action="learner.deleted")[0].target == gone.user_id
        assert len(store.progress(stays.user_id).grades) == 2
    disk = _disk_bytes(data_dir)
    assert SECRET_TEXT.encode() not in disk
    assert b"GONE1" not in disk
    with pytest.raises(NotFound), Store.open(data_dir, options=options(clock)) as store:
        store.delete_learner(gone.user_id, actor="admin")


def test_the_attempt_state_holds_no_text_only_references_to_grade_records(
    data_dir: Path, clock: Clock
) -> None:
    with Store.open(data_dir, options=options(clock)) as store:
        user = learner(store)
        attempt_id = _play(store, user.user_id, SECRET_TEXT, 0.9)
        attempt = store.attempts.get(attempt_id)
        assert attempt is not None and SECRET_TEXT not in attempt.state.model_dump_json()
        records = {g.grade_id: g for g in store.grades.for_attempt(attempt_id)}
        refs = [step.rationale_id for step in attempt.state.steps]
        assert len(refs) == 2 and set(refs) == set(records)  # each step names its own grade record
        assert all(records[r].rationale == SECRET_TEXT for r in refs if r is not None)
        assert all(kp.evidence is None for step in attempt.state.steps for kp in step.grade.key_points)  # type: ignore[union-attr]
        assert all(kp.evidence == SECRET_TEXT for g in records.values() for kp in g.grade.key_points)


def test_expired_rationales_are_purged_and_their_grades_anonymised(data_dir: Path, clock: Clock) -> None:
    with Store.open(data_dir, retention_days=30, options=options(clock)) as store:
        user = learner(store)
        old_attempt = _play(store, user.user_id, SECRET_TEXT, 0.9)
        store.outbox.acknowledge(store.outbox.last_seq)  # the hub has the old events
        store.checkpoint()
        clock.advance(days=45)
        recent_attempt = _play(store, user.user_id, "recent text", 0.5)
        before = store.cohort_summary()
        report = store.purge_expired()
        assert (report.grades_anonymised, report.attempts_redacted, report.events_redacted) == (2, 1, 2)
        assert store.cohort_summary().modules == before.modules  # the numbers are kept, anonymised
        assert [g.attempt_id for g in store.grades.for_learner(user.user_id)] == [recent_attempt] * 2
        old = store.attempts.get(old_attempt)
        assert old is not None and old.redacted_at == clock.now and old.score == pytest.approx(0.8)
        assert SECRET_TEXT not in old.state.model_dump_json()  # the play state never held the text
        assert all(kp.evidence is None for step in old.state.steps for kp in step.grade.key_points)  # type: ignore[union-attr]
        assert store.purge_expired().grades_anonymised == 0  # nothing left to purge
    disk = _disk_bytes(data_dir)
    assert SECRET_TEXT.encode() not in disk
    assert b"recent text" in disk
