"""Graph validation: one test per rule, each naming the broken node."""

from __future__ import annotations

from appliance.engine.validation import ProblemCode, validate_scenario
from tests.engine.conftest import content, decision, edge, end, fail, recovery, scenario


def codes(problems: list) -> set[tuple[ProblemCode, str | None]]:
    return {(p.code, p.node_id) for p in problems}


def test_a_well_formed_scenario_has_no_problems() -> None:
    s = scenario(
        [content("a"), decision("d", "x", "y"), fail("f"), recovery("r"), end("e")],
        [edge("a", "d"), edge("d", "e", "x"), edge("d", "f", "y"), edge("f", "r"), edge("r", "d")],
    )
    assert validate_scenario(s) == []


def test_duplicate_node_ids_are_reported() -> None:
    s = scenario([content("a"), content("a"), end("e")], [edge("a", "e")])
    assert (ProblemCode.DUPLICATE_ID, "a") in codes(validate_scenario(s))


def test_missing_start_node_is_reported() -> None:
    s = scenario([content("a"), end("e")], [edge("a", "e")], start="nowhere")
    assert (ProblemCode.MISSING_START, "nowhere") in codes(validate_scenario(s))


def test_dangling_edge_names_its_source() -> None:
    s = scenario([content("a"), end("e")], [edge("a", "e"), edge("a", "ghost")])
    problems = validate_scenario(s)
    assert (ProblemCode.DANGLING_EDGE, "a") in codes(problems)
    assert "ghost" in " ".join(p.message for p in problems)


def test_unreachable_nodes_are_reported() -> None:
    s = scenario([content("a"), content("island"), end("e")], [edge("a", "e"), edge("island", "e")])
    assert (ProblemCode.UNREACHABLE, "island") in codes(validate_scenario(s))


def test_dead_end_that_is_not_an_end_node_is_reported() -> None:
    s = scenario(
        [content("a"), content("stuck"), end("e")],
        [edge("a", "stuck"), edge("a", "e", guard="x")],
        variables={"x": {"type": "bool", "default": False}},
    )
    assert (ProblemCode.DEAD_END, "stuck") in codes(validate_scenario(s))


def test_a_choice_without_an_edge_is_a_dead_end() -> None:
    s = scenario([decision("d", "x", "y"), end("e")], [edge("d", "e", "x")])
    problems = validate_scenario(s)
    assert (ProblemCode.DEAD_END, "d") in codes(problems)
    assert "'y'" in problems[0].message


def test_only_guarded_edges_need_a_default() -> None:
    s = scenario(
        [content("a"), end("e")],
        [edge("a", "e", guard="x")],
        variables={"x": {"type": "bool", "default": True}},
    )
    assert (ProblemCode.NO_DEFAULT_EDGE, "a") in codes(validate_scenario(s))


def test_cycle_with_no_exit_is_reported() -> None:
    s = scenario(
        [content("a"), content("b"), content("c"), end("e")],
        [edge("a", "b"), edge("b", "c"), edge("c", "b"), edge("a", "e", guard="x")],
        variables={"x": {"type": "bool", "default": False}},
    )
    assert (ProblemCode.CLOSED_CYCLE, "b") in codes(validate_scenario(s))


def test_cycle_with_an_exit_is_fine() -> None:
    s = scenario(
        [decision("d", "retry", "done"), recovery("r"), end("e")],
        [edge("d", "r", "retry"), edge("r", "d"), edge("d", "e", "done")],
    )
    assert not any(p.code is ProblemCode.CLOSED_CYCLE for p in validate_scenario(s))


def test_decision_requiring_a_rationale_needs_a_rubric() -> None:
    s = scenario([decision("d", "x", rubric=None), end("e")], [edge("d", "e", "x")])
    assert (ProblemCode.MISSING_RUBRIC, "d") in codes(validate_scenario(s))


def test_decision_without_rationale_needs_no_rubric() -> None:
    s = scenario([decision("d", "x", rubric=None, requires_rationale=False), end("e")], [edge("d", "e", "x")])
    assert validate_scenario(s) == []


def test_fail_state_needs_a_recovery_or_an_end() -> None:
    s = scenario(
        [content("a"), fail("f"), content("b"), end("e")], [edge("a", "f"), edge("f", "b"), edge("b", "e")]
    )
    assert (ProblemCode.FAIL_WITHOUT_EXIT, "f") in codes(validate_scenario(s))


def test_guard_naming_an_unknown_variable_is_reported() -> None:
    s = scenario([content("a"), end("e"), end("e2")], [edge("a", "e", guard="escalted"), edge("a", "e2")])
    problems = validate_scenario(s)
    assert (ProblemCode.UNKNOWN_VARIABLE, "a") in codes(problems)
    assert "escalted" in problems[0].message


def test_guard_with_a_syntax_error_is_reported() -> None:
    s = scenario(
        [content("a"), end("e"), end("e2")], [edge("a", "e", guard="grade.score >"), edge("a", "e2")]
    )
    assert (ProblemCode.GUARD_SYNTAX, "a") in codes(validate_scenario(s))


def test_effect_on_an_unknown_or_mistyped_variable_is_reported() -> None:
    d = decision("d", "x")
    d["choices"][0]["effects"] = {"ghost": True, "count": "three"}
    s = scenario([d, end("e")], [edge("d", "e", "x")], variables={"count": {"type": "number", "default": 0}})
    messages = [p.message for p in validate_scenario(s) if p.code is ProblemCode.BAD_EFFECT]
    assert len(messages) == 2


def test_edge_from_a_decision_must_name_a_real_choice() -> None:
    s = scenario([decision("d", "x"), end("e")], [edge("d", "e", "x"), edge("d", "e"), edge("d", "e", "zz")])
    assert len([p for p in validate_scenario(s) if p.code is ProblemCode.BAD_EDGE_CHOICE]) == 2


def test_end_node_must_not_have_edges_out() -> None:
    s = scenario([content("a"), end("e"), end("e2")], [edge("a", "e"), edge("e", "e2")])
    assert (ProblemCode.END_HAS_EDGES, "e") in codes(validate_scenario(s))


def test_scenario_without_an_end_is_reported() -> None:
    s = scenario([content("a"), content("b")], [edge("a", "b"), edge("b", "a")])
    assert ProblemCode.NO_END in {p.code for p in validate_scenario(s)}


def test_every_problem_is_reported_at_once() -> None:
    s = scenario(
        [content("a"), content("a"), decision("d", "x", rubric=None), content("island"), fail("f")],
        [edge("a", "d"), edge("d", "ghost", "x"), edge("a", "f", guard="nope"), edge("f", "a")],
    )
    found = {p.code for p in validate_scenario(s)}
    assert {
        ProblemCode.DUPLICATE_ID,
        ProblemCode.DANGLING_EDGE,
        ProblemCode.MISSING_RUBRIC,
        ProblemCode.UNREACHABLE,
        ProblemCode.DEAD_END,
        ProblemCode.FAIL_WITHOUT_EXIT,
        ProblemCode.UNKNOWN_VARIABLE,
        ProblemCode.NO_END,
    } <= found
