"""The rubric editor in the side panel: key points, red flags, labelled exemplars, threshold, feedback, doctor."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import ui

from appliance.engine import DecisionNode
from appliance.services import edits
from appliance.services.authoring import DoctorReport
from appliance.ui.widgets import fields

Apply = Callable[..., Awaitable[None]]


def rubric_editor(node: DecisionNode, apply: Apply, doctor: Callable[[], Awaitable[None]]) -> None:
    """Draw the rubric of ``node``; every change goes through ``apply(edit, *args, redraw=..)``."""
    rubric = node.rubric
    nid = node.id
    if rubric is None:
        ui.label("No rubric: the rationale here is not graded.").classes("text-grey-8")
        ui.button("Add rubric", icon="add", on_click=lambda: apply(edits.add_rubric, nid, redraw=True)).mark(
            "add-rubric"
        )
        return
    ui.label("Key points").classes("text-subtitle1 font-medium")
    for kp in rubric.key_points:
        with ui.card().classes("w-full p-2 gap-1").mark(f"kp-{kp.id}"):

            async def kp_text(v: Any, k: str = kp.id) -> None:
                await apply(edits.update_key_point, nid, k, text=v)

            async def kp_weight(v: Any, k: str = kp.id) -> None:
                await apply(edits.update_key_point, nid, k, weight=float(v))

            async def kp_critical(v: Any, k: str = kp.id) -> None:
                await apply(edits.update_key_point, nid, k, critical=v)

            async def kp_phrasings(v: Any, k: str = kp.id) -> None:
                await apply(edits.update_key_point, nid, k, phrasings=v)

            fields.text(f"Key point {kp.id}", kp.text, kp_text, multiline=True, marker=f"kp-text-{kp.id}")
            with ui.row().classes("w-full items-center no-wrap"):
                fields.number(
                    "Weight", kp.weight, kp_weight, low=0.1, high=10, step=0.5, marker=f"kp-weight-{kp.id}"
                )
                fields.toggle("Critical", kp.critical, kp_critical, marker=f"kp-critical-{kp.id}")
                ui.button(
                    icon="delete",
                    on_click=lambda k=kp.id: apply(edits.remove_key_point, nid, k, redraw=True),
                ).props("flat round color=negative").tooltip("Remove key point")
            fields.lines("Other phrasings (one a line)", kp.phrasings, kp_phrasings, marker=f"kp-phr-{kp.id}")
    ui.button(
        "Add key point", icon="add", on_click=lambda: apply(edits.add_key_point, nid, redraw=True)
    ).props("flat").mark("add-key-point")

    ui.label("Red flags").classes("text-subtitle1 font-medium")
    for rf in rubric.red_flags:
        with ui.card().classes("w-full p-2 gap-1").mark(f"rf-{rf.id}"):

            async def rf_text(v: Any, r: str = rf.id) -> None:
                await apply(edits.update_red_flag, nid, r, text=v)

            async def rf_phrasings(v: Any, r: str = rf.id) -> None:
                await apply(edits.update_red_flag, nid, r, phrasings=v)

            with ui.row().classes("w-full items-start no-wrap"):
                fields.text(f"Red flag {rf.id}", rf.text, rf_text, multiline=True, marker=f"rf-text-{rf.id}")
                ui.button(
                    icon="delete", on_click=lambda r=rf.id: apply(edits.remove_red_flag, nid, r, redraw=True)
                ).props("flat round color=negative")
            fields.lines("Other phrasings (one a line)", rf.phrasings, rf_phrasings)
    ui.button("Add red flag", icon="add", on_click=lambda: apply(edits.add_red_flag, nid, redraw=True)).props(
        "flat"
    ).mark("add-red-flag")

    ui.label("Exemplars (your graded examples)").classes("text-subtitle1 font-medium")
    kp_options = {kp.id: kp.id for kp in rubric.key_points}
    rf_options = {rf.id: rf.id for rf in rubric.red_flags}
    for i, ex in enumerate(rubric.exemplars):
        with ui.card().classes("w-full p-2 gap-1").mark(f"exemplar-{i}"):

            async def ex_text(v: Any, n: int = i) -> None:
                await apply(edits.update_exemplar, nid, n, text=v)

            async def ex_score(v: Any, n: int = i) -> None:
                await apply(edits.update_exemplar, nid, n, score=float(v))

            async def ex_met(e: Any, n: int = i) -> None:
                await apply(edits.update_exemplar, nid, n, met=tuple(e.value or ()))

            async def ex_flags(e: Any, n: int = i) -> None:
                await apply(edits.update_exemplar, nid, n, red_flags=tuple(e.value or ()))

            fields.text(f"Exemplar {i + 1}", ex.text, ex_text, multiline=True, marker=f"ex-text-{i}")
            fields.number(
                "Your score (0-1)", ex.score, ex_score, low=0, high=1, step=0.05, marker=f"ex-score-{i}"
            )
            ui.select(
                kp_options, multiple=True, value=list(ex.met), label="Meets key points", on_change=ex_met
            ).props("outlined dense use-chips").classes("w-full")
            if rf_options:
                ui.select(
                    rf_options,
                    multiple=True,
                    value=list(ex.red_flags),
                    label="Shows red flags",
                    on_change=ex_flags,
                ).props("outlined dense use-chips").classes("w-full")
            ui.button(
                "Remove",
                icon="delete",
                on_click=lambda n=i: apply(edits.remove_exemplar, nid, n, redraw=True),
            ).props("flat dense color=negative")
    with ui.card().classes("w-full p-2 gap-1"):
        new_text = (
            ui.textarea("New exemplar rationale")
            .props("outlined dense autogrow")
            .classes("w-full")
            .mark("new-exemplar")
        )
        new_score = ui.number("Your score (0-1)", value=0.8, min=0, max=1, step=0.05).props("outlined dense")

        async def add_exemplar() -> None:
            if (new_text.value or "").strip():
                await apply(
                    edits.add_exemplar, nid, new_text.value.strip(), float(new_score.value or 0), redraw=True
                )

        ui.button("Add exemplar", icon="add", on_click=add_exemplar).props("flat").mark("add-exemplar")

    async def threshold(v: Any) -> None:
        await apply(edits.set_threshold, nid, float(v))

    async def passed(v: Any) -> None:
        await apply(edits.set_feedback, nid, passed=v)

    async def failed(v: Any) -> None:
        await apply(edits.set_feedback, nid, failed=v)

    fields.number(
        "Pass threshold (0-1)",
        rubric.pass_threshold,
        threshold,
        low=0.05,
        high=1,
        step=0.05,
        marker="threshold",
    )
    fields.text("Feedback when passed", rubric.feedback.passed, passed, multiline=True)
    fields.text("Feedback when not passed", rubric.feedback.failed, failed, multiline=True)
    ui.button("Check rubric with the grader", icon="fact_check", on_click=doctor).mark("doctor")


def doctor_report(report: DoctorReport) -> None:
    """Show the rubric doctor's findings."""
    if not report.exemplars and not report.warnings:
        ui.label("Nothing to check yet: add exemplars.").classes("text-grey-8")
    for check in report.exemplars:
        verdict = "agrees" if check.agrees else "disagrees"
        colour = "text-positive" if check.agrees else "text-negative"
        detail = f"grader {check.grader_score:.0%} ({'pass' if check.grader_passed else 'fail'}), " + (
            f"you: {'pass' if check.label_passed else 'fail'}"
        )
        if check.missed:
            detail += f"; grader did not find {', '.join(check.missed)}"
        if check.extra:
            detail += f"; grader also found {', '.join(check.extra)}"
        ui.label(f"Exemplar {check.index + 1}: grader {verdict} - {detail}").classes(colour).mark(
            f"doctor-exemplar-{check.index}"
        )
    for warning in report.warnings:
        with ui.row().classes("items-center no-wrap gap-1"):
            ui.icon("warning", color="orange-9")
            ui.label(warning).classes("text-orange-10").mark("doctor-warning")
