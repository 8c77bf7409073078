"""From a scenario's decision to the grader's contract: the rubric, the question, the choice and the answer.

The grader knows nothing of scenarios; this is the one place that reads a :class:`DecisionNode` for it.
"""

from __future__ import annotations

from appliance.engine import Choice, DecisionNode, Grade, Rubric
from appliance.grader import Grader, RubricMissing


def rubric_of(decision: DecisionNode) -> Rubric:
    """The rubric a decision's rationales are graded against.

    :raises RubricMissing: the decision has none.
    """
    if decision.rubric is None:
        raise RubricMissing(f"decision {decision.id!r} has no rubric to grade against")
    return decision.rubric


def grade_decision(
    grader: Grader, decision: DecisionNode, choice: Choice, rationale: str, rubric: Rubric | None = None
) -> Grade:
    """Grade a rationale for ``choice`` at ``decision`` (blocking), against ``rubric`` when given.

    :param rubric: the rubric in force, e.g. the decision's with reviewers' exemplars added.
    :raises RubricMissing: the decision has no rubric.
    :raises RationaleRejected: the grader refused the text (too long, ...).
    """
    return grader.grade(rubric or rubric_of(decision), decision.prompt, choice.label, rationale)


async def async_grade_decision(
    grader: Grader, decision: DecisionNode, choice: Choice, rationale: str, rubric: Rubric | None = None
) -> Grade:
    """Grade a rationale for ``choice`` at ``decision`` in the grader's worker pool (see :func:`grade_decision`).

    :raises RubricMissing: the decision has no rubric.
    :raises RationaleRejected: the grader refused the text (too long, ...).
    """
    return await grader.async_grade(rubric or rubric_of(decision), decision.prompt, choice.label, rationale)
