"""A small, safe expression language for edge guards (never ``eval``).

Grammar::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := atom (("==" | "!=" | "<" | "<=" | ">" | ">=") atom)?
    atom    := NUMBER | STRING | "true" | "false" | NAME ("." NAME)? | "(" expr ")"

A bare ``NAME`` is a scenario variable; ``grade.<field>`` reads the last rationale's grade
(``score``, ``passed``, ``band``, ``missed_critical``, ``red_flag``). Examples::

    escalated and grade.passed
    grade.missed_critical or grade.band == "unsafe"
    alerts_ignored >= 2
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from appliance.engine._errors import GuardSyntaxError
from appliance.engine._grade import Grade

GRADE_FIELDS = frozenset({"score", "passed", "band", "missed_critical", "red_flag"})
MAX_GUARD_LENGTH = 500

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>\d+(?:\.\d+)?)
      | (?P<string>"[^"\\]*"|'[^'\\]*')
      | (?P<op>==|!=|<=|>=|<|>|\(|\)|\.)
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    )""",
    re.VERBOSE,
)
_COMPARATORS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_KEYWORDS = frozenset({"and", "or", "not", "true", "false"})

Value = bool | float | str | None


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    pos: int


@dataclass(frozen=True)
class Literal:
    """A constant in a guard."""

    value: Value


@dataclass(frozen=True)
class Name:
    """A variable (``scope`` is ``"var"``) or a grade field (``scope`` is ``"grade"``)."""

    scope: str
    name: str


@dataclass(frozen=True)
class Not:
    """Logical negation."""

    operand: Expr


@dataclass(frozen=True)
class BoolOp:
    """``and`` / ``or`` over two operands."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Compare:
    """A comparison of two atoms."""

    op: str
    left: Expr
    right: Expr


Expr = Literal | Name | Not | BoolOp | Compare


@dataclass(frozen=True)
class Guard:
    """A parsed guard expression."""

    source: str
    tree: Expr

    @property
    def variables(self) -> frozenset[str]:
        """Scenario variable names the guard reads."""
        return frozenset(n.name for n in _walk(self.tree) if isinstance(n, Name) and n.scope == "var")

    def evaluate(self, variables: Mapping[str, Value], grade: Grade | None) -> bool:
        """Evaluate against the play state; unknown values and type mismatches compare as false."""
        return bool(_evaluate(self.tree, variables, grade))


def _walk(expr: Expr) -> list[Expr]:
    match expr:
        case Not(operand):
            return [expr, *_walk(operand)]
        case BoolOp(_, left, right) | Compare(_, left, right):
            return [expr, *_walk(left), *_walk(right)]
        case _:
            return [expr]


def _grade_field(grade: Grade | None, field: str) -> Value:
    if grade is None:
        return None
    if field == "band":
        return grade.band.value
    if field == "missed_critical":
        return grade.missed_critical
    if field == "red_flag":
        return bool(grade.red_flags)
    return getattr(grade, field)


def _evaluate(expr: Expr, variables: Mapping[str, Value], grade: Grade | None) -> Value:
    match expr:
        case Literal(value):
            return value
        case Name("grade", field):
            return _grade_field(grade, field)
        case Name(_, name):
            return variables.get(name)
        case Not(operand):
            return not _evaluate(operand, variables, grade)
        case BoolOp("and", left, right):
            return bool(_evaluate(left, variables, grade)) and bool(_evaluate(right, variables, grade))
        case BoolOp(_, left, right):
            return bool(_evaluate(left, variables, grade)) or bool(_evaluate(right, variables, grade))
        case Compare(op, left, right):
            a, b = _evaluate(left, variables, grade), _evaluate(right, variables, grade)
            if op in ("==", "!="):
                return _COMPARATORS[op](a, b)
            numeric = (int, float)
            comparable = (isinstance(a, numeric) and isinstance(b, numeric)) or (
                isinstance(a, str) and isinstance(b, str)
            )
            return comparable and _COMPARATORS[op](a, b)
    raise AssertionError(f"unknown guard node {expr!r}")  # pragma: no cover


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(source):
        if source[pos:].strip() == "":
            break
        match = _TOKEN.match(source, pos)
        if match is None or match.end() == pos:
            bad = len(source) - len(source[pos:].lstrip())
            raise GuardSyntaxError(source, bad, f"unexpected character {source[bad]!r}")
        kind = match.lastgroup or ""
        text = match.group(kind)
        tokens.append(_Token(kind, text, match.start(kind)))
        pos = match.end()
    tokens.append(_Token("end", "", len(source)))
    return tokens


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = _tokenize(source)
        self.i = 0

    def peek(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def fail(self, message: str, token: _Token | None = None) -> GuardSyntaxError:
        token = token or self.peek()
        return GuardSyntaxError(self.source, token.pos, message)

    def is_word(self, word: str) -> bool:
        token = self.peek()
        return token.kind == "name" and token.text == word

    def parse(self) -> Expr:
        expr = self.parse_or()
        if self.peek().kind != "end":
            raise self.fail(f"unexpected {self.peek().text!r}")
        return expr

    def parse_or(self) -> Expr:
        expr = self.parse_and()
        while self.is_word("or"):
            self.take()
            expr = BoolOp("or", expr, self.parse_and())
        return expr

    def parse_and(self) -> Expr:
        expr = self.parse_not()
        while self.is_word("and"):
            self.take()
            expr = BoolOp("and", expr, self.parse_not())
        return expr

    def parse_not(self) -> Expr:
        if self.is_word("not"):
            self.take()
            return Not(self.parse_not())
        return self.parse_compare()

    def parse_compare(self) -> Expr:
        left = self.parse_atom()
        token = self.peek()
        if token.kind == "op" and token.text in _COMPARATORS:
            self.take()
            return Compare(token.text, left, self.parse_atom())
        return left

    def parse_atom(self) -> Expr:
        token = self.take()
        if token.kind == "number":
            return Literal(float(token.text))
        if token.kind == "string":
            return Literal(token.text[1:-1])
        if token.kind == "op" and token.text == "(":
            expr = self.parse_or()
            if self.take().text != ")":
                raise self.fail("expected ')'", self.tokens[self.i - 1])
            return expr
        if token.kind == "name":
            if token.text in ("true", "false"):
                return Literal(token.text == "true")
            if token.text in _KEYWORDS:
                raise self.fail(f"expected a value, found {token.text!r}", token)
            if self.peek().kind == "op" and self.peek().text == ".":
                self.take()
                field = self.take()
                if token.text != "grade":
                    raise self.fail(f"only 'grade.<field>' may use a dot, not {token.text!r}", token)
                if field.kind != "name" or field.text not in GRADE_FIELDS:
                    raise self.fail(
                        f"unknown grade field; use one of {', '.join(sorted(GRADE_FIELDS))}", field
                    )
                return Name("grade", field.text)
            if token.text == "grade":
                raise self.fail("'grade' needs a field, e.g. grade.passed", token)
            return Name("var", token.text)
        if token.kind == "end":
            raise self.fail("the guard ends too early", token)
        raise self.fail(f"expected a value, found {token.text!r}", token)


@lru_cache(maxsize=1024)
def parse_guard(source: str) -> Guard:
    """Parse a guard expression.

    :raises GuardSyntaxError: the expression is empty, too long or not in the grammar.
    """
    if not source.strip():
        raise GuardSyntaxError(source, 0, "the guard is empty")
    if len(source) > MAX_GUARD_LENGTH:
        raise GuardSyntaxError(
            source, MAX_GUARD_LENGTH, f"the guard is longer than {MAX_GUARD_LENGTH} characters"
        )
    return Guard(source, _Parser(source).parse())
