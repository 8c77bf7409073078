"""How the terminal player grades rationales."""

from __future__ import annotations

from collections.abc import Callable

from appliance.engine import Band, Choice, DecisionNode, Grade, KeyPointResult

GradeFn = Callable[[DecisionNode, Choice, str], Grade]


def placeholder_grade(decision: DecisionNode, choice: Choice, rationale: str) -> Grade:
    """A clearly labelled stand-in until the grader is installed: passes any non-empty rationale, unscored."""
    rubric = decision.rubric
    key_points = tuple(
        KeyPointResult(key_point_id=kp.id, met=False, critical=kp.critical)
        for kp in (rubric.key_points if rubric else ())
    )
    return Grade(
        score=0.0,
        band=Band.INSUFFICIENT,
        passed=bool(rationale.strip()),
        key_points=key_points,
        confidence=0.0,
        needs_review=True,
        review_reason="PLACEHOLDER: no grader model is installed; this rationale was not graded",
        feedback="Not graded (placeholder grader).",
        model_id="placeholder",
        model_version="0",
    )


def terminal_grader() -> GradeFn:
    """The grader the terminal player uses."""
    return placeholder_grade
