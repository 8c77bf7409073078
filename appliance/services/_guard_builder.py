"""Guards from pickers, and guards in words: authors never type guard code.

A guard is built from :class:`Condition` rows (what, how, value), joined by "all" (and) or "any" (or), and
turned into the engine's guard text. :func:`describe_guard` reads any guard back as a sentence for the
canvas, and :func:`conditions_of` recovers the rows of a guard the pickers built so it can be edited again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from appliance.engine import GuardSyntaxError, Scenario
from appliance.engine.guard_ast import BoolOp, Compare, Expr, Name, Not
from appliance.engine.guard_ast import Literal as Lit
from appliance.engine.guards import parse_guard
from appliance.services._errors import EditRefused

Join = Literal["all", "any"]
OPERATORS = {
    "==": "is",
    "!=": "is not",
    "<": "is below",
    "<=": "is at most",
    ">": "is above",
    ">=": "is at least",
}
GRADE_SUBJECTS = {
    "grade.passed": ("the rationale passed", "bool"),
    "grade.score": ("the rationale score", "number"),
    "grade.band": ("the rationale band", "band"),
    "grade.missed_critical": ("a critical key point was missed", "bool"),
    "grade.red_flag": ("a red flag was raised", "bool"),
}
BANDS = ("strong", "adequate", "insufficient", "unsafe")


@dataclass(frozen=True)
class Condition:
    """One picker row: ``subject`` is a variable name or a ``grade.*`` field; ``value`` fits its type."""

    subject: str
    op: str
    value: bool | float | str


def subjects(scenario: Scenario) -> dict[str, tuple[str, str]]:
    """Everything a condition can test: subject -> (words, type), variables first."""
    found = {name: (name.replace("_", " "), var.type) for name, var in scenario.variables.items()}
    return found | GRADE_SUBJECTS


def _literal(value: bool | float | str, kind: str) -> str:
    if kind == "bool":
        if not isinstance(value, bool):
            raise EditRefused("Pick yes or no.")
        return "true" if value else "false"
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise EditRefused("Enter a number.")
        return repr(float(value)).removesuffix(".0") if float(value).is_integer() else repr(float(value))
    text = str(value)
    if kind == "band" and text not in BANDS:
        raise EditRefused(f"Pick a band: {', '.join(BANDS)}.")
    if '"' in text or "\\" in text:
        raise EditRefused("A value may not contain quotes or backslashes.")
    return f'"{text}"'


def build_guard(scenario: Scenario, conditions: list[Condition], join: Join = "all") -> str | None:
    """Guard text for the picked conditions (None when there are none).

    :raises EditRefused: an unknown subject, an operator that does not fit, or a value of the wrong type.
    """
    if not conditions:
        return None
    known = subjects(scenario)
    parts = []
    for c in conditions:
        if c.subject not in known:
            raise EditRefused(f"'{c.subject}' is not a variable of this scenario or a grade field.")
        kind = known[c.subject][1]
        if c.op not in OPERATORS or (kind in ("bool", "band", "string") and c.op not in ("==", "!=")):
            raise EditRefused(f"'{c.op}' does not fit {known[c.subject][0]}.")
        literal = _literal(c.value, kind)
        if kind == "bool":  # "escalated" / "not escalated" read better than "== true"
            parts.append(c.subject if (c.op == "==") == (literal == "true") else f"not {c.subject}")
        else:
            parts.append(f"{c.subject} {c.op} {literal}")
    text = (" and " if join == "all" else " or ").join(parts)
    parse_guard(text)  # built from known parts, so it parses; this keeps the builder honest
    return text


def _flatten(expr: Expr, op: str) -> list[Expr]:
    if isinstance(expr, BoolOp) and expr.op == op:
        return _flatten(expr.left, op) + _flatten(expr.right, op)
    return [expr]


def _condition(expr: Expr) -> Condition | None:
    if isinstance(expr, Compare) and isinstance(expr.left, Name) and isinstance(expr.right, Lit):
        value = expr.right.value
        if value is None:
            return None
        subject = f"grade.{expr.left.name}" if expr.left.scope == "grade" else expr.left.name
        return Condition(subject, expr.op, value)
    if isinstance(expr, Name):
        subject = f"grade.{expr.name}" if expr.scope == "grade" else expr.name
        return Condition(subject, "==", True)
    if isinstance(expr, Not) and isinstance(expr.operand, Name):
        inner = _condition(expr.operand)
        return Condition(inner.subject, "==", False) if inner else None
    return None


def conditions_of(guard: str) -> tuple[Join, list[Condition]] | None:
    """The picker rows of a guard made of simple comparisons joined by one kind of ``and``/``or``, else None."""
    try:
        tree = parse_guard(guard).tree
    except GuardSyntaxError:
        return None
    for op, join in (("and", "all"), ("or", "any")):
        parts = _flatten(tree, op)
        if len(parts) > 1 or op == "or":
            rows = [_condition(p) for p in parts]
            if all(r is not None for r in rows):
                return join, [r for r in rows if r is not None]  # type: ignore[return-value]
    return None


def _words(c: Condition, scenario: Scenario | None) -> str:
    known = subjects(scenario) if scenario else GRADE_SUBJECTS
    words, kind = known.get(c.subject, (c.subject.replace("_", " "), ""))
    if kind == "bool" or isinstance(c.value, bool):
        positive = (c.op == "==") == bool(c.value)
        if c.subject.startswith("grade."):
            return words if positive else f"not ({words})"
        return f"{words} is {'yes' if positive else 'no'}"
    if c.subject == "grade.score" and isinstance(c.value, float):
        return f"{words} {OPERATORS[c.op]} {c.value:.0%}"
    value = f"{c.value:g}" if isinstance(c.value, float) else str(c.value)
    return f"{words} {OPERATORS.get(c.op, c.op)} {value}"


def describe_guard(guard: str | None, scenario: Scenario | None = None) -> str:
    """The guard as a short sentence ("when the rationale passed and escalated is yes")."""
    if not guard:
        return ""
    rows = conditions_of(guard)
    if rows is None:
        return f"when {guard}"
    join, conditions = rows
    glue = " and " if join == "all" else " or "
    return "when " + glue.join(_words(c, scenario) for c in conditions)
