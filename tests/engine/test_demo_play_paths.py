"""Every end of every demo scenario is reachable by play, and every play-through ends."""

from __future__ import annotations

import pytest

from appliance.config import Settings
from appliance.engine import (
    Band,
    DecisionNode,
    EndNode,
    Grade,
    KeyPointResult,
    PlayState,
    Rubric,
    Scenario,
    advance,
    current_node,
    decide,
    start,
)
from appliance.engine.curriculum import load_curriculum

SCENARIOS = [s for m in load_curriculum(Settings().curriculum_dir).modules for s in m.scenarios]


def _grades(rubric: Rubric) -> list[Grade]:
    """A passing grade, one that misses every critical point, and one with a red flag."""

    def grade(met_critical: bool, red: bool) -> Grade:
        results = tuple(
            KeyPointResult(key_point_id=kp.id, met=met_critical or not kp.critical, critical=kp.critical)
            for kp in rubric.key_points
        )
        passed = met_critical and not red
        flags = (rubric.red_flags[0].id,) if red and rubric.red_flags else ()
        band = Band.STRONG if passed else (Band.UNSAFE if red else Band.INSUFFICIENT)
        return Grade(
            score=0.9 if passed else 0.3, band=band, passed=passed, key_points=results, red_flags=flags
        )

    return [grade(True, False), grade(False, False), grade(True, True)]


def _explore(scenario: Scenario) -> tuple[set[str], int]:
    """Play every choice with every kind of grade; return the ends reached and the number of play-throughs."""
    ends: set[str] = set()
    finished = 0
    stack: list[PlayState] = [start(scenario)]
    while stack:
        state = stack.pop()
        if state.finished:
            finished += 1
            node = current_node(scenario, state)
            assert isinstance(node, EndNode), (
                f"{scenario.id} stopped at {node.id} after {len(state.steps)} steps"
            )
            ends.add(node.id)
            continue
        node = current_node(scenario, state)
        if isinstance(node, DecisionNode):
            assert node.rubric is not None
            for choice in node.choices:
                for grade in _grades(node.rubric):
                    stack.append(decide(scenario, state, choice.id, grade))
        else:
            stack.append(advance(scenario, state))
    return ends, finished


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_every_end_is_reachable_and_every_play_through_ends(scenario: Scenario) -> None:
    ends, finished = _explore(scenario)
    assert ends == {n.id for n in scenario.nodes if isinstance(n, EndNode)}
    assert finished > 0
