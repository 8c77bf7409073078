"""The scenario player: content (with RSVP), decisions with a graded rationale, fail-states, recovery, debrief."""

from __future__ import annotations

import functools

from fastapi.responses import RedirectResponse
from nicegui import ui

from appliance.auth import AuthError, Role, Session
from appliance.engine import (
    ContentNode,
    DecisionNode,
    EndNode,
    FailStateNode,
    Grade,
    RecoveryNode,
    Step,
    current_node,
)
from appliance.services import AttemptView, GradeRecord, PlayerError, RationaleRejected
from appliance.ui._context import guarded, io_bound, require, services
from appliance.ui._frame import frame
from appliance.ui.pages.catalogue import nav_for, open_attempt
from appliance.ui.widgets.case_notes import case_notes
from appliance.ui.widgets.decision_form import DecisionForm
from appliance.ui.widgets.feedback import feedback_card
from appliance.ui.widgets.prose import prose
from appliance.ui.widgets.rsvp import RsvpReader

_SEVERITY_COLOURS = {"minor": "amber-8", "moderate": "orange-9", "severe": "red-8", "critical": "red-10"}


class PlayerView:
    """Renders one attempt and drives it through the player service."""

    def __init__(self, session: Session, view: AttemptView) -> None:
        self.svc = services()
        self.session = session
        self.view = view
        self.feedback_step: Step | None = None
        self.feedback_grade: Grade | None = None  # with its evidence, from the grade record

    @ui.refreshable_method
    def render(self) -> None:
        """Draw the current node (or the feedback on the decision just made)."""
        view = self.view
        ui.label(view.scenario.title).classes("text-grey-8 text-lg")
        if self.feedback_step is not None:
            self._render_feedback(self.feedback_step)
            return
        node = current_node(view.scenario, view.state)
        ui.label(node.title).classes("text-h5").mark("node-title")
        if isinstance(node, ContentNode):
            self._render_content(node)
        elif isinstance(node, DecisionNode):
            self._render_decision(node)
        elif isinstance(node, FailStateNode):
            self._render_fail(node)
        elif isinstance(node, RecoveryNode):
            with ui.card().classes("w-full bg-blue-1"):
                ui.label("Recovery").classes("text-overline text-blue-9")
                prose(node.body)
            self._continue_button()
        elif isinstance(node, EndNode):
            self._render_end(node)

    def _continue_button(self, label: str = "Continue") -> None:
        ui.button(label, icon="arrow_forward", on_click=guarded(Role.LEARNER, self._advance)).props(
            "size=lg"
        ).classes("w-full").mark("continue")

    def _render_content(self, node: ContentNode) -> None:
        if node.rsvp:
            RsvpReader(node.body, node.rsvp_wpm).mark("rsvp")
        else:
            prose(node.body)
        if node.vitals:
            with ui.card().classes("w-full"):
                ui.label("Observations").classes("text-overline")
                with ui.grid(columns=2).classes("w-full gap-1"):
                    for name, value in node.vitals.items():
                        ui.label(name).classes("text-grey-8 text-lg")
                        ui.label(value).classes("text-lg font-medium")
        if node.ai_output:
            with ui.card().classes("w-full bg-purple-1").mark("ai-output"):
                ui.label(f"AI tool: {node.ai_output.tool}").classes("text-overline text-purple-9")
                prose(node.ai_output.text)
        self._continue_button()

    def _render_decision(self, node: DecisionNode) -> None:
        case_notes(self.view.scenario, self.view.state)
        prose(node.prompt)
        DecisionForm(node, self._submit_decision, guard=functools.partial(guarded, Role.LEARNER))

    async def _submit_decision(self, form: DecisionForm, choice_id: str, rationale: str | None) -> None:
        try:
            self.view = await self.svc.player.async_submit(
                self.session.user_id, self.view.attempt_id, self.view.revision, choice_id, rationale
            )
        except RationaleRejected as err:
            form.show_error(str(err))  # the text stays in the box: nothing is lost
            return
        except PlayerError as err:
            ui.notify(str(err), type="warning", multi_line=True)
            self.view = await io_bound(self.svc.player.get, self.session.user_id, self.view.attempt_id)
            self.render.refresh()
            return
        self.feedback_step = self.view.state.steps[-1]
        self.feedback_grade = self.view.last_grade
        self.render.refresh()

    def _render_feedback(self, step: Step) -> None:
        node = self.view.scenario.node(step.node_id)
        assert isinstance(node, DecisionNode)
        choice = node.choice(step.choice_id) if step.choice_id else None
        ui.label(f"Your action: {choice.label if choice else ''}").classes("text-lg font-medium")
        if step.grade is not None:
            feedback_card(self.feedback_grade or step.grade, node.rubric, choice)
        elif choice is not None and choice.feedback:
            prose(choice.feedback)

        def go_on() -> None:
            self.feedback_step, self.feedback_grade = None, None
            self.render.refresh()

        ui.button("Continue", icon="arrow_forward", on_click=go_on).props("size=lg").classes("w-full").mark(
            "continue"
        )

    def _render_fail(self, node: FailStateNode) -> None:
        colour = _SEVERITY_COLOURS[node.severity.value]
        with ui.card().classes("w-full bg-red-1").mark("fail-state"):
            with ui.row().classes("items-center gap-2"):
                ui.icon("warning", color=colour, size="lg")
                ui.label(f"Clinical consequence · {node.severity.value}").classes(f"text-h6 text-{colour}")
            prose(node.consequence)
        self._continue_button("See what happens next")

    def _render_end(self, node: EndNode) -> None:
        state = self.view.state
        outcome_colour = {"success": "positive", "partial": "warning", "failure": "negative"}[
            node.outcome.value
        ]
        ui.badge(node.outcome.value.upper(), color=outcome_colour).classes("text-lg px-3 py-1").mark(
            "outcome"
        )
        prose(node.debrief)
        with ui.card().classes("w-full").mark("summary"):
            ui.label("Your attempt").classes("text-h6")
            average = state.average_score
            ui.label(
                f"Decisions: {len(state.decisions)} · adverse outcomes: {len(state.fail_states)} · "
                f"average rationale score: {'n/a' if average is None else f'{average:.0%}'}"
            ).classes("text-lg")
            records: dict[str, GradeRecord] = {r.grade_id: r for r in self.view.grades}
            for step in state.decisions:
                decision = self.view.scenario.node(step.node_id)
                band = step.grade.band.value if step.grade else "not graded"
                record = records.get(step.rationale_id) if step.rationale_id else None
                if record is not None and record.override is not None:
                    band = f"{record.override.band.value} (reviewed by an educator)"
                elif step.grade and step.grade.needs_review:
                    band = "awaiting an educator (see your history)"
                ui.label(f"• {decision.title}: {band}").classes("text-lg")
        result = self.view.module_result
        if result is not None:
            with ui.card().classes("w-full").mark("module-result"):
                passed_on = self.view.module_passed_on
                if result.passed or passed_on is not None:
                    ui.label(f"Module passed: {self.view.module.title}").classes("text-h6 text-positive")
                    if not result.passed and passed_on is not None:
                        ui.label(
                            f"You passed it on {passed_on:%d %B %Y}; this replay does not change that."
                        ).classes("text-lg").mark("passed-before")
                        for reason in result.reasons:
                            ui.label(f"• This replay: {reason}").classes("text-lg")
                    for title in self.view.awarded:
                        with ui.row().classes("items-center gap-2"):
                            ui.icon("workspace_premium", color="amber-8", size="lg")
                            ui.label(f"Earned: {title}").classes("text-lg").mark("awarded")
                else:
                    ui.label("Module not passed yet").classes("text-h6")
                    for reason in result.reasons:
                        ui.label(f"• {reason}").classes("text-lg")
        with ui.row().classes("w-full gap-2"):
            ui.button("Back to training", icon="home", on_click=lambda: ui.navigate.to("/")).props("size=lg")
            again = functools.partial(open_attempt, self.view.module.id, self.view.scenario.id, True)
            ui.button("Play again", icon="replay", on_click=guarded(Role.LEARNER, again)).props(
                "size=lg outline"
            ).mark("play-again")

    async def _advance(self) -> None:
        try:
            self.view = await io_bound(
                self.svc.player.advance, self.session.user_id, self.view.attempt_id, self.view.revision
            )
        except PlayerError as err:
            ui.notify(str(err), type="warning")
            self.view = await io_bound(self.svc.player.get, self.session.user_id, self.view.attempt_id)
        self.render.refresh()


def _show(session: Session, view: AttemptView) -> None:
    svc = services()
    with frame(
        view.module.title,
        svc.site_name(),
        session.display_name,
        svc.settings.session_timeout_minutes,
        nav_for(session.roles),
    ):
        PlayerView(session, view).render()


async def play_page(module_id: str, scenario_id: str) -> RedirectResponse | None:  # type: ignore[return]
    """Resume the learner's attempt at one scenario (starting one when there is none: a deep link)."""
    session = require(Role.LEARNER)
    if isinstance(session, RedirectResponse):
        return session
    try:
        view = await io_bound(services().player.open, session.user_id, module_id, scenario_id, False)
    except PlayerError as err:
        with frame("Not found", services().site_name(), session.display_name):
            ui.label(str(err)).classes("text-lg").mark("player-error")
        return  # type: ignore[return-value]
    _show(session, view)


async def attempt_page(attempt_id: str) -> RedirectResponse | None:  # type: ignore[return]
    """Resume an attempt by id; only its own learner may open it."""
    session = require(Role.LEARNER)
    if isinstance(session, RedirectResponse):
        return session
    try:
        view = await io_bound(services().player.get, session.user_id, attempt_id)
    except (PlayerError, AuthError) as err:
        with frame("Not available", services().site_name(), session.display_name):
            ui.label(str(err)).classes("text-lg").mark("player-error")
        return  # type: ignore[return-value]
    _show(session, view)
