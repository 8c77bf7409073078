"""The node editor in a real chromium: build a scenario from a blank canvas, publish it, play it as a learner."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Locator, Page, expect

from tests.browser.conftest import setup_code

pytestmark = pytest.mark.browser

_TRANSFORMS = """() => Object.fromEntries(['start', 'end-1', 'decision-1'].map(
  (id) => [id, document.querySelector(`.vue-flow__node[data-id="${id}"]`).style.transform]))"""
RATIONALE = (
    "I escalate now because a low AI score does not overrule a worrying bedside assessment, and I hand "
    "over with SBAR so the registrar can review her quickly."
)


async def _set_up(page: Page, server: str, tmp_path: Path) -> None:
    await page.goto(server)
    await expect(page.get_by_text("Set up this appliance")).to_be_visible(timeout=20_000)
    for label, value in (
        ("Setup code (e.g. ABCD-EFGH)", setup_code(tmp_path)),
        ("Site name (e.g. NICU, St Mary's)", "NICU"),
        ("Administrator staff ID", "A100"),
        ("Administrator name", "Ada Admin"),
        ("PIN (6-12 digits)", "402917"),
        ("PIN again", "402917"),
    ):
        await page.get_by_label(label, exact=True).fill(value)
    await page.get_by_role("button", name="Create site and administrator").click()
    await page.get_by_role("button", name="I have kept the key").click()
    await expect(page.get_by_text("Add a user")).to_be_visible(timeout=20_000)
    await page.get_by_text("Add a user").click()
    await page.get_by_label("Staff ID", exact=True).fill("N200")
    await page.get_by_label("Name", exact=True).fill("Nia Nurse")
    await page.get_by_label("Starting PIN (6-12 digits)", exact=True).fill("583920")
    await page.get_by_role("button", name="Add user").click()
    await expect(page.get_by_text("Added N200.")).to_be_visible()


def _node(page: Page, node_id: str) -> Locator:
    return page.locator(f'.vue-flow__node[data-id="{node_id}"]')


async def _drag(page: Page, source: Locator, target: Locator) -> None:
    """Press on ``source``, move in steps to the centre of ``target`` and release (a real pointer drag)."""
    await source.hover()
    await page.mouse.down()
    box = await target.bounding_box()
    assert box is not None
    await page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=12)
    await page.mouse.up()


async def _drag_by(page: Page, source: Locator, dx: float, dy: float) -> None:
    """Drag ``source`` by (dx, dy) pixels with a real pointer."""
    box = await source.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    await page.mouse.move(x, y)
    await page.mouse.down()
    await page.mouse.move(x + dx, y + dy, steps=8)
    await page.mouse.up()


async def _place(page: Page, kind: str, x: float, y: float) -> None:
    """Drag a kind from the palette onto the canvas at (x, y) from the canvas's top-left corner."""
    canvas = page.locator(".vue-flow")
    await page.locator(f'[data-palette="{kind}"]').drag_to(canvas, target_position={"x": x, "y": y})


async def test_author_builds_publishes_and_a_learner_plays(
    server: str, page: Page, shots: Path, tmp_path: Path
) -> None:
    await page.set_viewport_size({"width": 1400, "height": 1000})
    await _set_up(page, server, tmp_path)
    await page.goto(f"{server}/author")
    await page.get_by_label("Module title").fill("Escalation drill")
    await page.get_by_role("button", name="Create").click()
    await page.wait_for_url("**/author/escalation-drill", timeout=45_000)
    await expect(_node(page, "start")).to_be_visible(timeout=20_000)
    await page.screenshot(path=shots / "11-editor-blank.png")

    # Create nodes from the palette (drag and drop onto the canvas).
    await _place(page, "decision", 420, 220)
    await expect(_node(page, "decision-1")).to_be_visible(timeout=10_000)
    await _place(page, "end", 420, 470)
    await expect(_node(page, "end-1")).to_be_visible(timeout=10_000)

    # Drag-connect: start -> decision, then the decision's first choice -> end.
    await _drag(
        page,
        _node(page, "start").locator('[data-handleid="out"]'),
        _node(page, "decision-1").locator('[data-handleid="in"]'),
    )
    await expect(page.locator('.vue-flow__edge[data-id="start/->decision-1"]')).to_have_count(
        1, timeout=10_000
    )
    await _drag(
        page,
        _node(page, "decision-1").locator('[data-handleid="c1"]'),
        _node(page, "end-1").locator('[data-handleid="in"]'),
    )
    await expect(page.locator('.vue-flow__edge[data-id="decision-1/c1->end-1"]')).to_have_count(
        1, timeout=10_000
    )

    # A link selected on the canvas opens its condition (built from pickers) in the side panel.
    await page.locator('.vue-flow__edge[data-id="decision-1/c1->end-1"]').dispatch_event("click")
    await expect(page.get_by_text("Always (no condition)")).to_be_visible(timeout=10_000)

    # The decision asks for a rationale but has no rubric: a marker on the node and a problem in the list.
    marker = _node(page, "decision-1").locator(".ward-problem-badge")
    await expect(marker).to_be_visible()
    await expect(page.get_by_text("has no rubric")).to_be_visible()
    await page.screenshot(path=shots / "12-editor-problem-marker.png")

    # Edit the rubric in the side panel: the marker clears.
    await _node(page, "decision-1").locator(".ward-node-title").click()
    await page.get_by_role("button", name="Add rubric").click()
    await expect(marker).to_have_count(0, timeout=10_000)
    await expect(page.get_by_text("No problems: this scenario can be published.")).to_be_visible()
    key_point = page.get_by_label("Key point kp-1")
    await key_point.fill("A low score does not overrule a worrying bedside assessment.")
    await key_point.blur()
    await expect(page.get_by_text("Saved. Draft revision")).to_be_visible()
    await page.screenshot(path=shots / "13-editor-rubric.png")

    # Undo twice (the key point text, then the rubric): the marker comes back; redo clears it again.
    await page.get_by_role("button", name="Undo").click()
    await expect(page.get_by_text("Undone.")).to_be_visible()
    await page.get_by_role("button", name="Undo").click()
    await expect(marker).to_be_visible(timeout=10_000)
    await page.get_by_role("button", name="Redo").click()
    await page.get_by_role("button", name="Redo").click()
    await expect(marker).to_have_count(0, timeout=10_000)

    # Delete from the keyboard, and move two selected nodes at once.
    await _place(page, "recovery", 150, 470)
    await expect(_node(page, "recovery-1")).to_be_visible(timeout=10_000)
    await _node(page, "recovery-1").locator(".ward-node-title").click()
    await page.keyboard.press("Delete")
    await expect(_node(page, "recovery-1")).to_have_count(0, timeout=10_000)
    before = await page.evaluate(_TRANSFORMS)
    await _node(page, "start").locator(".ward-node-title").click()
    await _node(page, "end-1").locator(".ward-node-title").click(modifiers=["Shift"])
    await _drag_by(page, _node(page, "end-1").locator(".ward-node-title"), -60, 0)
    moved_together = (
        f"(b) => {{ const t = ({_TRANSFORMS})();"
        " return t.start !== b.start && t['end-1'] !== b['end-1'] && t['decision-1'] === b['decision-1']; }"
    )
    await page.wait_for_function(moved_together, arg=before)
    await expect(page.get_by_text("Saved. Draft revision")).to_be_visible()

    # Auto-layout (dagre) proposes new positions; the server saves them like any move.
    laid_out = await page.evaluate(_TRANSFORMS)
    await page.locator('[data-tool="layout"]').click()
    await page.wait_for_function(
        f"(b) => {{ const t = ({_TRANSFORMS})(); return t.start !== b.start || t['decision-1'] !== b['decision-1']; }}",
        arg=laid_out,
    )

    # Publish with a change note.
    await page.get_by_role("button", name="Publish").click()
    await page.get_by_label("Change note (required): what changed and why").fill("First version.")
    await page.wait_for_timeout(600)  # let the dialog finish fading in for the screenshot
    await page.screenshot(path=shots / "14-editor-publish.png")
    await page.locator(".q-dialog").get_by_role("button", name="Publish").click()
    await expect(page.get_by_text("Published version 1.0.0")).to_be_visible(timeout=20_000)

    # A learner can then play it.
    await page.get_by_role("button", name="Sign out").click()
    await page.wait_for_url("**/login")
    await page.get_by_label("Staff ID", exact=True).fill("N200")
    await page.get_by_label("PIN", exact=True).fill("583920")
    await page.get_by_role("button", name="Sign in").click()
    card = page.locator(".q-card").filter(has_text="Escalation drill")
    await expect(card).to_be_visible(timeout=20_000)
    await card.get_by_role("button", name="Start").click()
    await page.get_by_role("button", name="Continue").click()
    await page.get_by_text("First action", exact=True).click()
    await page.get_by_placeholder("Write your reasoning").fill(RATIONALE)
    await page.get_by_role("button", name="Submit").click()
    await expect(page.get_by_text("Rationale score")).to_be_visible(timeout=30_000)
    await page.get_by_role("button", name="Continue").click()
    await expect(page.get_by_text("What this path teaches.")).to_be_visible(timeout=20_000)
    await page.screenshot(path=shots / "15-learner-plays-authored.png", full_page=True)
