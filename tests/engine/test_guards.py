"""Guard expressions: parsing, evaluation and clear syntax errors."""

from __future__ import annotations

import pytest

from appliance.engine import GuardSyntaxError
from appliance.engine.guards import parse_guard
from tests.engine.conftest import make_grade


@pytest.mark.parametrize(
    ("source", "variables", "expected"),
    [
        ("escalated", {"escalated": True}, True),
        ("not escalated", {"escalated": True}, False),
        ("alerts >= 2", {"alerts": 2.0}, True),
        ("alerts > 2 or escalated", {"alerts": 1.0, "escalated": True}, True),
        ("alerts > 2 and escalated", {"alerts": 3.0, "escalated": False}, False),
        ('unit == "nicu"', {"unit": "nicu"}, True),
        ("(a or b) and not c", {"a": False, "b": True, "c": False}, True),
        ("missing == true", {}, False),
        ('alerts < "x"', {"alerts": 1.0}, False),
    ],
)
def test_guard_evaluates_variables(source: str, variables: dict[str, object], expected: bool) -> None:
    assert parse_guard(source).evaluate(variables, None) is expected


def test_guard_reads_the_last_grade() -> None:
    weak = make_grade(0.3, critical_met=False)
    strong = make_grade(0.9)
    assert parse_guard("grade.missed_critical").evaluate({}, weak)
    assert not parse_guard("grade.missed_critical").evaluate({}, strong)
    assert parse_guard("grade.score >= 0.8 and grade.passed").evaluate({}, strong)
    assert parse_guard('grade.band == "strong"').evaluate({}, strong)
    assert parse_guard("grade.red_flag").evaluate({}, make_grade(0.9, red_flag=True))


def test_grade_fields_are_false_before_any_grade() -> None:
    assert not parse_guard("grade.passed").evaluate({}, None)
    assert not parse_guard("grade.score < 0.5").evaluate({}, None)


def test_guard_lists_the_variables_it_reads() -> None:
    assert parse_guard("a and (b or grade.passed) and c > 1").variables == {"a", "b", "c"}


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("", "empty"),
        ("a and", "ends too early"),
        ("a ==", "ends too early"),
        ("(a or b", "expected ')'"),
        ("a $ b", "unexpected character '$'"),
        ("grade.colour", "unknown grade field"),
        ("grade", "needs a field"),
        ("vars.x", "only 'grade.<field>'"),
        ("a b", "unexpected 'b'"),
        ("__import__('os')", "unexpected '('"),
        ("x" * 600, "longer than"),
    ],
)
def test_guard_syntax_errors_say_what_and_where(source: str, fragment: str) -> None:
    with pytest.raises(GuardSyntaxError) as info:
        parse_guard(source)
    assert fragment in str(info.value)
