"""Feedback on a graded rationale: band, score, key points met and missed, red flags."""

from __future__ import annotations

from nicegui import ui

from appliance.engine import Band, Choice, Grade, Rubric
from appliance.ui.widgets.prose import prose

_BAND_COLOURS = {
    Band.STRONG: "positive",
    Band.ADEQUATE: "primary",
    Band.INSUFFICIENT: "warning",
    Band.UNSAFE: "negative",
}


def feedback_card(grade: Grade, rubric: Rubric | None, choice: Choice | None) -> ui.card:
    """Render the learner-facing feedback for one decision."""
    with ui.card().classes("w-full").mark("feedback") as card:
        if grade.needs_review:  # the grader was unsure: no verdict until an educator has looked
            ui.badge("Awaiting an educator", color="grey-7").classes("text-lg px-3 py-1").mark("awaiting")
            ui.label(
                "The grader was not sure about this answer, so an educator will review it. "
                "Their result will appear in your history."
            ).classes("text-lg")
        else:
            with ui.row().classes("items-center gap-3"):
                ui.badge(grade.band.value.upper(), color=_BAND_COLOURS[grade.band]).classes(
                    "text-lg px-3 py-1"
                )
                ui.label(f"Rationale score {grade.score:.0%}").classes("text-xl")
        if rubric is not None and not grade.needs_review:  # lead with the rubric's words, then the lists
            prose(rubric.feedback.passed if grade.passed else rubric.feedback.failed)
        elif grade.feedback:
            prose(grade.feedback)
        if rubric is not None and grade.key_points:
            met = [kp for kp in grade.key_points if kp.met]
            missed = [kp for kp in grade.key_points if not kp.met]
            if met:
                ui.label("What your reasoning covered").classes("text-lg font-medium mt-2")
                for result in met:
                    with ui.row().classes("items-start gap-2 no-wrap"):
                        ui.icon("check_circle", color="positive", size="md")
                        with ui.column().classes("gap-0"):
                            ui.label(rubric.key_point(result.key_point_id).text).classes("text-lg")
                            if result.evidence:
                                ui.label(f"“{result.evidence}”").classes("text-sm italic text-grey-8")
            if missed:
                ui.label("What to think about next time").classes("text-lg font-medium mt-2")
                for result in missed:
                    with ui.row().classes("items-start gap-2 no-wrap"):
                        ui.icon(
                            "error" if result.critical else "radio_button_unchecked",
                            color="negative" if result.critical else "warning",
                            size="md",
                        )
                        label = rubric.key_point(result.key_point_id).text
                        ui.label(label + (" (essential)" if result.critical else "")).classes("text-lg")
        if rubric is not None and grade.red_flags:
            texts = {rf.id: rf.text for rf in rubric.red_flags}
            ui.label("Unsafe reasoning to avoid").classes("text-lg font-medium mt-2 text-negative")
            for flag in grade.red_flags:
                with ui.row().classes("items-start gap-2 no-wrap"):
                    ui.icon("report", color="negative", size="md")
                    ui.label(texts.get(flag, flag)).classes("text-lg")
        if choice is not None and choice.feedback:
            ui.separator()
            ui.label("About the action you chose").classes("text-lg font-medium")
            prose(choice.feedback)
        ui.label(f"Graded on this device by {grade.model_id} {grade.model_version}").classes(
            "text-xs text-grey-7"
        )
    return card
