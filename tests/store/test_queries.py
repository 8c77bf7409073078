"""Progress and cohort summary agree with the records they summarise."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest

from appliance.engine import Band, PlayStatus
from appliance.store import Store
from tests.store.conftest import Clock, learner, state, submit


def test_the_cohort_summary_matches_the_records_it_adds_up(store: Store, clock: Clock) -> None:
    rng = random.Random(5)
    users = [learner(store, f"N{i}", job_role=("nicu-nurse", "physician", None)[i % 3]) for i in range(6)]
    for _month in range(3):
        for user in users:
            for module in ("sepsis", "privacy"):
                attempt = store.attempts.start(user.user_id, module, f"{module}-1", state(f"{module}-1"))
                revision = attempt.revision
                for _ in range(rng.randint(0, 3)):
                    record, saved, _ = submit(store, attempt.attempt_id, revision, score=rng.random())
                    revision = saved.revision
                    if rng.random() < 0.2:
                        store.grades.override(
                            record.grade_id,
                            reviewer_id="r",
                            score=1.0,
                            band=Band.STRONG,
                            passed=True,
                            reason="ok",
                        )
                if rng.random() < 0.5:
                    done = state(f"{module}-1").model_copy(update={"status": PlayStatus.ENDED})
                    store.attempts.save(
                        attempt.attempt_id, done, expected_revision=revision, passed=rng.random() < 0.5
                    )
        clock.advance(days=31)
    store.checkpoint()
    roles = {u.user_id: u.job_role or "unassigned" for u in users}
    expected: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0, 0, 0, 0.0, 0])
    for user in users:
        progress = store.progress(user.user_id)
        for attempt in progress.attempts:
            row = expected[(attempt.module_id, roles[user.user_id])]
            row[0] += 1
            row[1] += attempt.status is not None and attempt.status.value == "ended"
            row[2] += bool(attempt.passed)
        for grade in progress.grades:
            row = expected[(grade.module_id, roles[user.user_id])]
            row[3] += 1
            row[4] += grade.score
            row[5] += grade.passed
    summary = store.cohort_summary()
    assert summary.learners == 6
    got = {(m.module_id, m.job_role): m for m in summary.by_role}
    assert set(got) == set(expected)
    for key, (attempts, finished, passed, graded, score_sum, graded_passed) in expected.items():
        stats = got[key]
        assert (stats.attempts, stats.finished, stats.passed_attempts) == (attempts, finished, passed)
        assert (stats.graded_rationales, stats.rationales_passed) == (graded, graded_passed)
        assert stats.mean_score == pytest.approx(score_sum / graded if graded else None)
        assert stats.learners == 2
    assert sum(m.attempts for m in summary.modules) == 36
    assert store.cohort_summary(since_month="2026-05").modules[0].attempts == 6  # only the last month


def test_progress_shows_only_the_learners_own_records(store: Store) -> None:
    ann, bob = learner(store, "ANN"), learner(store, "BOB")
    for user in (ann, bob):
        attempt = store.attempts.start(user.user_id, "sepsis", "sepsis-1", state())
        submit(store, attempt.attempt_id, attempt.revision)
        store.credentials.issue(user.user_id, "badge-sepsis", "badge", {})
    progress = store.progress(ann.user_id)
    assert progress.user == ann
    assert (
        {a.learner_id for a in progress.attempts} == {g.learner_id for g in progress.grades} == {ann.user_id}
    )
    assert [c.learner_id for c in progress.credentials] == [ann.user_id]
    assert store.progress("nobody").user is None
