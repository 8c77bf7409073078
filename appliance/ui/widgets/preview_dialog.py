"""The editor's preview: play from any node as a learner would, graded by the real grader, recording nothing."""

from __future__ import annotations

from nicegui import ui

from appliance.engine import ContentNode, DecisionNode, EndNode, FailStateNode, RecoveryNode, current_node
from appliance.services import EditRefused, RationaleRejected
from appliance.services.authoring import Preview, PreviewGrader, preview_continue, preview_decide
from appliance.ui._context import io_bound
from appliance.ui.widgets.prose import prose


def preview_dialog(start: Preview, grader: PreviewGrader) -> None:
    """Open a dialog that plays ``start`` on; the play-through lives only in this dialog."""
    state = {"preview": start}
    with ui.dialog().props("maximized=false") as dialog, ui.card().classes("w-[40rem] max-w-full"):
        ui.label("Preview (nothing is recorded)").classes("text-overline text-purple-9")

        @ui.refreshable
        def body() -> None:
            preview: Preview = state["preview"]
            if preview.last_grade is not None:
                g = preview.last_grade
                ui.label(
                    f"Rationale score {g.score:.0%} · {g.band.value} · {'passed' if g.passed else 'not passed'}"
                ).classes("text-lg").mark("preview-grade")
            node = current_node(preview.scenario, preview.state)
            ui.label(node.title).classes("text-h6").mark("preview-title")
            if isinstance(node, ContentNode | RecoveryNode):
                prose(node.body)
            elif isinstance(node, FailStateNode):
                prose(node.consequence)
            elif isinstance(node, EndNode):
                prose(node.debrief)
                ui.label(f"Outcome: {node.outcome.value}")
                return
            if isinstance(node, DecisionNode):
                prose(node.prompt)
                pick = ui.radio({c.id: c.label for c in node.choices}).mark("preview-choices")
                why = (
                    ui.textarea(node.rationale_prompt)
                    .props("outlined")
                    .classes("w-full")
                    .mark("preview-rationale")
                )

                async def submit() -> None:
                    if not pick.value:
                        ui.notify("Pick a choice.")
                        return
                    try:
                        state["preview"] = await io_bound(
                            preview_decide, state["preview"], grader, pick.value, why.value or ""
                        )
                    except (EditRefused, RationaleRejected) as err:
                        ui.notify(str(err), type="warning")
                        return
                    body.refresh()

                ui.button("Submit", on_click=submit).mark("preview-submit")
            else:

                def go_on() -> None:
                    try:
                        state["preview"] = preview_continue(state["preview"])
                    except EditRefused as err:
                        ui.notify(str(err), type="warning")
                        return
                    body.refresh()

                ui.button("Continue", on_click=go_on).mark("preview-continue")

        body()
        ui.button("Close preview", on_click=dialog.close).props("flat")
    dialog.open()
