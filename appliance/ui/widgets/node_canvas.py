"""The node editor canvas: Vue Flow (vendored, offline) drawing a graph that Python owns."""

from __future__ import annotations

from typing import Any

from nicegui import ui
from nicegui.events import GenericEventArguments, Handler

from appliance.engine import DecisionNode, Scenario
from appliance.engine.validation import Problem
from appliance.services import edits

_EVENTS = ("add", "connect", "move", "delete", "select", "undo", "redo")


def _subtitle(node: Any) -> str:
    return str(getattr(node, "title", ""))


def graph_of(
    scenario: Scenario, problems: tuple[Problem, ...] | list[Problem], selected: str | None = None
) -> dict[str, Any]:
    """The graph the canvas draws: nodes with kind, title, choices and problems; edges with guards in words."""
    by_node: dict[str, list[str]] = {}
    for problem in problems:
        if problem.node_id:
            by_node.setdefault(problem.node_id, []).append(problem.message)
    nodes = []
    for i, node in enumerate(scenario.nodes):
        x, y = node.position or (float((i % 6) * 280), float((i // 6) * 180))
        data: dict[str, Any] = {
            "kind": node.kind,
            "title": _subtitle(node),
            "start": node.id == scenario.start,
            "problems": by_node.get(node.id, []),
        }
        if isinstance(node, DecisionNode):
            data["choices"] = [{"id": c.id, "label": c.label, "rating": c.rating.value} for c in node.choices]
        nodes.append(
            {"id": node.id, "position": {"x": x, "y": y}, "data": data, "selected": node.id == selected}
        )
    kinds = {n.id: n.kind for n in scenario.nodes}
    edges = []
    for edge in scenario.edges:
        classes = []
        if kinds.get(edge.target) == "fail":
            classes.append("ward-edge-fail")
        elif kinds.get(edge.source) in ("fail", "recovery"):
            classes.append("ward-edge-recovery")
        if edge.guard:
            classes.append("ward-edge-guarded")
        label = edge.label or edits.describe_guard(edge.guard, scenario)
        edges.append(
            {
                "id": edits.edge_key(edge),
                "source": edge.source,
                "target": edge.target,
                "sourceHandle": edge.choice or "out",
                "targetHandle": "in",
                "label": label,
                "class": " ".join(classes),
            }
        )
    return {"nodes": nodes, "edges": edges}


class NodeCanvas(ui.element, component="node_canvas.js", esm={"vueflow": "../vendor/vueflow"}):
    """Draws the scenario; proposes edits through events (``add``, ``connect``, ``move``, ``delete``, ...)."""

    def __init__(self, flow_id: str = "ward-editor") -> None:
        super().__init__()
        self._props["flowId"] = flow_id
        self._props["graph"] = {"nodes": [], "edges": []}
        self.style("height: 70vh; width: 100%; border: 1px solid #ccc; border-radius: 8px")

    def show(self, graph: dict[str, Any]) -> None:
        """Send a new graph to the browser."""
        self._props["graph"] = graph
        self.update()

    def on_edit(self, event: str, handler: Handler[GenericEventArguments]) -> NodeCanvas:
        """Handle one of the canvas's proposals."""
        if event not in _EVENTS:
            raise ValueError(f"unknown canvas event {event!r}")
        self.on(event, handler)
        return self

    def layout(self) -> None:
        """Ask the browser to lay the graph out with dagre (it proposes the positions as a ``move``)."""
        self.run_method("layout")

    def focus_node(self, node_id: str) -> None:
        """Pan and zoom to a node."""
        self.run_method("focusNode", node_id)
