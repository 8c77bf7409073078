"""A pure, deterministic state machine for one play-through of a scenario.

The player UI, the terminal player and the tests drive it the same way::

    state = start(scenario)
    state = advance(scenario, state)                        # on content, fail-state, recovery
    state = decide(scenario, state, "escalate", grade, rationale_id=record_id)  # on a decision

Every call returns a new :class:`PlayState`; nothing is mutated. A state serialises to JSON
(``state.model_dump_json()``) so an attempt resumes after a restart. A state holds no learner text: a
step keeps its grade without the quoted evidence and, in ``rationale_id``, the id of the record that holds
the rationale and the full grade (the store's grade record), so privacy never needs to edit a play state.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from appliance.engine._errors import PlayError
from appliance.engine._grade import Grade
from appliance.engine._guards import parse_guard
from appliance.engine._nodes import (
    ChoiceRating,
    DecisionNode,
    Edge,
    EndNode,
    FailStateNode,
    Node,
    Outcome,
    VariableValue,
)
from appliance.engine._scenario import Scenario


class PlayStatus(StrEnum):
    """Where a play-through stands."""

    ACTIVE = "active"
    ENDED = "ended"
    STOPPED = "stopped"  # ran past the scenario's max_steps


class Step(BaseModel):
    """One node the learner passed through, and what they did there."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    node_id: str
    kind: str
    choice_id: str | None = None
    choice_rating: ChoiceRating | None = None
    rationale_id: str | None = None
    """The record holding the learner's rationale and its full grade (the store's grade id), if any."""
    grade: Grade | None = None
    """The grade without the learner's words (:meth:`Grade.without_text`)."""

    @model_validator(mode="after")
    def _keeps_no_text(self) -> Self:
        if self.grade is not None and self.grade.has_text:
            raise ValueError("a play step keeps no learner text: store the grade without its evidence")
        return self


class PlayState(BaseModel):
    """Everything needed to show and resume a play-through."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scenario_id: str
    node_id: str
    status: PlayStatus = PlayStatus.ACTIVE
    variables: dict[str, VariableValue] = Field(default_factory=dict)
    steps: tuple[Step, ...] = ()
    last_grade: Grade | None = None
    fail_states: tuple[str, ...] = ()
    outcome: Outcome | None = None

    @model_validator(mode="after")
    def _keeps_no_text(self) -> Self:
        if self.last_grade is not None and self.last_grade.has_text:
            raise ValueError("a play state keeps no learner text: store the grade without its evidence")
        return self

    @property
    def finished(self) -> bool:
        """True once the play-through can go no further."""
        return self.status is not PlayStatus.ACTIVE

    @property
    def decisions(self) -> tuple[Step, ...]:
        """Steps taken at decisions."""
        return tuple(s for s in self.steps if s.choice_id is not None)

    @property
    def grades(self) -> tuple[Grade, ...]:
        """Grades received so far, in order."""
        return tuple(s.grade for s in self.steps if s.grade is not None)

    @property
    def average_score(self) -> float | None:
        """Mean rationale score, or None when nothing was graded."""
        grades = self.grades
        return sum(g.score for g in grades) / len(grades) if grades else None

    @property
    def unsafe_choices(self) -> int:
        """How many choices rated unsafe the learner made."""
        return sum(1 for s in self.steps if s.choice_rating is ChoiceRating.UNSAFE)


def current_node(scenario: Scenario, state: PlayState) -> Node:
    """The node the learner is at."""
    return scenario.node(state.node_id)


def _enter(
    scenario: Scenario,
    state: PlayState,
    target: str,
    step: Step,
    variables: dict[str, VariableValue],
    grade: Grade | None,
) -> PlayState:
    node = scenario.node(target)
    steps = (*state.steps, step)
    update: dict[str, object] = {
        "node_id": target,
        "steps": steps,
        "variables": variables,
        "last_grade": grade,
    }
    if isinstance(node, FailStateNode):
        update["fail_states"] = (*state.fail_states, node.id)
    if isinstance(node, EndNode):
        update["status"] = PlayStatus.ENDED
        update["outcome"] = node.outcome
    elif len(steps) >= scenario.max_steps:
        update["status"] = PlayStatus.STOPPED
    return state.model_copy(update=update)


def _follow(
    edges: tuple[Edge, ...], variables: dict[str, VariableValue], grade: Grade | None, where: str
) -> str:
    """Pick the first guarded edge that holds, else the first unguarded one."""
    for edge in edges:
        if edge.guard and parse_guard(edge.guard).evaluate(variables, grade):
            return edge.target
    for edge in edges:
        if not edge.guard:
            return edge.target
    raise PlayError(f"no edge applies at {where}; validate the scenario")


def start(scenario: Scenario) -> PlayState:
    """Begin a play-through at the scenario's start node."""
    scenario.node(scenario.start)
    return PlayState(scenario_id=scenario.id, node_id=scenario.start, variables=scenario.initial_variables())


def _require_active(state: PlayState) -> None:
    if state.finished:
        raise PlayError(f"the play-through has {state.status.value}; start a new attempt")


def advance(scenario: Scenario, state: PlayState) -> PlayState:
    """Move on from a content, fail-state or recovery node.

    :raises PlayError: the play-through has finished or the current node is a decision or an end.
    """
    _require_active(state)
    node = current_node(scenario, state)
    if isinstance(node, DecisionNode | EndNode):
        raise PlayError(f"'{node.id}' is a {node.kind} node; it cannot be simply continued")
    target = _follow(scenario.outgoing(node.id), state.variables, state.last_grade, node.id)
    return _enter(
        scenario,
        state,
        target,
        Step(node_id=node.id, kind=node.kind),
        dict(state.variables),
        state.last_grade,
    )


def decide(
    scenario: Scenario,
    state: PlayState,
    choice_id: str,
    grade: Grade | None = None,
    *,
    rationale_id: str | None = None,
) -> PlayState:
    """Take a choice at a decision, with the grade of the learner's rationale.

    The rationale itself stays with the caller (the player service keeps it in a grade record and passes
    that record's id as ``rationale_id``); the state keeps the grade without its quoted evidence.

    :raises PlayError: not at a decision, unknown choice, or a decision that needs a grade has none.
    """
    _require_active(state)
    node = current_node(scenario, state)
    if not isinstance(node, DecisionNode):
        raise PlayError(f"'{node.id}' is a {node.kind} node, not a decision")
    try:
        choice = node.choice(choice_id)
    except KeyError:
        raise PlayError(f"'{choice_id}' is not a choice at '{node.id}'") from None
    if node.requires_rationale and grade is None:
        raise PlayError(f"the decision '{node.id}' needs a graded rationale")
    if grade is not None:
        grade = grade.without_text()
    variables = {**state.variables, **choice.effects}
    target = _follow(scenario.outgoing(node.id, choice.id), variables, grade, f"{node.id}/{choice.id}")
    step = Step(
        node_id=node.id,
        kind=node.kind,
        choice_id=choice.id,
        choice_rating=choice.rating,
        rationale_id=rationale_id,
        grade=grade,
    )
    return _enter(scenario, state, target, step, variables, grade)
