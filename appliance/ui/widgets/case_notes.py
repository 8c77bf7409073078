"""The case so far, to reread while writing at a decision: the narrative, observations and AI output seen."""

from __future__ import annotations

from nicegui import ui

from appliance.engine import ContentNode, PlayState, Scenario
from appliance.ui.widgets.prose import prose


def case_notes(scenario: Scenario, state: PlayState) -> ui.expansion | None:
    """A closed expansion with every content node the learner passed through, oldest first (None if none)."""
    seen: list[ContentNode] = []
    for step in state.steps:
        node = scenario.node(step.node_id)
        if isinstance(node, ContentNode) and node not in seen:
            seen.append(node)
    if not seen:
        return None
    with (
        ui.expansion("Reread the case", icon="menu_book")
        .classes("w-full bg-grey-1")
        .mark("case-notes") as box
    ):
        for node in seen:
            ui.label(node.title).classes("text-lg font-medium")
            prose(node.body)
            if node.vitals:
                with ui.grid(columns=2).classes("w-full gap-1"):
                    for name, value in node.vitals.items():
                        ui.label(name).classes("text-grey-8")
                        ui.label(value).classes("font-medium")
            if node.ai_output:
                with ui.card().classes("w-full bg-purple-1"):
                    ui.label(f"AI tool: {node.ai_output.tool}").classes("text-overline text-purple-9")
                    prose(node.ai_output.text)
    return box
