"""The editor's side panel: the selected node's fields, choices and rubric; a link's condition; the scenario."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import ui

from appliance.engine import (
    AIOutput,
    ChoiceRating,
    ContentNode,
    DecisionNode,
    EndNode,
    FailStateNode,
    HarmSeverity,
    Module,
    Outcome,
    RecoveryNode,
    Scenario,
)
from appliance.services import edits
from appliance.services.edits import Condition
from appliance.ui.widgets import fields
from appliance.ui.widgets.prose import normalise_markdown
from appliance.ui.widgets.rubric_panel import rubric_editor

Apply = Callable[..., Awaitable[None]]
_RATINGS = {r.value: r.value.capitalize() for r in ChoiceRating}


def node_editor(
    scenario: Scenario,
    node_id: str,
    apply: Apply,
    actions: dict[str, Callable[..., Awaitable[None]]],
) -> None:
    """Draw the fields of one node; ``actions`` holds ``preview``, ``doctor`` and ``delete``."""
    node = scenario.node(node_id)

    def field_saver(name: str) -> fields.Save:
        async def save(value: Any) -> None:
            await apply(edits.update_node, node_id, **{name: value})

        return save

    with ui.row().classes("w-full items-center justify-between"):
        ui.label(f"{node.kind.capitalize()} node").classes("text-h6")
        with ui.row().classes("gap-1"):
            if node_id != scenario.start:
                ui.button(
                    icon="flag_circle", on_click=lambda: apply(edits.set_start, node_id, redraw=True)
                ).props("flat round").tooltip("Make this the start")
            ui.button(icon="play_circle", on_click=lambda: actions["preview"](node_id)).props(
                "flat round"
            ).tooltip("Preview from here").mark("preview-here")
            ui.button(icon="delete", on_click=lambda: actions["delete"](node_id)).props(
                "flat round color=negative"
            ).tooltip("Delete node").mark("delete-node")

    async def rename(value: Any) -> None:
        await apply(edits.rename_node, node_id, str(value).strip(), select=str(value).strip(), redraw=True)

    fields.text("Id", node.id, rename, marker="node-id")
    fields.text("Title", node.title, field_saver("title"), marker="node-title")
    if isinstance(node, ContentNode):
        body = fields.text(
            "Text (Markdown: **bold**, - lists)",
            node.body,
            field_saver("body"),
            multiline=True,
            marker="node-body",
        )
        _as_learner_sees(body, node.body)
        with ui.row().classes("w-full items-center no-wrap"):
            fields.toggle("Read as RSVP", node.rsvp, field_saver("rsvp"), marker="node-rsvp")
            fields.number(
                "Words a minute",
                node.rsvp_wpm,
                field_saver("rsvp_wpm"),
                low=60,
                high=900,
                step=10,
                marker="node-wpm",
            )

        async def ai_tool(value: Any) -> None:
            text = node.ai_output.text if node.ai_output else "What the tool showed."
            await apply(
                edits.update_node, node_id, ai_output=AIOutput(tool=value, text=text) if value else None
            )

        async def ai_text(value: Any) -> None:
            tool = node.ai_output.tool if node.ai_output else "AI tool"
            await apply(
                edits.update_node, node_id, ai_output=AIOutput(tool=tool, text=value) if value else None
            )

        async def vitals(value: Any) -> None:
            pairs = [line.split(":", 1) for line in value if ":" in line]
            await apply(
                edits.update_node, node_id, vitals={k.strip(): v.strip() for k, v in pairs if k.strip()}
            )

        fields.lines(
            "Observations, one a line (HR: 186)",
            [f"{k}: {v}" for k, v in node.vitals.items()],
            vitals,
            marker="node-vitals",
        )
        fields.text("AI tool name (optional)", node.ai_output.tool if node.ai_output else "", ai_tool)
        fields.text(
            "What the AI tool showed", node.ai_output.text if node.ai_output else "", ai_text, multiline=True
        )
    elif isinstance(node, DecisionNode):
        _decision(scenario, node, apply, field_saver, actions)
    elif isinstance(node, FailStateNode):
        fields.text("Clinical consequence", node.consequence, field_saver("consequence"), multiline=True)
        fields.choice(
            "HarmSeverity", [s.value for s in HarmSeverity], node.severity.value, field_saver("severity")
        )
    elif isinstance(node, RecoveryNode):
        _as_learner_sees(
            fields.text("Text", node.body, field_saver("body"), multiline=True, marker="node-body"), node.body
        )
    elif isinstance(node, EndNode):
        fields.choice("Outcome", [o.value for o in Outcome], node.outcome.value, field_saver("outcome"))
        fields.text("Debrief", node.debrief, field_saver("debrief"), multiline=True)
    if isinstance(node, ContentNode | FailStateNode | RecoveryNode):
        leads_to(scenario, node_id, None, apply)


def _as_learner_sees(field: ui.element, text: str) -> None:
    """A folded preview of the text as the player renders it, following the field as the author types."""
    with ui.expansion("As the learner sees it", icon="visibility").classes("w-full").props("dense"):
        shown = ui.markdown(normalise_markdown(text)).classes("text-lg").mark("learner-view")
    if isinstance(field, ui.input | ui.textarea):
        field.on_value_change(lambda e: shown.set_content(normalise_markdown(e.value or "")))


def leads_to(scenario: Scenario, node_id: str, choice_id: str | None, apply: Apply) -> None:
    """A "Leads to" picker: the same link a drag on the canvas makes, for keyboards and small screens."""
    current = next(
        (e.target for e in scenario.outgoing(node_id, choice_id) if e.choice == choice_id and not e.guard),
        None,
    )
    options = {n.id: f"{n.title} ({n.id})" for n in scenario.nodes if n.id != node_id}

    async def link(target: Any) -> None:
        if target:
            await apply(edits.connect, node_id, target, choice_id)

    marker = f"leads-to-{choice_id}" if choice_id else "leads-to"
    fields.choice("Leads to", options, current, link, marker=marker)


def _decision(
    scenario: Scenario,
    node: DecisionNode,
    apply: Apply,
    field_saver: Callable[[str], fields.Save],
    actions: dict[str, Callable[..., Awaitable[None]]],
) -> None:
    nid = node.id
    fields.text("Prompt", node.prompt, field_saver("prompt"), multiline=True, marker="node-prompt")
    ui.label("Choices (drag from a choice's dot on the canvas to where it leads)").classes(
        "text-subtitle1 font-medium"
    )
    for choice in node.choices:
        with ui.card().classes("w-full p-2 gap-1").mark(f"choice-{choice.id}"):

            async def label(v: Any, c: str = choice.id) -> None:
                await apply(edits.update_choice, nid, c, label=v, redraw_canvas=True)

            async def rating(v: Any, c: str = choice.id) -> None:
                await apply(edits.update_choice, nid, c, rating=v)

            async def feedback(v: Any, c: str = choice.id) -> None:
                await apply(edits.update_choice, nid, c, feedback=v)

            fields.text(f"Choice {choice.id}", choice.label, label, marker=f"choice-label-{choice.id}")
            with ui.row().classes("w-full items-center no-wrap"):
                fields.choice(
                    "Rating", _RATINGS, choice.rating.value, rating, marker=f"choice-rating-{choice.id}"
                )
                ui.button(
                    icon="delete",
                    on_click=lambda c=choice.id: apply(edits.remove_choice, nid, c, redraw=True),
                ).props("flat round color=negative").tooltip("Remove choice")
            fields.text("Feedback after this choice", choice.feedback, feedback, multiline=True)
            leads_to(scenario, nid, choice.id, apply)
            _effects(scenario, nid, choice.id, choice.effects, apply)
    ui.button("Add choice", icon="add", on_click=lambda: apply(edits.add_choice, nid, redraw=True)).props(
        "flat"
    ).mark("add-choice")
    fields.toggle("Ask for a written rationale", node.requires_rationale, field_saver("requires_rationale"))
    if node.requires_rationale:
        fields.text("Rationale question", node.rationale_prompt, field_saver("rationale_prompt"))
        fields.number("Suggested minimum words", node.min_words, field_saver("min_words"), low=0, high=500)
    ui.separator()
    rubric_editor(node, apply, lambda: actions["doctor"](nid))


def _effects(scenario: Scenario, nid: str, cid: str, effects: dict[str, Any], apply: Apply) -> None:
    if not scenario.variables:
        return
    for name, value in effects.items():
        with ui.row().classes("items-center gap-2"):
            ui.label(f"Sets {name} to {value}").classes("text-grey-8")

            async def drop(n: str = name) -> None:
                await apply(
                    edits.update_choice,
                    nid,
                    cid,
                    effects={k: v for k, v in effects.items() if k != n},
                    redraw=True,
                )

            ui.button(icon="close", on_click=drop).props("flat round dense")
    with ui.row().classes("w-full items-center no-wrap gap-1"):
        variable = (
            ui.select(list(scenario.variables), label="Set variable").props("outlined dense").classes("w-1/2")
        )
        value = ui.input("to").props("outlined dense").classes("w-1/3")

        async def add() -> None:
            if not variable.value:
                return
            kind = scenario.variables[variable.value].type
            await apply(
                edits.update_choice,
                nid,
                cid,
                effects={**effects, variable.value: _typed(value.value, kind)},
                redraw=True,
            )

        ui.button(icon="add", on_click=add).props("flat round dense")


def _typed(raw: Any, kind: str) -> bool | float | str:
    text = str(raw or "").strip()
    if kind == "bool":
        return text.lower() in ("yes", "true", "1", "y")
    if kind == "number":
        try:
            return float(text)
        except ValueError:
            return text  # refused with a plain message by the edit
    return text


def edge_editor(scenario: Scenario, key: str, apply: Apply, delete: Callable[[], Awaitable[None]]) -> None:
    """The condition on one link, built from pickers."""
    edge = next(e for e in scenario.edges if edits.edge_key(e) == key)
    ui.label("Link").classes("text-h6")
    ui.label(f"{edge.source}{' / ' + edge.choice if edge.choice else ''} → {edge.target}").classes(
        "text-grey-8"
    )
    ui.label(edits.describe_guard(edge.guard, scenario) or "Always (no condition)").classes("text-lg").mark(
        "guard-words"
    )
    parsed = edits.conditions_of(edge.guard) if edge.guard else ("all", [])
    if parsed is None:
        ui.label("This condition was written by hand; you can clear it and build it again.").classes(
            "text-grey-8"
        )
        parsed = ("all", [])
    join, rows = parsed
    known = edits.subjects(scenario)
    state: dict[str, Any] = {
        "join": join,
        "rows": [dict(subject=r.subject, op=r.op, value=r.value) for r in rows],
    }

    @ui.refreshable
    def pickers() -> None:
        for i, row in enumerate(state["rows"]):
            with ui.row().classes("w-full items-center no-wrap gap-1"):
                ui.select({k: v[0] for k, v in known.items()}, label="What").bind_value(row, "subject").props(
                    "outlined dense"
                ).classes("w-2/5").mark(f"guard-subject-{i}")
                ui.select(edits.OPERATORS, label="How").bind_value(row, "op").props("outlined dense").classes(
                    "w-1/4"
                )
                ui.input("Value").bind_value(row, "value").props("outlined dense").classes("w-1/4").mark(
                    f"guard-value-{i}"
                )

                def drop(n: int = i) -> None:
                    state["rows"].pop(n)
                    pickers.refresh()

                ui.button(icon="close", on_click=drop).props("flat round dense")

    ui.select({"all": "All of these", "any": "Any of these"}, label="When").bind_value(state, "join").props(
        "outlined dense"
    )
    pickers()

    def add_row() -> None:
        first = next(iter(known))
        state["rows"].append({"subject": first, "op": "==", "value": "yes"})
        pickers.refresh()

    async def save() -> None:
        conditions = [
            Condition(
                r["subject"], r["op"], _typed(r["value"], _kind(known.get(r["subject"], ("", "string"))[1]))
            )
            for r in state["rows"]
        ]
        await apply(_guarded, key, conditions, state["join"], redraw=True, select_edge=key)

    with ui.row().classes("gap-2"):
        ui.button("Add condition", icon="add", on_click=add_row).props("flat").mark("add-condition")
        ui.button("Save condition", icon="check", on_click=save).mark("save-condition")
        ui.button("Delete link", icon="delete", on_click=delete).props("flat color=negative").mark(
            "delete-link"
        )


def _kind(kind: str) -> str:
    return {"band": "string"}.get(kind, kind)


def _guarded(scenario: Scenario, key: str, conditions: list[Condition], join: Any) -> Scenario:
    return edits.set_edge_guard(scenario, key, edits.build_guard(scenario, conditions, join))


def scenario_editor(
    scenario: Scenario, apply: Apply, module: Module, save_module: Callable[..., Awaitable[None]]
) -> None:
    """The module's and the scenario's own settings, and the scenario's variables."""

    def saver(name: str) -> fields.Save:
        async def save(value: Any) -> None:
            await apply(edits.update_scenario, **{name: value})

        return save

    async def module_title(value: Any) -> None:
        await save_module(title=value)

    async def module_description(value: Any) -> None:
        await save_module(description=value)

    async def module_minutes(value: Any) -> None:
        await save_module(minutes=int(value))

    ui.label("Module").classes("text-h6")
    ui.label("Select a node or a link on the canvas to edit it.").classes("text-grey-8")
    fields.text("Module title", module.title, module_title, marker="module-title-field")
    fields.text(
        "Description (shown in the catalogue)", module.description, module_description, multiline=True
    )
    fields.number("About how many minutes", module.minutes, module_minutes, low=1, high=240)
    ui.label("Scenario").classes("text-h6")
    fields.text("Scenario title", scenario.title, saver("title"), marker="scenario-title")
    fields.text("Summary", scenario.summary, saver("summary"), multiline=True)
    ui.label("Variables").classes("text-subtitle1 font-medium")
    for name, var in scenario.variables.items():
        with ui.row().classes("items-center gap-2"):
            ui.label(f"{name} ({var.type}, starts {var.default})")
            ui.button(
                icon="close", on_click=lambda n=name: apply(edits.remove_variable, n, redraw=True)
            ).props("flat round dense")
    with ui.row().classes("w-full items-center no-wrap gap-1"):
        name = ui.input("Name").props("outlined dense").mark("var-name")  # type: ignore[assignment]
        kind = ui.select(["bool", "number", "string"], value="bool", label="Type").props("outlined dense")
        default = ui.input("Starts as", value="no").props("outlined dense")

        async def add() -> None:
            await apply(
                edits.set_variable,
                (name.value or "").strip(),  # type: ignore[attr-defined]
                kind.value,
                _typed(default.value, kind.value),
                redraw=True,
            )

        ui.button(icon="add", on_click=add).props("flat round").mark("add-variable")
