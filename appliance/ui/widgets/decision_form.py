"""The form a learner answers a decision with: a choice, a rationale with a live word count, and Submit."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from nicegui import ui

from appliance.engine import DecisionNode

SubmitHandler = Callable[["DecisionForm", str, str | None], Awaitable[None]]
"""Called with the form, the chosen choice id and the rationale (None when the decision asks for none)."""
Guard = Callable[[Callable[[], Awaitable[None]]], Callable[..., Awaitable[None]]]


def word_count(text: str) -> int:
    """Words in a rationale, as the hint counts them."""
    return len(re.findall(r"\w+", text))


class DecisionForm(ui.column):
    """Asks for a choice (and a rationale when the decision needs one); :meth:`submit` hands them on."""

    def __init__(self, node: DecisionNode, on_submit: SubmitHandler, guard: Guard | None = None) -> None:
        """:param guard: wraps the Submit click (e.g. a check that the session is still live)."""
        super().__init__()
        self.classes("w-full gap-2 p-0")
        self._node = node
        self._on_submit = on_submit
        self._rationale: ui.textarea | None = None
        with self:
            self._choice = (
                ui.radio({c.id: c.label for c in node.choices})
                .classes("ward-choice w-full")
                .props('aria-label="Your action"')
                .mark("choices")
            )
            if node.requires_rationale:
                self._rationale_box(node)
            self._error = (
                ui.label("").classes("text-negative text-lg").props('role="alert"').mark("decision-error")
            )
            self._spinner = ui.row().classes("items-center gap-2")
            self._spinner.set_visibility(False)
            with self._spinner:
                ui.spinner(size="lg")
                ui.label("Grading your reasoning on this device…").classes("text-lg")
            self._button = (
                ui.button("Submit", icon="send", on_click=guard(self.submit) if guard else self.submit)
                .props("size=lg")
                .classes("w-full")
                .mark("submit")
            )

    def _rationale_box(self, node: DecisionNode) -> None:
        ui.label(node.rationale_prompt).classes("text-lg font-medium mt-2")
        box = self._rationale = (
            ui.textarea(placeholder="Write your reasoning as you would explain it to a colleague.")
            .props("outlined autogrow")
            .classes("w-full text-lg")
            .mark("rationale")
        )
        hint = ui.label(f"Aim for at least {node.min_words} words.").classes("text-grey-8").mark("word-hint")

        def update_hint() -> None:
            words = word_count(box.value or "")
            short = words < node.min_words
            hint.set_text(f"{words} words" + (f" · aim for at least {node.min_words}" if short else " ✓"))

        box.on_value_change(update_hint)

    def show_error(self, message: str) -> None:
        """Show why the answer was not taken (the text stays in the box: nothing is lost)."""
        self._error.set_text(message)

    async def submit(self) -> None:
        """Check the answer is complete, then hand it to the submit handler with the form busy."""
        if not self._choice.value:
            self.show_error("Choose an action first.")
            return
        text = (self._rationale.value or "") if self._rationale is not None else None
        if text is not None and not text.strip():
            self.show_error("Write a few words on why you chose this action.")
            return
        self.show_error("")
        self._button.disable()
        self._spinner.set_visibility(True)
        try:
            await self._on_submit(self, str(self._choice.value), text)
        finally:
            self._spinner.set_visibility(False)
            self._button.enable()
