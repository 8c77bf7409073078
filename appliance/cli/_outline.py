"""Readable text outlines of scenarios for the terminal."""

from __future__ import annotations

import textwrap
from collections import deque

from appliance.engine import DecisionNode, Edge, EndNode, FailStateNode, Scenario


def _ordered_ids(scenario: Scenario) -> list[str]:
    order: list[str] = []
    queue = deque([scenario.start])
    known = {n.id for n in scenario.nodes}
    while queue:
        node_id = queue.popleft()
        if node_id in order or node_id not in known:
            continue
        order.append(node_id)
        queue.extend(e.target for e in scenario.edges if e.source == node_id)
    return order + [n.id for n in scenario.nodes if n.id not in order]


def _arrow(edge: Edge) -> str:
    return f"-> {edge.target}" + (f"  [if {edge.guard}]" if edge.guard else "")


def outline(scenario: Scenario, width: int = 100) -> str:
    """Return a readable outline: nodes in play order with choices, ratings, guards and rubrics."""
    lines = [f"Scenario {scenario.id}: {scenario.title}", f"  start: {scenario.start}"]
    if scenario.variables:
        lines.append(
            "  variables: "
            + ", ".join(f"{k} ({v.type}, = {v.default!r})" for k, v in scenario.variables.items())
        )
    for node_id in _ordered_ids(scenario):
        node = scenario.node(node_id)
        lines.append("")
        lines.append(f"  [{node.kind}] {node.id}: {node.title}")
        if isinstance(node, DecisionNode):
            lines += textwrap.wrap(node.prompt, width, initial_indent="      ", subsequent_indent="      ")
            if node.rubric:
                critical = sum(1 for kp in node.rubric.key_points if kp.critical)
                lines.append(
                    f"      rubric: {len(node.rubric.key_points)} key points ({critical} critical), "
                    f"{len(node.rubric.red_flags)} red flags, {len(node.rubric.exemplars)} exemplars, "
                    f"pass at {node.rubric.pass_threshold:.0%}"
                )
            for choice in node.choices:
                lines.append(f"      * {choice.id} ({choice.rating.value}): {choice.label}")
                lines += [f"          {_arrow(e)}" for e in scenario.outgoing(node.id, choice.id)]
            continue
        if isinstance(node, FailStateNode):
            lines.append(f"      severity: {node.severity.value}")
        if isinstance(node, EndNode):
            lines.append(f"      outcome: {node.outcome.value}")
        lines += [f"      {_arrow(e)}" for e in scenario.outgoing(node.id)]
    return "\n".join(lines)
