"""Pure editing operations on a scenario graph: each takes a scenario and returns a new one, or refuses.

Every operation builds its result through pydantic validation, so an edit can never produce a scenario the
engine could not load; graph-level problems (dead ends, unreachable nodes, ...) are left to
:func:`appliance.engine.validate_scenario` and shown to the author, because a draft is allowed to be
unfinished. An operation that cannot be done raises :class:`EditRefused` with a message for the author.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from appliance.engine import (
    Choice,
    ChoiceRating,
    ContentNode,
    DecisionNode,
    Edge,
    EndNode,
    FailStateNode,
    HarmSeverity,
    Node,
    Outcome,
    RecoveryNode,
    Scenario,
    Variable,
)
from appliance.services._errors import EditRefused

M = TypeVar("M", bound=BaseModel)

NODE_KINDS = ("content", "decision", "fail", "recovery", "end")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_RESERVED = frozenset({"and", "or", "not", "true", "false", "grade"})
_VARIABLE_TYPES: dict[str, type | tuple[type, ...]] = {"bool": bool, "number": (int, float), "string": str}


def rebuild(model: M, **changes: Any) -> M:
    """A validated copy of ``model`` with ``changes`` applied.

    :raises EditRefused: the changed record is not valid (the message says which field and why).
    """
    data = {name: getattr(model, name) for name in type(model).model_fields}
    data.update(changes)
    try:
        return type(model).model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or type(model).__name__
        raise EditRefused(f"{where}: {first['msg']}") from err


def _node(scenario: Scenario, node_id: str) -> Node:
    try:
        return scenario.node(node_id)
    except KeyError:
        raise EditRefused(f"There is no node '{node_id}'.") from None


def _decision(scenario: Scenario, node_id: str) -> DecisionNode:
    node = _node(scenario, node_id)
    if not isinstance(node, DecisionNode):
        raise EditRefused(f"'{node_id}' is a {node.kind} node, not a decision.")
    return node


def _replace_node(scenario: Scenario, node: Node) -> Scenario:
    nodes = tuple(node if n.id == node.id else n for n in scenario.nodes)
    return rebuild(scenario, nodes=nodes)


def _check_position(position: tuple[float, float]) -> None:
    if not all(math.isfinite(v) and abs(v) < 1e7 for v in position):
        raise EditRefused("That position is off the canvas.")


def fresh_id(prefix: str, taken: set[str]) -> str:
    """``prefix-N`` with the smallest N not in ``taken``."""
    n = 1
    while f"{prefix}-{n}" in taken:
        n += 1
    return f"{prefix}-{n}"


def blank_node(kind: str, node_id: str, position: tuple[float, float] | None = None) -> Node:
    """A new node of ``kind`` with placeholder text the author then replaces.

    :raises EditRefused: unknown kind.
    """
    common: dict[str, Any] = {"id": node_id, "position": position}
    if kind == "content":
        return ContentNode(title="New content", body="Describe what the nurse sees.", **common)
    if kind == "decision":
        choices = (Choice(id="c1", label="First action", rating=ChoiceRating.BEST),)
        return DecisionNode(title="New decision", prompt="What do you do?", choices=choices, **common)
    if kind == "fail":
        return FailStateNode(
            title="New fail-state", consequence="Describe the harm.", severity=HarmSeverity.MODERATE, **common
        )
    if kind == "recovery":
        return RecoveryNode(title="New recovery", body="Describe how the team recovers.", **common)
    if kind == "end":
        return EndNode(title="New end", outcome=Outcome.SUCCESS, debrief="What this path teaches.", **common)
    raise EditRefused(f"Unknown node kind '{kind}'; use one of {', '.join(NODE_KINDS)}.")


def add_node(
    scenario: Scenario, kind: str, position: tuple[float, float] | None = None, node_id: str | None = None
) -> tuple[Scenario, str]:
    """Add a blank node of ``kind``; return the new scenario and the node's id.

    :raises EditRefused: unknown kind, or ``node_id`` is taken.
    """
    taken = {n.id for n in scenario.nodes}
    if node_id is not None and node_id in taken:
        raise EditRefused(f"A node with the id '{node_id}' already exists.")
    if position is not None:
        _check_position(position)
    new_id = node_id or fresh_id(kind, taken)
    node = blank_node(kind, new_id, position)
    return rebuild(scenario, nodes=(*scenario.nodes, node)), new_id


def remove_nodes(scenario: Scenario, node_ids: list[str]) -> Scenario:
    """Delete nodes and every edge touching them.

    :raises EditRefused: a node is unknown, is the start node, or the scenario would be left empty.
    """
    doomed = set(node_ids)
    for node_id in doomed:
        _node(scenario, node_id)
    if scenario.start in doomed:
        raise EditRefused("That is the start node; make another node the start before deleting it.")
    nodes = tuple(n for n in scenario.nodes if n.id not in doomed)
    if not nodes:
        raise EditRefused("A scenario needs at least one node.")
    edges = tuple(e for e in scenario.edges if e.source not in doomed and e.target not in doomed)
    return rebuild(scenario, nodes=nodes, edges=edges)


def move_nodes(scenario: Scenario, positions: dict[str, tuple[float, float]]) -> Scenario:
    """Set canvas positions (layout only: the content hash ignores them).

    :raises EditRefused: a node is unknown.
    """
    for node_id, (x, y) in positions.items():
        _node(scenario, node_id)
        _check_position((x, y))
    nodes = tuple(
        rebuild(n, position=(round(positions[n.id][0], 1), round(positions[n.id][1], 1)))
        if n.id in positions
        else n
        for n in scenario.nodes
    )
    return rebuild(scenario, nodes=nodes)


def update_node(scenario: Scenario, node_id: str, **fields: Any) -> Scenario:
    """Change a node's own fields (title, body, prompt, rsvp, rsvp_wpm, severity, outcome, ...).

    :raises EditRefused: unknown node, a field it does not have, or an invalid value.
    """
    node = _node(scenario, node_id)
    unknown = set(fields) - set(type(node).model_fields) | ({"id", "kind", "choices"} & set(fields))
    if unknown:
        raise EditRefused(f"A {node.kind} node has no editable field {', '.join(sorted(unknown))}.")
    return _replace_node(scenario, rebuild(node, **fields))


def rename_node(scenario: Scenario, node_id: str, new_id: str) -> Scenario:
    """Give a node a new id, following every edge and the start.

    :raises EditRefused: unknown node, the id is taken or not a valid id.
    """
    node = _node(scenario, node_id)
    if new_id != node_id and new_id in {n.id for n in scenario.nodes}:
        raise EditRefused(f"A node with the id '{new_id}' already exists.")
    renamed = rebuild(node, id=new_id)
    nodes = tuple(renamed if n.id == node_id else n for n in scenario.nodes)
    edges = tuple(
        rebuild(
            e,
            source=new_id if e.source == node_id else e.source,
            target=new_id if e.target == node_id else e.target,
        )
        for e in scenario.edges
    )
    start = new_id if scenario.start == node_id else scenario.start
    return rebuild(scenario, nodes=nodes, edges=edges, start=start)


def set_start(scenario: Scenario, node_id: str) -> Scenario:
    """Make ``node_id`` the start node.

    :raises EditRefused: unknown node.
    """
    _node(scenario, node_id)
    return rebuild(scenario, start=node_id)


def update_scenario(scenario: Scenario, **fields: Any) -> Scenario:
    """Change the scenario's title, summary or max_steps.

    :raises EditRefused: another field, or an invalid value.
    """
    unknown = set(fields) - {"title", "summary", "max_steps"}
    if unknown:
        raise EditRefused(f"Use the dedicated edits for {', '.join(sorted(unknown))}.")
    return rebuild(scenario, **fields)


def edge_key(edge: Edge) -> str:
    """The stable key of an edge on the canvas: ``source/choice->target`` (choice empty when none)."""
    return f"{edge.source}/{edge.choice or ''}->{edge.target}"


def _edge_index(scenario: Scenario, key: str) -> int:
    for i, edge in enumerate(scenario.edges):
        if edge_key(edge) == key:
            return i
    raise EditRefused(f"There is no link '{key}'.")


def connect(scenario: Scenario, source: str, target: str, choice: str | None = None) -> tuple[Scenario, str]:
    """Link ``source`` (for a decision, its ``choice``) to ``target``; return the scenario and a message.

    An unguarded link already leaving the same port is re-pointed rather than duplicated, so dragging a
    choice to another node moves its arrow.

    :raises EditRefused: unknown node or choice, an end node as source, a self-link or a missing choice.
    """
    src = _node(scenario, source)
    _node(scenario, target)
    if source == target:
        raise EditRefused("A node cannot lead to itself.")
    if isinstance(src, EndNode):
        raise EditRefused("An end node finishes the scenario; it cannot lead anywhere.")
    if isinstance(src, DecisionNode):
        if choice is None:
            raise EditRefused("Drag from one of the decision's choices, not the node itself.")
        if choice not in {c.id for c in src.choices}:
            raise EditRefused(f"'{source}' has no choice '{choice}'.")
    elif choice is not None:
        raise EditRefused(f"Only decisions have choices; '{source}' is a {src.kind} node.")
    if any(e.source == source and e.choice == choice and e.target == target for e in scenario.edges):
        raise EditRefused("That link already exists.")
    edges = list(scenario.edges)
    for i, edge in enumerate(edges):
        if edge.source == source and edge.choice == choice and not edge.guard:
            edges[i] = rebuild(edge, target=target)
            return rebuild(scenario, edges=tuple(edges)), f"Now leads to '{target}' (was '{edge.target}')."
    edges.append(Edge(source=source, target=target, choice=choice))
    return rebuild(scenario, edges=tuple(edges)), f"Linked to '{target}'."


def disconnect(scenario: Scenario, keys: list[str]) -> Scenario:
    """Delete links by their :func:`edge_key`.

    :raises EditRefused: an unknown link.
    """
    doomed = {_edge_index(scenario, k) for k in keys}
    return rebuild(scenario, edges=tuple(e for i, e in enumerate(scenario.edges) if i not in doomed))


def set_edge_guard(scenario: Scenario, key: str, guard: str | None, label: str | None = None) -> Scenario:
    """Set (or with None clear) a link's condition; build ``guard`` with :mod:`guard_builder`.

    :raises EditRefused: unknown link or an over-long guard.
    """
    i = _edge_index(scenario, key)
    edges = list(scenario.edges)
    changes: dict[str, Any] = {"guard": guard or None}
    if label is not None:
        changes["label"] = label
    edges[i] = rebuild(edges[i], **changes)
    return rebuild(scenario, edges=tuple(edges))


def _update_choices(
    scenario: Scenario, node_id: str, change: Callable[[tuple[Choice, ...]], tuple[Choice, ...]]
) -> Scenario:
    node = _decision(scenario, node_id)
    return _replace_node(scenario, rebuild(node, choices=change(node.choices)))


def add_choice(
    scenario: Scenario, node_id: str, label: str = "Another action", choice_id: str | None = None
) -> tuple[Scenario, str]:
    """Add a choice to a decision (id ``c<N>`` unless given); return the scenario and the choice id.

    :raises EditRefused: not a decision, the id is taken, or an invalid label or id.
    """
    node = _decision(scenario, node_id)
    taken = {c.id for c in node.choices}
    if choice_id is not None and choice_id in taken:
        raise EditRefused(f"'{node_id}' already has a choice '{choice_id}'.")
    n = len(node.choices) + 1
    while f"c{n}" in taken:
        n += 1
    new = rebuild(
        Choice(id="c0", label="x", rating=ChoiceRating.ACCEPTABLE),
        id=choice_id or f"c{n}",
        label=label or "Another action",
    )
    return _update_choices(scenario, node_id, lambda cs: (*cs, new)), new.id


def update_choice(scenario: Scenario, node_id: str, choice_id: str, **fields: Any) -> Scenario:
    """Change a choice's label, rating, feedback or effects.

    :raises EditRefused: unknown node or choice, another field, or an invalid value.
    """
    unknown = set(fields) - {"label", "rating", "feedback", "effects"}
    if unknown:
        raise EditRefused(f"A choice has no editable field {', '.join(sorted(unknown))}.")
    node = _decision(scenario, node_id)
    if choice_id not in {c.id for c in node.choices}:
        raise EditRefused(f"'{node_id}' has no choice '{choice_id}'.")
    return _update_choices(
        scenario, node_id, lambda cs: tuple(rebuild(c, **fields) if c.id == choice_id else c for c in cs)
    )


def remove_choice(scenario: Scenario, node_id: str, choice_id: str) -> Scenario:
    """Delete a choice and the links that follow it.

    :raises EditRefused: unknown choice, or it is the decision's only choice.
    """
    node = _decision(scenario, node_id)
    if choice_id not in {c.id for c in node.choices}:
        raise EditRefused(f"'{node_id}' has no choice '{choice_id}'.")
    if len(node.choices) == 1:
        raise EditRefused("A decision needs at least one choice.")
    changed = _update_choices(scenario, node_id, lambda cs: tuple(c for c in cs if c.id != choice_id))
    edges = tuple(e for e in changed.edges if not (e.source == node_id and e.choice == choice_id))
    return rebuild(changed, edges=edges)


def set_variable(
    scenario: Scenario, name: str, type_: str, default: bool | float | str, description: str = ""
) -> Scenario:
    """Add or change a scenario variable (``bool``, ``number`` or ``string``).

    :raises EditRefused: the name is not a plain word, is reserved, or the default does not fit the type.
    """
    if not _NAME.match(name) or name in _RESERVED:
        raise EditRefused(f"'{name}' cannot name a variable: use letters, digits and _ (not a keyword).")
    fits = _VARIABLE_TYPES.get(type_)
    if fits is None:
        raise EditRefused("A variable is a bool, a number or a string.")
    if not isinstance(default, fits) or (type_ == "number" and isinstance(default, bool)):
        raise EditRefused(f"The starting value {default!r} is not a {type_}.")
    variable = Variable(type=type_, default=default, description=description)  # type: ignore[arg-type]
    return rebuild(scenario, variables={**scenario.variables, name: variable})


def remove_variable(scenario: Scenario, name: str) -> Scenario:
    """Delete a variable (validation then flags choices and guards that still use it).

    :raises EditRefused: no such variable.
    """
    if name not in scenario.variables:
        raise EditRefused(f"There is no variable '{name}'.")
    return rebuild(scenario, variables={k: v for k, v in scenario.variables.items() if k != name})


def remove_selection(scenario: Scenario, node_ids: list[str], edge_keys: list[str]) -> Scenario:
    """Delete selected links and nodes in one step (links of deleted nodes go with them).

    :raises EditRefused: as :func:`remove_nodes` / :func:`disconnect`.
    """
    doomed = set(node_ids)
    keys = [k for k in edge_keys if k in {edge_key(e) for e in scenario.edges}]
    changed = disconnect(scenario, keys) if keys else scenario
    return remove_nodes(changed, sorted(doomed)) if doomed else changed
