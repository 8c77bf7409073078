"""The play runtime: transitions, guards on grades, effects, resume, and termination for any scenario."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appliance.engine import (
    KeyPointResult,
    Outcome,
    PlayError,
    PlayState,
    PlayStatus,
    Scenario,
    Step,
    advance,
    current_node,
    decide,
    load_document,
    start,
)
from appliance.engine.validation import validate_scenario
from tests.engine.conftest import content, decision, edge, end, fail, make_grade, recovery, scenario


@pytest.fixture
def mini(mini_module_path) -> Scenario:
    return load_document(mini_module_path).module.scenarios[0]


def test_a_strong_rationale_reaches_the_safe_end(mini: Scenario) -> None:
    state = advance(mini, start(mini))
    state = decide(mini, state, "escalate", make_grade(0.9))
    assert state.status is PlayStatus.ENDED
    assert state.outcome is Outcome.SUCCESS
    assert state.variables["escalated"] is True


def test_missing_a_critical_point_takes_the_guarded_recovery_path(mini: Scenario) -> None:
    state = advance(mini, start(mini))
    state = decide(mini, state, "ignore", make_grade(0.1, critical_met=False))
    assert state.node_id == "harm" and state.fail_states == ("harm",)
    state = advance(mini, state)
    assert state.node_id == "retry"  # guard "not escalated" holds
    state = advance(mini, state)
    assert current_node(mini, state).kind == "decision"
    state = decide(mini, state, "escalate", make_grade(0.3, critical_met=False))
    assert state.node_id == "harm"  # grade.missed_critical guard
    state = advance(mini, state)
    assert state.outcome is Outcome.FAILURE  # escalated now true: the default edge to the bad end
    assert state.unsafe_choices == 1
    assert len(state.grades) == 2


def test_state_round_trips_through_json_and_resumes(mini: Scenario) -> None:
    state = advance(mini, start(mini))
    restored = PlayState.model_validate_json(state.model_dump_json())
    assert restored == state
    done = decide(mini, restored, "escalate", make_grade(0.9))
    assert done.finished


def test_runtime_refuses_actions_that_do_not_fit(mini: Scenario) -> None:
    state = start(mini)
    with pytest.raises(PlayError, match="not a decision"):
        decide(mini, state, "escalate", make_grade(1.0))
    state = advance(mini, state)
    with pytest.raises(PlayError, match="cannot be simply continued"):
        advance(mini, state)
    with pytest.raises(PlayError, match="not a choice"):
        decide(mini, state, "dance", make_grade(1.0))
    with pytest.raises(PlayError, match="needs a graded rationale"):
        decide(mini, state, "escalate", None)
    done = decide(mini, state, "escalate", make_grade(0.9))
    with pytest.raises(PlayError, match="ended"):
        advance(mini, done)


def test_the_play_state_keeps_no_learner_text_only_a_reference(mini: Scenario) -> None:
    state = advance(mini, start(mini))
    quoted = KeyPointResult(key_point_id="assess", met=True, critical=True, evidence="I assess her first")
    grade = make_grade(0.9).model_copy(update={"key_points": (quoted,)})
    assert grade.has_text
    done = decide(mini, state, "escalate", grade, rationale_id="the-grade-record")
    step = done.steps[-1]
    assert step.rationale_id == "the-grade-record" and step.grade == grade.without_text()
    assert done.last_grade is not None and not done.last_grade.has_text
    assert step.grade.score == grade.score and step.grade.met_ids == grade.met_ids
    assert "I assess her first" not in done.model_dump_json()
    with pytest.raises(ValueError, match="keeps no learner text"):
        Step(node_id="d", kind="decision", choice_id="escalate", grade=grade)


def test_runtime_is_deterministic(mini: Scenario) -> None:
    def play() -> PlayState:
        state = advance(mini, start(mini))
        return decide(mini, state, "ignore", make_grade(0.2, critical_met=False))

    assert play() == play()


def test_play_stops_after_max_steps() -> None:
    s = scenario(
        [decision("d", "again", "stop", rubric=None, requires_rationale=False), recovery("r"), end("e")],
        [edge("d", "r", "again"), edge("r", "d"), edge("d", "e", "stop")],
    ).model_copy(update={"max_steps": 6})
    state = start(s)
    while not state.finished:
        state = decide(s, state, "again") if state.node_id == "d" else advance(s, state)
    assert state.status is PlayStatus.STOPPED and len(state.steps) == 6


@st.composite
def valid_scenarios(draw: st.DrawFn) -> Scenario:
    """Random scenarios: a layered graph of decisions/content, fail-states with recovery loops back, ends."""
    n = draw(st.integers(min_value=1, max_value=8))
    nodes, edges = [], []
    for i in range(n):
        if draw(st.booleans()):
            nodes.append(decision(f"n{i}", "a", "b", rubric=None, requires_rationale=False))
        else:
            nodes.append(content(f"n{i}"))
    nodes += [end("win"), end("lose", "failure"), fail("oops"), recovery("back")]
    later = lambda i: [f"n{j}" for j in range(i + 1, n)] + ["win", "lose", "oops"]  # noqa: E731
    for i, node in enumerate(nodes[:n]):
        if node["kind"] == "decision":
            for choice in ("a", "b"):
                edges.append(edge(f"n{i}", draw(st.sampled_from(later(i))), choice))
        else:
            edges.append(edge(f"n{i}", draw(st.sampled_from(later(i)))))
    edges += [edge("oops", "back"), edge("back", draw(st.sampled_from([f"n{j}" for j in range(n)])))]
    for i in range(n):  # make sure every node is reachable from the start
        if not any(e["target"] == f"n{i}" for e in edges) and i > 0:
            edges.append(edge("n0", f"n{i}", "a" if nodes[0]["kind"] == "decision" else None))
    s = scenario(nodes, edges, start="n0")
    return s


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), s=valid_scenarios())
def test_any_valid_scenario_with_any_choices_terminates(data: st.DataObject, s: Scenario) -> None:
    if validate_scenario(s):
        return  # the strategy can make a guard-free node unreachable; only valid scenarios are promised anything
    state = start(s)
    seen_steps = 0
    while not state.finished:
        node = current_node(s, state)
        if node.kind == "decision":
            state = decide(s, state, data.draw(st.sampled_from([c.id for c in node.choices])))
        else:
            state = advance(s, state)
        seen_steps += 1
        assert seen_steps <= s.max_steps
    assert state.status in (PlayStatus.ENDED, PlayStatus.STOPPED)
    if state.status is PlayStatus.ENDED:
        assert current_node(s, state).kind == "end"
