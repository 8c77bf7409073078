"""The typed repositories: users, curriculum, attempts, grades, credentials, outbox, settings, audit."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from appliance.auth import Role
from appliance.engine import Band, PlayStatus, load_document
from appliance.engine.curriculum import publish
from appliance.store import AlreadyExists, AttemptStatus, ConcurrentUpdate, InvalidInput, NotFound, Store
from appliance.store.records import UNSET, SettingKey
from tests.store.conftest import Clock, grade, learner, state, submit

ENGINE_FIXTURE = Path(__file__).parents[1] / "engine" / "fixtures" / "mini_module.json"


def test_users_are_found_by_id_and_staff_id(store: Store) -> None:
    user = store.users.create(" N1 ", "Ann Nurse", (Role.LEARNER, Role.REVIEWER), pin_hash="$argon2$x")
    assert store.users.get(user.user_id) == user
    assert store.users.by_staff_id("N1") == user
    assert store.users.list(role=Role.REVIEWER) == (user,)
    assert store.users.list(role=Role.ADMIN) == ()


def test_a_staff_id_can_be_registered_only_once(store: Store) -> None:
    store.users.create("N1", "Ann")
    with pytest.raises(AlreadyExists):
        store.users.create("N1", "Another Ann")


def test_updating_a_user_keeps_other_fields_and_counts_revisions(store: Store, clock: Clock) -> None:
    user = store.users.create("N1", "Ann", job_role="nicu-nurse", pin_hash="h1")
    clock.advance(minutes=1)
    locked = store.users.update(
        user.user_id, failed_attempts=3, locked_until=clock.now + timedelta(minutes=5)
    )
    assert (locked.failed_attempts, locked.job_role, locked.pin_hash, locked.revision) == (
        3,
        "nicu-nurse",
        "h1",
        2,
    )
    cleared = store.users.update(user.user_id, failed_attempts=0, locked_until=None, job_role=UNSET)
    assert cleared.locked_until is None and cleared.updated_at == clock.now
    with pytest.raises(ConcurrentUpdate):
        store.users.update(user.user_id, display_name="Bob", expected_revision=1)
    with pytest.raises(NotFound):
        store.users.update("unobody", active=False)


def test_invalid_user_fields_are_refused(store: Store) -> None:
    with pytest.raises(InvalidInput):
        store.users.create("N1", "")
    with pytest.raises(InvalidInput):
        store.users.create("N2", "Ann", user_id="Has-Dash")


def test_publishing_is_idempotent_and_pins_versions(store: Store) -> None:
    document = load_document(ENGINE_FIXTURE)
    module = document.module  # type: ignore[union-attr]
    first = store.curriculum.publish(publish(module), published_by="u1")
    assert store.curriculum.publish(publish(module)) == first
    assert store.curriculum.get(module.id) == first
    assert store.curriculum.by_hash(first.content_hash) == first
    changed = module.model_copy(update={"title": "Changed title"})
    with pytest.raises(AlreadyExists):
        store.curriculum.publish(publish(changed))
    newer = store.curriculum.publish(publish(changed.model_copy(update={"version": "1.10.0"})))
    store.curriculum.publish(publish(changed.model_copy(update={"version": "1.9.0"})))
    assert store.curriculum.get(module.id) == newer  # 1.10 sorts after 1.9
    assert [v.version for v in store.curriculum.versions(module.id)] == [module.version, "1.9.0", "1.10.0"]
    assert store.curriculum.modules() == (newer,)


def test_drafts_refuse_a_stale_autosave(store: Store) -> None:
    draft = store.curriculum.save_draft("sepsis", {"half": "done"}, updated_by="u1", expected_revision=0)
    store.curriculum.save_draft("sepsis", {"more": 1}, expected_revision=draft.revision)
    with pytest.raises(ConcurrentUpdate):
        store.curriculum.save_draft("sepsis", {"stale": 1}, expected_revision=draft.revision)
    assert store.curriculum.get_draft("sepsis").document == {"more": 1}  # type: ignore[union-attr]
    assert [d.module_id for d in store.curriculum.drafts()] == ["sepsis"]
    assert store.curriculum.delete_draft("sepsis") and store.curriculum.get_draft("sepsis") is None
    assert not store.curriculum.delete_draft("sepsis")


def test_a_double_submit_from_two_tabs_is_refused(store: Store) -> None:
    user = learner(store)
    attempt = store.attempts.start(user.user_id, "sepsis", "sepsis-1", state())
    submit(store, attempt.attempt_id, attempt.revision)
    with pytest.raises(ConcurrentUpdate):
        submit(store, attempt.attempt_id, attempt.revision)  # the second tab still has revision 1
    assert len(store.grades.for_attempt(attempt.attempt_id)) == 1  # the refused grade was rolled back
    assert store.outbox.last_seq == 1


def test_the_latest_active_attempt_resumes(store: Store, clock: Clock) -> None:
    user = learner(store)
    old = store.attempts.start(user.user_id, "sepsis", "sepsis-1", state())
    clock.advance(days=40)  # into another month and so another shard
    new = store.attempts.start(user.user_id, "sepsis", "sepsis-1", state())
    clock.advance(minutes=1)
    other = store.attempts.start(user.user_id, "sepsis", "sepsis-2", state("sepsis-2"))
    assert store.attempts.latest_active(user.user_id, "sepsis-1") == new
    store.attempts.abandon(new.attempt_id, expected_revision=1)
    assert store.attempts.latest_active(user.user_id, "sepsis-1") == old
    assert store.attempts.latest_active(user.user_id, "sepsis-2") == other
    with pytest.raises(ConcurrentUpdate):
        store.attempts.save(new.attempt_id, state(), expected_revision=2)  # abandoned
    ended = state().model_copy(update={"status": PlayStatus.ENDED})
    store.attempts.save(old.attempt_id, ended, expected_revision=1, passed=True)
    assert store.attempts.latest_active(user.user_id, "sepsis-1") is None
    assert [a.status for a in store.attempts.for_learner(user.user_id)] == [
        AttemptStatus.ACTIVE,
        AttemptStatus.ABANDONED,
        AttemptStatus.ENDED,
    ]


def test_attempts_need_a_known_learner_and_matching_scenario(store: Store) -> None:
    with pytest.raises(NotFound):
        store.attempts.start("nobody", "sepsis", "sepsis-1", state())
    user = learner(store)
    with pytest.raises(InvalidInput):
        store.attempts.start(user.user_id, "sepsis", "other", state())
    with pytest.raises(InvalidInput):
        store.attempts.get("not-an-id")


def test_grades_carry_their_attempt_and_review_overrides(store: Store) -> None:
    user = learner(store)
    attempt = store.attempts.start(user.user_id, "sepsis", "sepsis-1", state())
    record = store.grades.add(
        attempt.attempt_id,
        node_id="d0",
        choice_id="wait",
        rationale="the AI is right",
        grade=grade(0.3, needs_review=True),
        rubric_hash="sha256:r",
    )
    assert (record.learner_id, record.module_id, record.model_id) == (user.user_id, "sepsis", "lexical")
    assert store.grades.review_queue() == (record,)
    reviewed = store.grades.override(
        record.grade_id,
        reviewer_id="u9",
        score=0.7,
        band=Band.ADEQUATE,
        passed=True,
        reason="sound reasoning",
    )
    assert (reviewed.score, reviewed.passed) == (0.7, True)
    assert store.grades.review_queue() == ()
    assert store.grades.get(record.grade_id) == reviewed
    with pytest.raises(NotFound):
        store.grades.add(
            attempt.attempt_id[:-2] + "00",
            node_id="d",
            choice_id=None,
            rationale="x",
            grade=grade(),
            rubric_hash="h",
        )


def test_credentials_are_issued_listed_and_revoked(store: Store, clock: Clock) -> None:
    user = learner(store)
    badge = store.credentials.issue(
        user.user_id, "badge-sepsis", "badge", {"proof": "sig"}, expires_at=clock.now + timedelta(days=365)
    )
    assert store.credentials.for_learner(user.user_id) == (badge,)
    assert badge.valid_at(clock.now)
    revoked = store.credentials.revoke(badge.record_id, "device lost")
    assert not revoked.valid_at(clock.now)
    assert store.credentials.all() == (revoked,)


def test_outbox_numbers_events_in_order_and_reads_after_a_cursor(store: Store) -> None:
    events = []
    for batch in range(12):  # 1200 events span three outbox shards
        with store.transaction():
            events.extend(store.outbox.append("t", {"i": i}) for i in range(batch * 100, batch * 100 + 100))
    assert [e.seq for e in events] == list(range(1, 1201))
    page = store.outbox.after(498, limit=5)
    assert [e.seq for e in page] == [499, 500, 501, 502, 503]
    assert len(store.outbox.after(0, limit=5000)) == 1200
    store.outbox.acknowledge(700)
    store.outbox.acknowledge(600)  # never moves back
    assert store.outbox.acknowledged == 700


def test_settings_keep_json_values_and_a_stable_secret(store: Store) -> None:
    assert len(store.settings.device_id) == 16
    store.settings.set(SettingKey.SITE_NAME, "NICU 3")
    assert store.settings.get(SettingKey.SITE_NAME) == "NICU 3"
    secret = store.settings.secret(SettingKey.SESSION_SECRET)
    assert secret == store.settings.secret(SettingKey.SESSION_SECRET) and len(secret) >= 40
    assert (
        store.settings.delete(SettingKey.SITE_NAME) and store.settings.get(SettingKey.SITE_NAME, "x") == "x"
    )


def test_audit_entries_are_filtered_newest_first(store: Store, clock: Clock) -> None:
    store.audit.record("u1", "sign-in")
    clock.advance(days=31)
    store.audit.record("u2", "reset-pin", target="u1", details={"why": "forgot"})
    store.audit.record("u1", "sign-in")
    assert [e.actor for e in store.audit.entries()] == ["u1", "u2", "u1"]
    assert [e.action for e in store.audit.entries(target="u1")] == ["reset-pin"]
    assert len(store.audit.entries(since=clock.now - timedelta(days=1))) == 2
