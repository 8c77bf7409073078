"""Builders and fixtures for storage tests: a store in a temp folder, a settable clock, play states, grades."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from appliance.engine import Band, Grade, KeyPointResult, PlayState, Step
from appliance.store import Store, StoreOptions, User

FIXTURES = Path(__file__).parent / "fixtures"


class Clock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))


def options(clock: Clock | None = None, **changes: object) -> StoreOptions:
    """Options for tests: no background thread unless asked."""
    base: dict[str, object] = {"background": False}
    if clock is not None:
        base["clock"] = clock
    return StoreOptions(**{**base, **changes})  # type: ignore[arg-type]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path, clock: Clock) -> Iterator[Store]:
    opened = Store.open(data_dir, options=options(clock))
    yield opened
    opened.close()


def grade(
    score: float = 0.8, *, needs_review: bool = False, evidence: str = "I would assess at the bedside"
) -> Grade:
    """A grade with one met key point quoting the learner."""
    passed = score >= 0.6
    return Grade(
        score=score,
        band=Band.STRONG if passed else Band.INSUFFICIENT,
        passed=passed,
        key_points=(
            KeyPointResult(key_point_id="assess", met=True, critical=True, evidence=evidence, similarity=0.9),
        ),
        needs_review=needs_review,
        model_id="lexical",
        model_version="1",
    )


def decision_step(index: int, rationale_id: str | None = None) -> Step:
    """A graded decision as the runtime keeps it: the grade without its evidence, the text by reference."""
    return Step(
        node_id=f"d{index}",
        kind="decision",
        choice_id="escalate",
        rationale_id=rationale_id,
        grade=grade().without_text(),
    )


def state(scenario_id: str = "sepsis-1", *, decisions: int = 0) -> PlayState:
    """A play state with some graded decisions behind it."""
    steps = tuple(decision_step(i) for i in range(decisions))
    return PlayState(scenario_id=scenario_id, node_id=f"d{decisions}", steps=steps)


def learner(store: Store, staff_id: str = "N100", job_role: str | None = "nicu-nurse") -> User:
    """A learner account."""
    return store.users.create(staff_id, f"Nurse {staff_id}", job_role=job_role)


def submit(
    store: Store,
    attempt_id: str,
    revision: int,
    rationale: str = "I would assess at the bedside",
    score: float = 0.8,
):
    """Record a graded decision the way the player does: the grade record (the only copy of the text), the
    new state referring to it, and an event, in one transaction."""
    attempt = store.attempts.get(attempt_id)
    assert attempt is not None
    index = len(attempt.state.steps)
    with store.transaction():
        record = store.grades.add(
            attempt_id,
            node_id=f"d{index}",
            choice_id="escalate",
            rationale=rationale,
            grade=grade(score, evidence=rationale),
            rubric_hash="sha256:" + "0" * 64,
        )
        steps = (*attempt.state.steps, decision_step(index, record.grade_id))
        new_state = attempt.state.model_copy(update={"node_id": f"d{index + 1}", "steps": steps})
        saved = store.attempts.save(attempt_id, new_state, expected_revision=revision)
        event = store.outbox.append(
            "rationale.graded", {"grade_id": record.grade_id, "score": score}, subject=attempt.learner_id
        )
    return record, saved, event


def crash(store: Store) -> None:
    """Stop using a store the way a killed process would: no checkpoint, the journal left as it is."""
    core = store._core
    assert core.wal is not None
    core.wal.close()
    core.closed = True
    core.lock.release()
