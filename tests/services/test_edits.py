"""Every pure editing operation: what it changes, what it refuses, and how validation sees the result."""

from __future__ import annotations

import pytest

from appliance.engine import ChoiceRating, DecisionNode, Scenario
from appliance.engine.validation import ProblemCode, validate_scenario
from appliance.services import EditRefused, edits
from appliance.services.authoring import blank
from appliance.services.edits import Condition


def _codes(scenario: Scenario) -> set[ProblemCode]:
    return {p.code for p in validate_scenario(scenario)}


def _decision(scenario: Scenario, node_id: str) -> DecisionNode:
    node = scenario.node(node_id)
    assert isinstance(node, DecisionNode)
    return node


@pytest.fixture
def small() -> Scenario:
    """start (content) -> decision-1 (choice c1) -> end-1."""
    s = blank()
    s, decision = edits.add_node(s, "decision", (0, 200))
    s, end = edits.add_node(s, "end", (0, 400))
    s, _ = edits.connect(s, "start", decision)
    s, _ = edits.connect(s, decision, end, choice="c1")
    return edits.remove_rubric(s, decision)


def test_a_blank_scenario_flags_its_dead_end_and_missing_end() -> None:
    assert _codes(blank()) == {ProblemCode.DEAD_END, ProblemCode.NO_END}


def test_added_nodes_get_fresh_ids_of_their_kind_and_their_position() -> None:
    s, first = edits.add_node(blank(), "content", (10, 20))
    s, second = edits.add_node(s, "content")
    assert (first, second) == ("content-1", "content-2")
    assert s.node(first).position == (10, 20)
    for kind in edits.NODE_KINDS:
        s, node_id = edits.add_node(s, kind)
        assert s.node(node_id).kind == kind


def test_unknown_kind_and_taken_id_are_refused() -> None:
    with pytest.raises(EditRefused, match="Unknown node kind"):
        edits.add_node(blank(), "poem")
    with pytest.raises(EditRefused, match="already exists"):
        edits.add_node(blank(), "end", node_id="start")


def test_the_small_scenario_validates_clean(small: Scenario) -> None:
    assert validate_scenario(small) == []


def test_removing_a_node_removes_its_links_and_validation_notices(small: Scenario) -> None:
    s = edits.remove_nodes(small, ["end-1"])
    assert all("end-1" not in (e.source, e.target) for e in s.edges)
    assert {ProblemCode.DEAD_END, ProblemCode.NO_END} <= _codes(s)


def test_the_start_node_cannot_be_deleted(small: Scenario) -> None:
    with pytest.raises(EditRefused, match="start node"):
        edits.remove_nodes(small, ["start"])


def test_moving_nodes_changes_only_layout(small: Scenario) -> None:
    moved = edits.move_nodes(small, {"end-1": (123.45, -6)})
    assert moved.node("end-1").position == (123.5, -6.0)
    with pytest.raises(EditRefused):
        edits.move_nodes(small, {"nope": (0, 0)})
    with pytest.raises(EditRefused, match="off the canvas"):
        edits.move_nodes(small, {"end-1": (float("inf"), 0)})
    with pytest.raises(EditRefused, match="off the canvas"):
        edits.add_node(small, "end", (float("nan"), 0))


def test_connect_refuses_what_the_engine_could_never_play(small: Scenario) -> None:
    with pytest.raises(EditRefused, match="end node"):
        edits.connect(small, "end-1", "start")
    with pytest.raises(EditRefused, match="choices"):
        edits.connect(small, "decision-1", "end-1")
    with pytest.raises(EditRefused, match="no choice"):
        edits.connect(small, "decision-1", "end-1", choice="c9")
    with pytest.raises(EditRefused, match="itself"):
        edits.connect(small, "start", "start")
    with pytest.raises(EditRefused, match="Only decisions"):
        edits.connect(small, "start", "end-1", choice="c1")


def test_connecting_a_linked_port_again_repoints_its_arrow(small: Scenario) -> None:
    s, other = edits.add_node(small, "end")
    s, message = edits.connect(s, "decision-1", other, choice="c1")
    assert "was 'end-1'" in message
    assert [e.target for e in s.outgoing("decision-1", "c1")] == [other]


def test_disconnect_by_key_and_unknown_key(small: Scenario) -> None:
    key = edits.edge_key(small.outgoing("decision-1", "c1")[0])
    assert key == "decision-1/c1->end-1"
    s = edits.disconnect(small, [key])
    assert ProblemCode.DEAD_END in _codes(s)
    with pytest.raises(EditRefused):
        edits.disconnect(s, [key])


def test_node_fields_are_validated(small: Scenario) -> None:
    s = edits.update_node(small, "start", title="Handover", body="**Bed 3**", rsvp=True, rsvp_wpm=300)
    node = s.node("start")
    assert (node.title, node.rsvp, node.rsvp_wpm) == ("Handover", True, 300)  # type: ignore[union-attr]
    with pytest.raises(EditRefused, match="rsvp_wpm"):
        edits.update_node(small, "start", rsvp_wpm=5000)
    with pytest.raises(EditRefused, match="no editable field"):
        edits.update_node(small, "start", prompt="x")


def test_rename_follows_edges_and_start(small: Scenario) -> None:
    s = edits.rename_node(small, "start", "handover")
    assert s.start == "handover" and s.outgoing("handover")
    assert validate_scenario(s) == []
    with pytest.raises(EditRefused):
        edits.rename_node(small, "start", "end-1")


def test_choices_with_ratings_feedback_and_removal(small: Scenario) -> None:
    s, choice = edits.add_choice(small, "decision-1", "Wait and see")
    assert ProblemCode.DEAD_END in _codes(s)  # the new choice leads nowhere yet
    s = edits.update_choice(s, "decision-1", choice, rating=ChoiceRating.UNSAFE, feedback="Risky.")
    picked = _decision(s, "decision-1").choice(choice)
    assert (picked.rating, picked.feedback) == (ChoiceRating.UNSAFE, "Risky.")
    s, _ = edits.connect(s, "decision-1", "end-1", choice=choice)
    s = edits.remove_choice(s, "decision-1", choice)
    assert not s.outgoing("decision-1", choice)
    with pytest.raises(EditRefused, match="at least one choice"):
        edits.remove_choice(s, "decision-1", "c1")
    with pytest.raises(EditRefused):
        edits.update_choice(s, "decision-1", "c1", rating="brilliant")


def test_variables_effects_and_guards_from_pickers(small: Scenario) -> None:
    s = edits.set_variable(small, "escalated", "bool", False)
    s = edits.update_choice(s, "decision-1", "c1", effects={"escalated": True})
    assert validate_scenario(s) == []
    with pytest.raises(EditRefused):
        edits.set_variable(s, "not", "bool", False)
    with pytest.raises(EditRefused):
        edits.set_variable(s, "count", "number", "three")
    s, fail = edits.add_node(s, "fail")
    s, _ = edits.connect(s, fail, "end-1")
    guard = edits.build_guard(
        s, [Condition("escalated", "==", False), Condition("grade.score", "<", 0.5)], "any"
    )
    assert guard == "not escalated or grade.score < 0.5"
    s, _ = edits.connect(s, "decision-1", fail, choice="c1")  # re-points the unguarded link...
    s, _ = edits.connect(s, "decision-1", "end-1", choice="c1")
    s = edits.set_edge_guard(s, "decision-1/c1->end-1", guard)
    assert ProblemCode.NO_DEFAULT_EDGE in _codes(s)  # ...so a guarded-only choice is flagged
    assert edits.describe_guard(guard, s) == "when escalated is no or the rationale score is below 50%"
    assert edits.conditions_of(guard) == (
        "any",
        [Condition("escalated", "==", False), Condition("grade.score", "<", 0.5)],
    )
    s = edits.remove_variable(s, "escalated")
    assert {ProblemCode.UNKNOWN_VARIABLE, ProblemCode.BAD_EFFECT} <= _codes(s)


def test_guard_builder_refuses_mismatched_pickers(small: Scenario) -> None:
    with pytest.raises(EditRefused, match="not a variable"):
        edits.build_guard(small, [Condition("ghost", "==", True)])
    with pytest.raises(EditRefused, match="does not fit"):
        edits.build_guard(small, [Condition("grade.passed", ">", True)])
    with pytest.raises(EditRefused, match="band"):
        edits.build_guard(small, [Condition("grade.band", "==", "excellent")])
    assert edits.build_guard(small, []) is None


def test_rubric_editing_end_to_end(small: Scenario) -> None:
    s = edits.add_rubric(small, "decision-1")
    assert _decision(s, "decision-1").requires_rationale
    s, kp = edits.add_key_point(s, "decision-1", "Escalate to the registrar now")
    s = edits.update_key_point(
        s, "decision-1", kp, weight=2.5, critical=True, phrasings=["call the reg", " "]
    )
    s, rf = edits.add_red_flag(s, "decision-1", "The score is low so she is fine")
    s = edits.update_red_flag(s, "decision-1", rf, phrasings=["trust the score"])
    s = edits.add_exemplar(s, "decision-1", "I would call the registrar now.", 0.9, (kp,), note="strong")
    s = edits.update_exemplar(s, "decision-1", 0, red_flags=(rf,), score=0.2)
    s = edits.set_threshold(s, "decision-1", 0.7)
    s = edits.set_feedback(s, "decision-1", passed="Well reasoned.")
    rubric = _decision(s, "decision-1").rubric
    assert rubric is not None
    assert rubric.key_point(kp).phrasings == ("call the reg",) and rubric.key_point(kp).critical
    assert rubric.red_flags[0].phrasings == ("trust the score",)
    assert rubric.exemplars[0].red_flags == (rf,) and rubric.pass_threshold == 0.7
    assert rubric.feedback.passed == "Well reasoned." and rubric.feedback.failed.startswith("Your reasoning")
    s = edits.remove_key_point(s, "decision-1", kp)
    s = edits.remove_red_flag(s, "decision-1", rf)
    rubric = _decision(s, "decision-1").rubric
    assert rubric is not None and rubric.exemplars[0].met == () and rubric.exemplars[0].red_flags == ()
    s = edits.remove_exemplar(s, "decision-1", 0)
    with pytest.raises(EditRefused, match="at least one key point"):
        edits.remove_key_point(s, "decision-1", "kp-1")
    with pytest.raises(EditRefused):
        edits.set_threshold(s, "decision-1", 1.5)
    with pytest.raises(EditRefused):
        edits.add_exemplar(s, "decision-1", "x", 0.5, ("kp-404",))
    with pytest.raises(EditRefused, match="no exemplar 3"):
        edits.remove_exemplar(s, "decision-1", 2)
    assert validate_scenario(s) == []


def test_a_decision_without_rubric_is_flagged_until_one_is_added(small: Scenario) -> None:
    s = edits.update_node(small, "decision-1", requires_rationale=True)
    assert ProblemCode.MISSING_RUBRIC in _codes(s)
    assert ProblemCode.MISSING_RUBRIC not in _codes(edits.add_rubric(s, "decision-1"))
    with pytest.raises(EditRefused, match="only decisions"):
        edits.add_rubric(s, "start")
