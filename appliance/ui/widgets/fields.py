"""Small form fields for the editor's side panel that save when the author leaves them (blur or Enter)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from nicegui import ui

Save = Callable[[Any], Awaitable[None]]


def text(
    label: str, value: str, save: Save, *, multiline: bool = False, marker: str | None = None
) -> ui.element:
    """A text field that saves its value on blur (and on Enter for one-line fields) when it changed."""
    field: ui.input | ui.textarea
    if multiline:
        field = ui.textarea(label, value=value).props("outlined autogrow dense").classes("w-full")
    else:
        field = ui.input(label, value=value).props("outlined dense").classes("w-full")
    last = {"value": value}

    async def changed() -> None:
        if field.value != last["value"]:
            last["value"] = field.value
            await save(field.value)

    field.on("blur", changed)
    if not multiline:
        field.on("keydown.enter", changed)
    if marker:
        field.mark(marker)
    return field


def lines(label: str, values: Sequence[str], save: Save, *, marker: str | None = None) -> ui.element:
    """A textarea holding one item per line (phrasings); saves the list of non-empty lines."""

    async def split(value: str) -> None:
        await save([line.strip() for line in (value or "").splitlines() if line.strip()])

    return text(label, "\n".join(values), split, multiline=True, marker=marker)


def number(
    label: str,
    value: float,
    save: Save,
    *,
    low: float,
    high: float,
    step: float = 1,
    marker: str | None = None,
) -> ui.number:
    """A number field that saves on blur."""
    field = (
        ui.number(label, value=value, min=low, max=high, step=step).props("outlined dense").classes("w-full")
    )
    last = {"value": value}

    async def changed() -> None:
        if field.value is not None and field.value != last["value"]:
            last["value"] = field.value
            await save(field.value)

    field.on("blur", changed)
    field.on("keydown.enter", changed)
    if marker:
        field.mark(marker)
    return field


def choice(
    label: str, options: dict[str, str] | list[str], value: Any, save: Save, *, marker: str | None = None
) -> ui.select:
    """A select that saves as soon as it changes."""

    last = {"value": value}

    async def changed(event: Any) -> None:
        if event.value != last["value"]:
            last["value"] = event.value
            await save(event.value)

    field = (
        ui.select(options, label=label, value=value, on_change=changed)
        .props("outlined dense")
        .classes("w-full")
    )
    if marker:
        field.mark(marker)
    return field


def toggle(label: str, value: bool, save: Save, *, marker: str | None = None) -> ui.switch:
    """A switch that saves as soon as it changes."""

    last = {"value": value}

    async def changed(event: Any) -> None:
        if bool(event.value) != last["value"]:
            last["value"] = bool(event.value)
            await save(bool(event.value))

    field = ui.switch(label, value=value, on_change=changed)
    if marker:
        field.mark(marker)
    return field
