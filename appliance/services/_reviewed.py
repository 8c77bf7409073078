"""A learner's finished play-throughs with reviewers' scores in place of the grader's where they decided."""

from __future__ import annotations

from appliance.engine import Module, PlayState, Step
from appliance.store import AttemptStatus, GradeRecord, Store


def reviewed_states(store: Store, learner_id: str, module: Module) -> dict[str, PlayState]:
    """The latest finished play state per scenario of ``module``, each reviewed grade's score, pass and band
    put into its step (the grade record each step refers to by ``rationale_id``)."""
    latest: dict[str, str] = {}
    for summary in sorted(store.attempts.for_learner(learner_id), key=lambda s: s.updated_at):
        if summary.module_id == module.id and summary.status in (AttemptStatus.ENDED, AttemptStatus.STOPPED):
            latest[summary.scenario_id] = summary.attempt_id
    states = {}
    for scenario_id, attempt_id in latest.items():
        attempt = store.attempts.get(attempt_id)
        if attempt is None:
            continue
        records: dict[str, GradeRecord] = {r.grade_id: r for r in store.grades.for_attempt(attempt_id)}
        steps: list[Step] = []
        for step in attempt.state.steps:
            record = records.get(step.rationale_id) if step.rationale_id else None
            if step.grade is not None and record is not None:
                review = record.override
                if review is not None:
                    grade = step.grade.model_copy(
                        update={"score": review.score, "passed": review.passed, "band": review.band}
                    )
                    step = step.model_copy(update={"grade": grade})
            steps.append(step)
        states[scenario_id] = attempt.state.model_copy(update={"steps": tuple(steps)})
    return states
