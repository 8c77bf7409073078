"""End to end in a real chromium on a tablet-sized screen: set up, add a nurse, play a module to its debrief."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Locator, Page, expect

from appliance.config import Settings
from appliance.engine import ChoiceRating, DecisionNode
from appliance.engine.curriculum import load_curriculum
from tests.browser.conftest import setup_code

pytestmark = pytest.mark.browser

SCENARIO = load_curriculum(Settings().curriculum_dir).module("ai-safety-sepsis").scenario("quiet-alert")
DECISIONS = {n.title: n for n in SCENARIO.nodes if isinstance(n, DecisionNode)}
GOOD_RATIONALE = (
    "The NeoSense score is low but it was calculated before these obs, and my own assessment worries me: "
    "more apnoeas and desats, a higher heart rate and temperature, mottled and handling poorly. A low score "
    "does not rule out sepsis, so I will escalate to the registrar now with an SBAR, ask for an urgent review "
    "and a septic screen, and stay with her repeating obs. I will document the score and why I overrode it."
)


async def _field(page: Page, label: str, value: str) -> None:
    await page.get_by_label(label, exact=True).fill(value)


async def _click_and_wait(button: Locator) -> None:
    """Click, then wait until the player has redrawn (the clicked button goes away)."""
    handle = await button.element_handle()
    await button.click()
    if handle is not None:
        await handle.wait_for_element_state("hidden")


async def test_nurse_plays_a_module_to_its_debrief_on_a_tablet(
    server: str, page: Page, shots: Path, tmp_path: Path
) -> None:
    await page.goto(server)
    await expect(page.get_by_text("Set up this appliance")).to_be_visible(timeout=20_000)
    await _field(page, "Setup code (e.g. ABCD-EFGH)", setup_code(tmp_path))
    await _field(page, "Site name (e.g. NICU, St Mary's)", "NICU, St Mary's")
    await _field(page, "Administrator staff ID", "A100")
    await _field(page, "Administrator name", "Ada Admin")
    await _field(page, "PIN (6-12 digits)", "402917")
    await _field(page, "PIN again", "402917")
    await page.screenshot(path=shots / "01-setup.png")
    await page.get_by_role("button", name="Create site and administrator").click()
    await page.get_by_role("button", name="I have kept the key").click()

    await expect(page.get_by_text("Add a user")).to_be_visible(timeout=20_000)
    await page.get_by_text("Add a user").click()
    await _field(page, "Staff ID", "N200")
    await _field(page, "Name", "Nia Nurse")
    await _field(page, "Starting PIN (6-12 digits)", "583920")
    await page.get_by_label("Hospital role", exact=True).click()
    await page.get_by_role("option", name="Neonatal (NICU / special care) nurse").click()
    await page.get_by_role("button", name="Add user").click()
    await expect(page.get_by_text("Added N200.")).to_be_visible()
    await page.screenshot(path=shots / "08-admin-users.png", full_page=True)
    await page.get_by_role("button", name="Sign out").click()
    await page.wait_for_url("**/login")

    await _field(page, "Staff ID", "N200")
    await _field(page, "PIN", "583920")
    await page.screenshot(path=shots / "02-sign-in.png")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_text("Your training")).to_be_visible(timeout=20_000)
    await page.screenshot(path=shots / "03-catalogue.png", full_page=True)
    await page.get_by_role("button", name="Start").first.click()

    decisions_made = 0
    saw = set()
    for _ in range(40):
        controls = page.get_by_role(
            "button", name=re.compile("^(Continue|Submit|See what happens next|Back to training)$")
        )
        await expect(controls.first).to_be_visible(timeout=20_000)
        if await page.get_by_role("button", name="Back to training").count():
            break
        submit = page.get_by_role("button", name="Submit")
        if await submit.count():
            title = await page.locator(".text-h5").nth(1).inner_text()
            decision = DECISIONS[title]
            # First decision: the unsafe choice, to meet a fail-state and its recovery; then the best one.
            rating = ChoiceRating.UNSAFE if decisions_made == 0 else ChoiceRating.BEST
            choice = next(c for c in decision.choices if c.rating is rating)
            await page.get_by_text(choice.label, exact=True).click()
            await page.get_by_placeholder("Write your reasoning").fill(GOOD_RATIONALE)
            if decisions_made == 1:
                await page.screenshot(path=shots / "05-decision.png", full_page=True)
            await submit.click()
            # A verdict, or "Awaiting an educator" when the grader was unsure (docs/review.md).
            verdict = page.get_by_text(re.compile("Rationale score|Awaiting an educator"))
            await expect(verdict.first).to_be_visible(timeout=30_000)
            if decisions_made == 1:
                await page.screenshot(path=shots / "06-feedback.png", full_page=True)
            decisions_made += 1
            saw.add("feedback")
            await _click_and_wait(page.get_by_role("button", name="Continue"))
            continue
        if await page.get_by_text("Clinical consequence").count():
            saw.add("fail")
            await page.screenshot(path=shots / "07-fail-state.png", full_page=True)
            await _click_and_wait(page.get_by_role("button", name="See what happens next"))
            continue
        if await page.get_by_text("Recovery", exact=True).count():
            saw.add("recovery")
        if await page.get_by_text("AI tool:").count() and "content" not in saw:
            saw.add("content")
            await page.screenshot(path=shots / "04-content.png", full_page=True)
        await _click_and_wait(page.get_by_role("button", name="Continue"))
    await expect(page.get_by_text("Your attempt")).to_be_visible()
    await page.screenshot(path=shots / "09-debrief.png", full_page=True)
    assert decisions_made >= 2 and {"fail", "recovery", "feedback"} <= saw


async def test_keyboard_only_sign_in_and_a_phone_sized_catalogue(
    server: str, page: Page, shots: Path, tmp_path: Path
) -> None:
    await page.goto(server)
    await _field(page, "Setup code (e.g. ABCD-EFGH)", setup_code(tmp_path))
    await _field(page, "Site name (e.g. NICU, St Mary's)", "NICU")
    await _field(page, "Administrator staff ID", "A100")
    await _field(page, "Administrator name", "Ada Admin")
    await _field(page, "PIN (6-12 digits)", "402917")
    await _field(page, "PIN again", "402917")
    await page.get_by_role("button", name="Create site and administrator").click()
    await page.get_by_role("button", name="I have kept the key").click()
    await expect(page.get_by_text("Add a user")).to_be_visible(timeout=20_000)
    await page.get_by_role("button", name="Sign out").click()
    await page.wait_for_url("**/login")

    await page.set_viewport_size({"width": 390, "height": 844})
    await expect(page.get_by_label("Staff ID", exact=True)).to_be_focused()  # autofocus: no tapping needed
    await page.keyboard.type("A100")
    await page.keyboard.press("Tab")
    await page.keyboard.type("402917")
    await page.keyboard.press("Enter")
    await expect(page.get_by_text("Your training")).to_be_visible(timeout=20_000)
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page scrolls sideways on a phone by {overflow}px"
    await page.screenshot(path=shots / "10-phone-catalogue.png", full_page=True)
    start = page.get_by_role("button", name="Start").first
    await start.focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("button", name="Continue")).to_be_visible(timeout=20_000)
