"""The learner's history: past attempts, each graded answer, and what an educator decided about it."""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from appliance.auth import Role
from appliance.engine import DecisionNode
from appliance.services import GradeRecord, PlayerError
from appliance.ui._context import io_bound, require, services
from appliance.ui._frame import frame
from appliance.ui.pages.catalogue import nav_for

AWAITING = "Awaiting an educator"


def result_line(record: GradeRecord) -> tuple[str, str]:
    """What the learner is told about one graded answer, and its colour."""
    review = record.override
    if review is not None:
        verdict = "passed" if review.passed else "not passed yet"
        return f"Reviewed by an educator: {review.band.value}, {review.score:.0%}, {verdict}", (
            "positive" if review.passed else "warning"
        )
    if record.grade.needs_review:
        return AWAITING, "grey-7"
    verdict = "passed" if record.grade.passed else "not passed yet"
    return f"{record.grade.band.value}, {record.grade.score:.0%}, {verdict}", (
        "positive" if record.grade.passed else "warning"
    )


def _title(module_id: str, scenario_id: str, node_id: str) -> str:
    try:
        node = services().curriculum.scenario(module_id, scenario_id).node(node_id)
    except (PlayerError, KeyError):
        return node_id
    return node.title if isinstance(node, DecisionNode) else node_id


async def history_page() -> RedirectResponse | None:  # type: ignore[return]
    """The signed-in learner's attempts and graded answers, newest first."""
    session = require(Role.LEARNER)
    if isinstance(session, RedirectResponse):
        return session
    svc = services()
    progress = await io_bound(svc.store.progress, session.user_id)
    by_attempt: dict[str, list[GradeRecord]] = {}
    for record in progress.grades:
        by_attempt.setdefault(record.attempt_id, []).append(record)
    with frame(
        "Your history",
        svc.site_name(),
        session.display_name,
        svc.settings.session_timeout_minutes,
        nav_for(session.roles),
    ):
        if not progress.attempts:
            ui.label("You have not played a scenario yet.").classes("text-lg").mark("history-empty")
        for attempt in progress.attempts:
            try:
                scenario = svc.curriculum.scenario(attempt.module_id, attempt.scenario_id).title
            except PlayerError:
                scenario = attempt.scenario_id
            with ui.card().classes("w-full").mark(f"attempt-{attempt.attempt_id}"):
                with ui.row().classes("items-center justify-between w-full"):
                    ui.label(scenario).classes("text-h6")
                    ui.label(f"{attempt.started_at:%d %b %Y %H:%M} · {attempt.status.value}").classes(
                        "text-grey-8"
                    )
                for record in sorted(by_attempt.get(attempt.attempt_id, ()), key=lambda r: r.created_at):
                    text, colour = result_line(record)
                    with ui.column().classes("gap-0 w-full"):
                        ui.label(_title(record.module_id, record.scenario_id, record.node_id)).classes(
                            "text-lg font-medium"
                        )
                        ui.label(text).classes(f"text-base text-{colour}").mark("history-result")
                        if record.override and record.override.feedback:
                            ui.label(f"Educator: {record.override.feedback}").classes(
                                "text-base italic whitespace-pre-wrap"
                            ).mark("history-feedback")
                if attempt.status.value == "active":
                    ui.button(
                        "Resume",
                        icon="play_arrow",
                        on_click=lambda a=attempt.attempt_id: ui.navigate.to(f"/attempt/{a}"),
                    ).props("outline")
