"""Authors' text rendered as Markdown, forgiving about lists written straight after a sentence."""

from __future__ import annotations

import re

from nicegui import ui

_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


def normalise_markdown(text: str) -> str:
    """Put a blank line before a list that starts right after a paragraph line (markdown2 needs one)."""
    lines = text.splitlines()
    out: list[str] = []
    for line in lines:
        starts_list = bool(_LIST_ITEM.match(line))
        previous = out[-1] if out else ""
        if starts_list and previous.strip() and not _LIST_ITEM.match(previous):
            out.append("")
        out.append(re.sub(r"^(\s*)•\s+", r"\1- ", line))
    return "\n".join(out)


def prose(text: str) -> ui.markdown:
    """Render curriculum text (narrative, prompts, debriefs) at a readable size."""
    return ui.markdown(normalise_markdown(text)).classes("text-lg")
