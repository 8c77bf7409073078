"""Preview: play a scenario from any node as a learner would, graded by the real grader, recording nothing."""

from __future__ import annotations

from dataclasses import dataclass

from appliance.engine import (
    DecisionNode,
    Grade,
    PlayError,
    PlayState,
    Scenario,
    advance,
    current_node,
    decide,
)
from appliance.grader import BaseGrader
from appliance.grader import RationaleRejected as GraderRefused
from appliance.services._errors import EditRefused, RationaleRejected
from appliance.services._grading import grade_decision

PreviewGrader = BaseGrader
"""The grader a preview grades with (the appliance's own, ``Services.grader``)."""


@dataclass(frozen=True)
class Preview:
    """A play-through held only in memory: never stored, never sent to sync."""

    scenario: Scenario
    state: PlayState
    last_grade: Grade | None = None


def preview_from(scenario: Scenario, node_id: str | None = None) -> Preview:
    """Start a preview at ``node_id`` (the start node when None) with the scenario's starting variables.

    :raises EditRefused: no such node.
    """
    node_id = node_id or scenario.start
    if node_id not in {n.id for n in scenario.nodes}:
        raise EditRefused(f"There is no node '{node_id}'.")
    state = PlayState(scenario_id=scenario.id, node_id=node_id, variables=scenario.initial_variables())
    return Preview(scenario, state)


def preview_continue(preview: Preview) -> Preview:
    """Move on from a content, fail-state or recovery node.

    :raises EditRefused: the scenario cannot go on from here (the message says why).
    """
    try:
        return Preview(preview.scenario, advance(preview.scenario, preview.state))
    except PlayError as err:
        raise EditRefused(str(err)) from err


def preview_decide(preview: Preview, grader: PreviewGrader, choice_id: str, rationale: str) -> Preview:
    """Take a choice with a rationale graded by the real grader (blocking: call it off the event loop).

    :raises EditRefused: not at a decision, or the choice cannot be followed.
    :raises RationaleRejected: the rationale is refused by the grader's input limits.
    """
    node = current_node(preview.scenario, preview.state)
    if not isinstance(node, DecisionNode):
        raise EditRefused("The preview is not at a decision.")
    if node.requires_rationale and not rationale.strip():
        raise EditRefused(f"the decision '{node.id}' needs a graded rationale")
    grade = None
    if node.requires_rationale and node.rubric is not None:
        try:
            grade = grade_decision(grader, node, node.choice(choice_id), rationale)
        except GraderRefused as err:
            raise RationaleRejected(str(err)) from err
    try:
        state = decide(preview.scenario, preview.state, choice_id, grade)
    except PlayError as err:
        raise EditRefused(str(err)) from err
    return Preview(preview.scenario, state, grade)
