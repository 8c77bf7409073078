"""Pure edits of a decision's rubric: key points, red flags, exemplars with labels, threshold and feedback.

Each function takes the scenario and the decision's id and returns a new scenario, or raises
:class:`EditRefused`. Removing a key point or red flag also drops it from the exemplars that named it, so a
rubric never refers to something that is gone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from appliance.engine import DecisionNode, Rubric, Scenario
from appliance.engine.rubrics import Exemplar, KeyPoint, RedFlag, RubricFeedback
from appliance.services._edits import fresh_id, rebuild
from appliance.services._errors import EditRefused


def _with_rubric(scenario: Scenario, node_id: str, change: Callable[[Rubric], Rubric]) -> Scenario:
    try:
        node = scenario.node(node_id)
    except KeyError:
        raise EditRefused(f"There is no node '{node_id}'.") from None
    if not isinstance(node, DecisionNode):
        raise EditRefused(f"'{node_id}' is a {node.kind} node; only decisions have rubrics.")
    if node.rubric is None:
        raise EditRefused("This decision has no rubric yet; add one first.")
    changed = rebuild(node, rubric=change(node.rubric))
    return rebuild(scenario, nodes=tuple(changed if n.id == node_id else n for n in scenario.nodes))


def add_rubric(scenario: Scenario, node_id: str) -> Scenario:
    """Give a decision a starter rubric (one placeholder key point).

    :raises EditRefused: not a decision, or it already has a rubric.
    """
    try:
        node = scenario.node(node_id)
    except KeyError:
        raise EditRefused(f"There is no node '{node_id}'.") from None
    if not isinstance(node, DecisionNode):
        raise EditRefused(f"'{node_id}' is a {node.kind} node; only decisions have rubrics.")
    if node.rubric is not None:
        raise EditRefused("This decision already has a rubric.")
    rubric = Rubric(key_points=(KeyPoint(id="kp-1", text="State the key point a good answer makes."),))
    changed = rebuild(node, rubric=rubric, requires_rationale=True)
    return rebuild(scenario, nodes=tuple(changed if n.id == node_id else n for n in scenario.nodes))


def remove_rubric(scenario: Scenario, node_id: str) -> Scenario:
    """Drop a decision's rubric and stop asking for a rationale there.

    :raises EditRefused: not a decision.
    """
    node = scenario.node(node_id) if node_id in {n.id for n in scenario.nodes} else None
    if not isinstance(node, DecisionNode):
        raise EditRefused(f"'{node_id}' is not a decision.")
    changed = rebuild(node, rubric=None, requires_rationale=False)
    return rebuild(scenario, nodes=tuple(changed if n.id == node_id else n for n in scenario.nodes))


def _add_item(
    scenario: Scenario,
    node_id: str,
    kind: type[KeyPoint] | type[RedFlag],
    given_id: str | None,
    text: str,
) -> tuple[Scenario, str]:
    """Append a key point or red flag with a fresh id (``kp-<N>`` / ``rf-<N>``) unless one is given."""
    field, prefix, label = (
        ("key_points", "kp", "key point") if kind is KeyPoint else ("red_flags", "rf", "red flag")
    )
    new_id = ""

    def change(rubric: Rubric) -> Rubric:
        nonlocal new_id
        items = getattr(rubric, field)
        taken = {item.id for item in items}
        if given_id is not None and given_id in taken:
            raise EditRefused(f"The rubric already has a {label} '{given_id}'.")
        new_id = given_id or fresh_id(prefix, taken)
        item = rebuild(kind(id=f"{prefix}-0", text="placeholder"), id=new_id, text=text)
        return rebuild(rubric, **{field: (*items, item)})

    return _with_rubric(scenario, node_id, change), new_id


def _update_item(
    scenario: Scenario,
    node_id: str,
    field: str,
    label: str,
    item_id: str,
    editable: set[str],
    fields: dict[str, Any],
) -> Scenario:
    """Change the ``editable`` fields of one key point or red flag (phrasings are trimmed, blanks dropped)."""
    unknown = set(fields) - editable
    if unknown:
        raise EditRefused(f"A {label} has no editable field {', '.join(sorted(unknown))}.")
    if "phrasings" in fields:
        fields["phrasings"] = tuple(p.strip() for p in fields["phrasings"] if p.strip())

    def change(rubric: Rubric) -> Rubric:
        items = getattr(rubric, field)
        if item_id not in {item.id for item in items}:
            raise EditRefused(f"There is no {label} '{item_id}'.")
        return rebuild(
            rubric, **{field: tuple(rebuild(i, **fields) if i.id == item_id else i for i in items)}
        )

    return _with_rubric(scenario, node_id, change)


def add_key_point(
    scenario: Scenario, node_id: str, text: str = "Another key point.", key_point_id: str | None = None
) -> tuple[Scenario, str]:
    """Add a key point (id ``kp-<N>`` unless given); return the scenario and its id.

    :raises EditRefused: no rubric, the id is taken, or the text is too short.
    """
    return _add_item(scenario, node_id, KeyPoint, key_point_id, text)


def update_key_point(scenario: Scenario, node_id: str, key_point_id: str, **fields: Any) -> Scenario:
    """Change a key point's text, weight, critical flag or phrasings.

    :raises EditRefused: unknown key point, another field, or an invalid value.
    """
    editable = {"text", "weight", "critical", "phrasings"}
    return _update_item(scenario, node_id, "key_points", "key point", key_point_id, editable, fields)


def remove_key_point(scenario: Scenario, node_id: str, key_point_id: str) -> Scenario:
    """Delete a key point (and its mention in exemplars).

    :raises EditRefused: unknown key point, or it is the last one.
    """

    def change(rubric: Rubric) -> Rubric:
        if key_point_id not in {kp.id for kp in rubric.key_points}:
            raise EditRefused(f"There is no key point '{key_point_id}'.")
        if len(rubric.key_points) == 1:
            raise EditRefused("A rubric needs at least one key point.")
        points = tuple(kp for kp in rubric.key_points if kp.id != key_point_id)
        exemplars = tuple(
            rebuild(ex, met=tuple(m for m in ex.met if m != key_point_id)) for ex in rubric.exemplars
        )
        return rebuild(rubric, key_points=points, exemplars=exemplars)

    return _with_rubric(scenario, node_id, change)


def add_red_flag(
    scenario: Scenario, node_id: str, text: str = "Unsafe reasoning to catch.", red_flag_id: str | None = None
) -> tuple[Scenario, str]:
    """Add a red flag (id ``rf-<N>`` unless given); return the scenario and its id.

    :raises EditRefused: no rubric, the id is taken, or the text is too short.
    """
    return _add_item(scenario, node_id, RedFlag, red_flag_id, text)


def update_red_flag(scenario: Scenario, node_id: str, red_flag_id: str, **fields: Any) -> Scenario:
    """Change a red flag's text or phrasings.

    :raises EditRefused: unknown red flag, another field, or an invalid value.
    """
    return _update_item(
        scenario, node_id, "red_flags", "red flag", red_flag_id, {"text", "phrasings"}, fields
    )


def remove_red_flag(scenario: Scenario, node_id: str, red_flag_id: str) -> Scenario:
    """Delete a red flag (and its mention in exemplars).

    :raises EditRefused: unknown red flag.
    """

    def change(rubric: Rubric) -> Rubric:
        if red_flag_id not in {rf.id for rf in rubric.red_flags}:
            raise EditRefused(f"There is no red flag '{red_flag_id}'.")
        exemplars = tuple(
            rebuild(ex, red_flags=tuple(r for r in ex.red_flags if r != red_flag_id))
            for ex in rubric.exemplars
        )
        flags = tuple(rf for rf in rubric.red_flags if rf.id != red_flag_id)
        return rebuild(rubric, red_flags=flags, exemplars=exemplars)

    return _with_rubric(scenario, node_id, change)


def add_exemplar(
    scenario: Scenario, node_id: str, text: str, score: float, met: tuple[str, ...] = (), note: str = ""
) -> Scenario:
    """Add an educator-labelled exemplar rationale (``score`` 0-1, ``met`` the key point ids it meets).

    :raises EditRefused: no rubric, empty text, a score outside 0-1 or unknown ids.
    """
    exemplar = rebuild(Exemplar(text="x", score=0.0), text=text, score=score, met=tuple(met), note=note)
    return _with_rubric(scenario, node_id, lambda r: rebuild(r, exemplars=(*r.exemplars, exemplar)))


def update_exemplar(scenario: Scenario, node_id: str, index: int, **fields: Any) -> Scenario:
    """Change an exemplar's text, score, met key points, red flags or note.

    :raises EditRefused: no such exemplar, another field, or an invalid value.
    """
    unknown = set(fields) - {"text", "score", "met", "red_flags", "note"}
    if unknown:
        raise EditRefused(f"An exemplar has no editable field {', '.join(sorted(unknown))}.")

    def change(rubric: Rubric) -> Rubric:
        if not 0 <= index < len(rubric.exemplars):
            raise EditRefused(f"There is no exemplar {index + 1}.")
        exemplars = list(rubric.exemplars)
        exemplars[index] = rebuild(exemplars[index], **fields)
        return rebuild(rubric, exemplars=tuple(exemplars))

    return _with_rubric(scenario, node_id, change)


def remove_exemplar(scenario: Scenario, node_id: str, index: int) -> Scenario:
    """Delete an exemplar.

    :raises EditRefused: no such exemplar.
    """

    def change(rubric: Rubric) -> Rubric:
        if not 0 <= index < len(rubric.exemplars):
            raise EditRefused(f"There is no exemplar {index + 1}.")
        return rebuild(rubric, exemplars=tuple(e for i, e in enumerate(rubric.exemplars) if i != index))

    return _with_rubric(scenario, node_id, change)


def set_threshold(scenario: Scenario, node_id: str, pass_threshold: float) -> Scenario:
    """Set the score a rationale needs to pass (above 0, at most 1).

    :raises EditRefused: out of range.
    """
    return _with_rubric(scenario, node_id, lambda r: rebuild(r, pass_threshold=pass_threshold))


def set_feedback(
    scenario: Scenario, node_id: str, passed: str | None = None, failed: str | None = None
) -> Scenario:
    """Set the feedback shown when a rationale passes or fails.

    :raises EditRefused: no rubric.
    """

    def change(rubric: Rubric) -> Rubric:
        feedback = RubricFeedback(
            passed=rubric.feedback.passed if passed is None else passed,
            failed=rubric.feedback.failed if failed is None else failed,
        )
        return rebuild(rubric, feedback=feedback)

    return _with_rubric(scenario, node_id, change)
