"""The node editor (``/author/{module_id}``): canvas, side panel, problems, undo/redo, preview, publish.

The server owns the graph: canvas events are proposals that :class:`EditSession` validates, applies and
autosaves; the page then sends the new graph back. Role checks happen here, on the server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from fastapi.responses import RedirectResponse
from nicegui import background_tasks, ui
from nicegui.events import GenericEventArguments

from appliance.auth import Role, Session, has_role
from appliance.engine import DecisionNode
from appliance.services import AuthoringError, DraftConflict, EditRefused, PublishRefused, edits
from appliance.services.authoring import EditOutcome, EditSession, examine, preview_from
from appliance.ui._context import current_session, io_bound, require, services
from appliance.ui._frame import frame
from appliance.ui.pages.catalogue import nav_for
from appliance.ui.widgets.history_dialog import history_dialog
from appliance.ui.widgets.node_canvas import NodeCanvas, graph_of
from appliance.ui.widgets.node_panel import edge_editor, node_editor, scenario_editor
from appliance.ui.widgets.preview_dialog import preview_dialog
from appliance.ui.widgets.rubric_panel import doctor_report


class Editor:
    """One author's editor page over one edit session."""

    def __init__(self, session: EditSession, user: Session) -> None:
        self.svc = services()
        self.session = session
        self.user = user
        self.selected: str | None = None
        self.selected_edge: str | None = None
        self.doctor_node: str | None = None  # once checked, the rubric is re-checked after every edit
        self.lock = asyncio.Lock()
        self.canvas: NodeCanvas
        self.status: ui.label
        self.conflict: ui.row

    # ---- applying edits -------------------------------------------------------------------------------------
    async def apply(
        self,
        edit: Callable[..., Any],
        *args: Any,
        redraw: bool = False,
        select: str | None = None,
        select_edge: str | None = None,
        redraw_canvas: bool = True,
        **kwargs: Any,
    ) -> EditOutcome | None:
        """Run an edit on the server, autosave, then redraw what it changed."""
        if not self.still_author():
            return None
        async with self.lock:
            try:
                outcome = await io_bound(self.session.apply, edit, *args, **kwargs)
            except EditRefused as err:
                ui.notify(str(err), type="warning")
                self.redraw_canvas()
                return None
            except DraftConflict as err:
                self.show_conflict(str(err))
                self.redraw_canvas()  # the edit is kept here, unsaved, until the author chooses
                return None
        if isinstance(outcome.result, str) and outcome.result in {n.id for n in outcome.scenario.nodes}:
            select = select or outcome.result
        if select is not None:
            self.selected, self.selected_edge = select, None
            redraw = True
        if select_edge is not None:
            self.selected_edge = (
                select_edge if select_edge in {edits.edge_key(e) for e in outcome.scenario.edges} else None
            )
        self.after(outcome, redraw=redraw, redraw_canvas=redraw_canvas)
        if self.doctor_node is not None and self.doctor_node == self.selected:
            background_tasks.create(self.doctor(self.doctor_node), name="rubric-doctor")
        return outcome

    def still_author(self) -> bool:
        """False (and off to sign-in) when the session ended or lost the author role since the page loaded."""
        session = current_session()
        if session is None or not has_role(session.roles, Role.AUTHOR):
            ui.navigate.to("/login")
            return False
        return True

    def after(self, outcome: EditOutcome, *, redraw: bool = True, redraw_canvas: bool = True) -> None:
        """Redraw after an edit, undo or reload."""
        ids = {n.id for n in outcome.scenario.nodes}
        if self.selected not in ids:
            self.selected = None
        if self.selected_edge not in {edits.edge_key(e) for e in outcome.scenario.edges}:
            self.selected_edge = None
        if redraw_canvas:
            self.redraw_canvas()
        if redraw:
            self.panel.refresh()
        self.problems.refresh()
        self.set_status(outcome.message)

    def redraw_canvas(self) -> None:
        """Send the current graph (with problems on their nodes) to the browser."""
        self.canvas.show(graph_of(self.session.scenario, self.session.problems(), self.selected))

    def set_status(self, message: str) -> None:
        """Show the save state."""
        others = self.svc.authoring.others_editing(self.session.module.id, self.session.user_id)
        text = f"{message} Draft revision {self.session.revision}."
        if others:
            text += f" Also editing now: {', '.join(others)}."
        self.status.set_text(text.strip())

    def show_conflict(self, message: str) -> None:
        """Warn that another author saved; offer to reload theirs or keep ours."""
        self.conflict_text.set_text(message)
        self.conflict.set_visibility(True)

    async def resolve(self, keep_mine: bool) -> None:
        """Settle a conflict: reload the stored draft, or save ours over it on purpose."""
        action = self.session.keep_mine if keep_mine else self.session.reload
        async with self.lock:
            try:
                outcome = await io_bound(action)
            except DraftConflict as err:  # saved again elsewhere meanwhile: ask again
                self.show_conflict(str(err))
                return
        self.conflict.set_visibility(False)
        self.after(outcome)

    async def apply_module(self, **fields: Any) -> None:
        """Change the module's own title, description or minutes (autosaved and undoable)."""
        if not self.still_author():
            return
        async with self.lock:
            try:
                outcome = await io_bound(lambda: self.session.update_module(**fields))
            except EditRefused as err:
                ui.notify(str(err), type="warning")
                return
            except DraftConflict as err:
                self.show_conflict(str(err))
                return
        self.after(outcome, redraw=False)
        self.title.set_text(self.session.module.title)

    async def undo(self, redo: bool = False) -> None:
        """Undo (or redo) the last edit of this session."""
        if not self.still_author():
            return
        async with self.lock:
            try:
                outcome = await io_bound(self.session.redo if redo else self.session.undo)
            except EditRefused as err:
                ui.notify(str(err))
                return
            except DraftConflict as err:
                self.show_conflict(str(err))
                return
        self.after(outcome)

    # ---- canvas events --------------------------------------------------------------------------------------
    async def on_add(self, e: GenericEventArguments) -> None:
        try:
            kind, at = str(e.args["kind"]), (float(e.args["x"]), float(e.args["y"]))
        except (KeyError, TypeError, ValueError):
            return  # a malformed proposal: the browser is not trusted
        await self.apply(edits.add_node, kind, at)

    async def on_connect(self, e: GenericEventArguments) -> None:
        try:
            source, target, choice = str(e.args["source"]), str(e.args["target"]), e.args.get("choice")
        except (KeyError, TypeError):
            return
        outcome = await self.apply(edits.connect, source, target, str(choice) if choice else None)
        if outcome is not None and isinstance(outcome.result, str):
            ui.notify(outcome.result)

    async def on_move(self, e: GenericEventArguments) -> None:
        try:
            positions = {str(n["id"]): (float(n["x"]), float(n["y"])) for n in e.args["nodes"]}
        except (KeyError, TypeError, ValueError):
            return
        await self.apply(edits.move_nodes, positions, redraw_canvas=bool(e.args.get("layout")))

    async def on_delete(self, e: GenericEventArguments) -> None:
        try:
            nodes, links = (
                [str(n) for n in e.args.get("nodes", [])],
                [str(k) for k in e.args.get("edges", [])],
            )
        except (AttributeError, TypeError):
            return
        await self.apply(edits.remove_selection, nodes, links, redraw=True)

    def on_select(self, e: GenericEventArguments) -> None:
        args = e.args if isinstance(e.args, dict) else {}
        self.doctor_node = None
        self.selected = str(args["node"]) if args.get("node") else None
        self.selected_edge = str(args["edge"]) if args.get("edge") else None
        self.panel.refresh()

    async def delete_node(self, node_id: str) -> None:
        await self.apply(edits.remove_selection, [node_id], [], redraw=True)

    async def delete_edge(self) -> None:
        if self.selected_edge:
            await self.apply(edits.remove_selection, [], [self.selected_edge], redraw=True)

    # ---- drawing --------------------------------------------------------------------------------------------
    def build(self) -> None:
        """Lay out the page."""
        module = self.session.module
        with ui.row().classes("w-full items-center gap-2"):
            self.title = ui.label(module.title).classes("text-h6").mark("module-title")
            if len(module.scenarios) > 1:
                ui.select(
                    {s.id: s.title for s in module.scenarios},
                    value=self.session.scenario_id,
                    on_change=self.pick_scenario,
                ).props("outlined dense")
            ui.space()
            ui.button("Undo", icon="undo", on_click=lambda: self.undo()).props("flat").mark("undo")
            ui.button("Redo", icon="redo", on_click=lambda: self.undo(redo=True)).props("flat").mark("redo")
            ui.button("Auto-layout", icon="account_tree", on_click=lambda: self.canvas.layout()).props("flat")
            ui.button("Preview", icon="play_arrow", on_click=lambda: self.preview(None)).props("flat").mark(
                "preview"
            )
            ui.button("History", icon="history", on_click=self.history).props("flat").mark("history")
            ui.button("Export JSON", icon="download", on_click=self.export).props("flat")
            ui.button("Publish", icon="publish", on_click=self.publish_dialog).props("color=positive").mark(
                "publish"
            )
        self.status = ui.label("").classes("text-grey-8").mark("save-status")
        with ui.row().classes("w-full items-center bg-orange-1 p-2 rounded") as self.conflict:
            ui.icon("warning", color="orange-9")
            self.conflict_text = ui.label("").classes("text-orange-10").mark("conflict")
            ui.button("Reload their version", on_click=lambda: self.resolve(False)).props("flat").mark(
                "reload-theirs"
            )
            ui.button("Keep mine (save over theirs)", on_click=lambda: self.resolve(True)).props(
                "flat color=negative"
            )
        self.conflict.set_visibility(False)
        with ui.row().classes("w-full no-wrap items-start gap-3"):
            with ui.column().classes("gap-2").style("flex: 3; min-width: 0"):
                self.canvas = NodeCanvas().mark("canvas")
                for name, handler in (
                    ("add", self.on_add),
                    ("connect", self.on_connect),
                    ("move", self.on_move),
                    ("delete", self.on_delete),
                    ("select", self.on_select),
                    ("undo", lambda _: self.undo()),
                    ("redo", lambda _: self.undo(redo=True)),
                ):
                    self.canvas.on_edit(name, handler)
                self.problems()
            with (
                ui.column()
                .classes("gap-2 p-2")
                .style("flex: 2; min-width: 320px; max-height: 85vh; overflow-y: auto")
            ):
                self.panel()
        self.redraw_canvas()
        self.set_status("Every change is saved as a draft on this appliance.")

    @ui.refreshable_method
    def problems(self) -> None:
        """The validation problems, each jumping to its node."""
        problems = self.session.problems()
        with ui.column().classes("w-full gap-1").mark("problems"):
            if not problems:
                ui.label("No problems: this scenario can be published.").classes("text-positive").mark(
                    "no-problems"
                )
                return
            ui.label(f"{len(problems)} problem(s) to fix before publishing").classes(
                "text-negative font-medium"
            )
            for problem in problems:
                where = problem.node_id or "scenario"

                async def jump(node_id: str | None = problem.node_id) -> None:
                    if node_id:
                        self.selected, self.selected_edge = node_id, None
                        self.canvas.focus_node(node_id)
                        self.redraw_canvas()
                        self.panel.refresh()

                ui.button(f"{where}: {problem.message}", icon="error_outline", on_click=jump).props(
                    "flat dense no-caps align=left color=negative"
                ).classes("w-full").mark(f"problem-{problem.code.value}")

    @ui.refreshable_method
    def panel(self) -> None:
        """The side panel for the selection."""
        scenario = self.session.scenario
        actions = {"preview": self.preview, "doctor": self.doctor, "delete": self.delete_node}
        with ui.column().classes("w-full gap-2").mark("panel"):
            if self.selected_edge and self.selected_edge in {edits.edge_key(e) for e in scenario.edges}:
                edge_editor(scenario, self.selected_edge, self.apply, self.delete_edge)  # type: ignore[arg-type]
            elif self.selected and self.selected in {n.id for n in scenario.nodes}:
                node_editor(scenario, self.selected, self.apply, actions)  # type: ignore[arg-type]
            else:
                scenario_editor(scenario, self.apply, self.session.module, self.apply_module)  # type: ignore[arg-type]
            self.doctor_area = ui.column().classes("w-full gap-1").mark("doctor-report")

    async def pick_scenario(self, e: Any) -> None:
        self.after(self.session.select_scenario(e.value))

    # ---- dialogs --------------------------------------------------------------------------------------------
    async def doctor(self, node_id: str) -> None:
        """Grade every exemplar with the real grader and show disagreements and warnings."""
        if node_id not in {n.id for n in self.session.scenario.nodes}:
            return
        node = self.session.scenario.node(node_id)
        if not isinstance(node, DecisionNode):
            return
        self.doctor_node = node_id
        area = self.doctor_area
        area.clear()
        with area:
            ui.spinner()
        report = await io_bound(examine, self.svc.grader, node)
        if area.is_deleted:
            area = self.doctor_area  # the panel was redrawn meanwhile
        area.clear()
        with area:
            doctor_report(report)

    async def publish_dialog(self) -> None:
        """Ask for a change note, then publish (only a clean draft)."""
        with ui.dialog() as dialog, ui.card().classes("w-96"):
            ui.label("Publish a new version").classes("text-h6")
            problems = self.session.problems()
            if problems:
                ui.label(f"Fix the {len(problems)} problem(s) first.").classes("text-negative")
            note = (
                ui.textarea("Change note (required): what changed and why")
                .props("outlined")
                .classes("w-full")
                .mark("change-note")
            )
            error = ui.label("").classes("text-negative").mark("publish-error")

            async def go() -> None:
                if not self.still_author():
                    return
                try:
                    record = await io_bound(self.session.publish, note.value or "")
                except PublishRefused as err:
                    error.set_text(str(err))
                    return
                dialog.close()
                ui.notify(
                    f"Published version {record.version}. Learners get it from their next attempt.",
                    type="positive",
                )
                self.after(
                    EditOutcome(
                        self.session.scenario,
                        self.session.problems(),
                        f"Published {record.version}.",
                        self.session.revision,
                    )
                )

            with ui.row():
                ui.button("Publish", on_click=go).props("color=positive").mark("confirm-publish")
                ui.button("Cancel", on_click=dialog.close).props("flat")
        dialog.open()

    async def history(self) -> None:
        """Published versions with their notes: restore into the draft, or export."""
        module_id = self.session.module.id
        versions = await io_bound(self.svc.authoring.history, module_id)

        async def restore(version: str) -> None:
            if self.still_author():
                self.after(await io_bound(self.session.restore, version))

        def export(version: str) -> None:
            ui.download.content(self.svc.authoring.export(module_id, version), f"{module_id}-{version}.json")

        history_dialog(versions, restore, export)

    def export(self) -> None:
        """Download the draft as the project's JSON."""
        ui.download.content(
            self.svc.authoring.export_draft(self.session), f"{self.session.module.id}-draft.json"
        )

    async def preview(self, node_id: str | None) -> None:
        """Play from a node as a learner would; graded by the real grader; nothing is recorded."""
        try:
            preview_dialog(preview_from(self.session.scenario, node_id), self.svc.grader)
        except AuthoringError as err:
            ui.notify(str(err), type="warning")


async def editor_page(module_id: str) -> RedirectResponse | None:
    """The node editor for one module (authors and admins only)."""
    user = require(Role.AUTHOR)
    if isinstance(user, RedirectResponse):
        return user
    svc = services()
    try:
        session = await io_bound(svc.authoring.open, module_id, user.user_id, user.display_name)
    except AuthoringError:
        return RedirectResponse("/author?missing=1", status_code=303)
    editor = Editor(session, user)
    ui.context.client.on_disconnect(lambda: svc.authoring.close(session))
    with frame(
        "Edit scenario",
        svc.site_name(),
        user.display_name,
        svc.settings.session_timeout_minutes,
        nav_for(user.roles),
    ) as column:
        column.classes(remove="max-w-3xl", add="max-w-none")
        editor.build()
    return None
