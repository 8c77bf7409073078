"""How the terminal player grades rationales: the configured grader, with labelled fallbacks."""

from __future__ import annotations

from collections.abc import Callable

import click

from appliance.config import Settings, load_settings
from appliance.engine import Band, Choice, DecisionNode, Grade, KeyPointResult
from appliance.grader import RationaleRejected, load_grader
from appliance.services import grade_decision

GradeFn = Callable[[DecisionNode, Choice, str], Grade]


def placeholder_grade(
    decision: DecisionNode, choice: Choice, rationale: str, reason: str | None = None
) -> Grade:
    """A clearly labelled stand-in for rationales that cannot be graded: passes any non-empty text, unscored."""
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
        review_reason=f"PLACEHOLDER: {reason or 'this decision has no rubric'}; this rationale was not graded",
        feedback=f"Not graded (placeholder): {reason}" if reason else "Not graded (placeholder grader).",
        model_id="placeholder",
        model_version="0",
    )


def terminal_grader(settings: Settings | None = None) -> GradeFn:
    """Return the grader the terminal player uses: the configured one, else the lexical fallback (labelled)."""
    grader = load_grader(settings or load_settings())
    info = grader.describe()
    if info.fallback_reason:
        click.secho(f"  [grader: {info.model_id}: {info.fallback_reason}]", fg="yellow", err=True)

    def grade(decision: DecisionNode, choice: Choice, rationale: str) -> Grade:
        if decision.rubric is None:
            return placeholder_grade(decision, choice, rationale)
        try:
            return grade_decision(grader, decision, choice, rationale)
        except RationaleRejected as err:
            return placeholder_grade(decision, choice, "", reason=str(err))

    return grade
