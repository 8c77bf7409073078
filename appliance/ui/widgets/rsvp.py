"""Rapid serial visual presentation: a passage shown one short phrase at a time."""

from __future__ import annotations

import re

from nicegui import ui


def phrases(text: str, words_per_phrase: int = 3) -> list[str]:
    """Split text into short phrases, breaking early at punctuation."""
    out: list[str] = []
    current: list[str] = []
    for word in re.findall(r"\S+", text):
        current.append(word)
        if len(current) >= words_per_phrase or word[-1] in ".,;:!?":
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out


class RsvpReader(ui.column):
    """Shows ``text`` phrase by phrase at an adjustable speed, with pause, replay and the full text on demand."""

    def __init__(self, text: str, wpm: int = 250) -> None:
        super().__init__()
        self.classes("w-full items-center gap-4")
        self._phrases = phrases(text)
        self._index = 0
        self._wpm = wpm
        with self:
            self._display = (
                ui.label("")
                .classes("text-3xl font-medium text-center min-h-[3rem]")
                .props('aria-live="polite"')
            )
            self._progress = ui.linear_progress(value=0, show_value=False).classes("w-full")
            with ui.row().classes("items-center gap-2"):
                self._pause = ui.button("Pause", icon="pause", on_click=self.toggle).props("size=lg")
                ui.button("Replay", icon="replay", on_click=self.replay).props("size=lg outline")
            with ui.row().classes("items-center w-full max-w-md gap-2"):
                ui.label("Speed")
                ui.slider(
                    min=100, max=600, step=25, value=wpm, on_change=lambda e: self._set_wpm(e.value)
                ).props("label-always").classes("grow").mark("rsvp-speed")
                ui.label("wpm")
            with ui.expansion("Show the full text").classes("w-full"):
                ui.markdown(text)
        self._timer = ui.timer(self._interval(), self._tick)

    def _interval(self) -> float:
        words = max(1, round(sum(len(p.split()) for p in self._phrases) / max(1, len(self._phrases))))
        return 60.0 * words / self._wpm

    def _set_wpm(self, wpm: float) -> None:
        self._wpm = int(wpm)
        self._timer.interval = self._interval()

    def _tick(self) -> None:
        if self._index >= len(self._phrases):
            self._timer.deactivate()
            self._pause.set_text("Done")
            return
        self._display.set_text(self._phrases[self._index])
        self._index += 1
        self._progress.set_value(self._index / len(self._phrases))

    def toggle(self) -> None:
        """Pause or resume."""
        if self._timer.active:
            self._timer.deactivate()
            self._pause.set_text("Resume")
        elif self._index < len(self._phrases):
            self._timer.activate()
            self._pause.set_text("Pause")

    def replay(self) -> None:
        """Start again from the first phrase."""
        self._index = 0
        self._pause.set_text("Pause")
        self._timer.activate()
