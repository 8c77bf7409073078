"""The educator's side in a real chromium on a tablet: override from the queue, dashboard plots, learner history."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from appliance.config import load_settings
from appliance.services import open_services
from tests.services.flows import plan, play_module

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    """A site with a nurse who played the module (one borderline answer) and a reviewer, before the server."""
    data = tmp_path / "ward-data"
    svc = open_services(load_settings(data_dir=data, grader_warm_up=False))
    try:
        admin = svc.auth.provision("NICU, St Mary's", "A100", "Ada Admin", "402917")
        nurse = svc.auth.create_user(admin.user_id, "N200", "Nia Nurse", ("learner",), "nicu-nurse", "583920")
        svc.auth.create_user(admin.user_id, "R300", "Rui Reviewer", ("reviewer",), None, "731904")
        play_module(svc, nurse.user_id)
        (tmp_path / "borderline.txt").write_text(plan(svc).borderline)
    finally:
        svc.close()
    return data


async def _sign_in(page: Page, server: str, staff_id: str, pin: str) -> None:
    await page.goto(f"{server}/login")
    await page.get_by_label("Staff ID", exact=True).fill(staff_id)
    await page.get_by_label("PIN", exact=True).fill(pin)
    await page.get_by_role("button", name="Sign in").click()


async def test_reviewer_overrides_on_a_tablet_and_the_learner_sees_it(
    seeded: Path, server: str, page: Page, shots: Path
) -> None:
    await _sign_in(page, server, "R300", "731904")
    await expect(page.get_by_text("waiting for review")).to_be_visible(timeout=20_000)
    await page.get_by_label("Decision", exact=True).click()
    await page.get_by_role("option", name="Low score, worried nurse").click()
    borderline = (seeded.parent / "borderline.txt").read_text()
    await expect(page.get_by_text(borderline[:40]).first).to_be_visible(timeout=20_000)
    await page.wait_for_timeout(500)  # let the closing menu finish its animation
    await page.screenshot(path=shots / "11-review-queue.png", full_page=True)
    await page.get_by_role("button", name="Pass (P)").click()
    await page.get_by_label("Reason (needed for an override; goes to the audit log)").fill("Clear escalation")
    await page.get_by_label("Feedback to the learner (optional)").fill(
        "Good; add her risk factors next time."
    )
    await page.get_by_text("Add to the rubric's exemplars (E)").click()
    await page.get_by_role("button", name="Save override (S)").click()
    await expect(page.get_by_text("Override saved")).to_be_visible(timeout=20_000)
    await page.screenshot(path=shots / "12-review-saved.png", full_page=True)

    await page.goto(f"{server}/dashboard")
    await expect(page.locator(".nicegui-echart canvas").first).to_be_visible(timeout=20_000)
    await page.wait_for_timeout(800)
    await page.screenshot(path=shots / "13-dashboard.png", full_page=True)
    await page.goto(f"{server}/review/insights")
    await expect(page.get_by_text("What reviews teach")).to_be_visible(timeout=20_000)
    await page.get_by_role("button", name="Replay reviewed answers").first.click()
    await expect(page.get_by_text("reviewer exemplar(s):").first).to_be_visible(timeout=30_000)
    await page.screenshot(path=shots / "14-insights.png", full_page=True)
    await page.get_by_role("button", name="Sign out").click()
    await page.wait_for_url("**/login")

    await _sign_in(page, server, "N200", "583920")
    await expect(page.get_by_text("Your training")).to_be_visible(timeout=20_000)
    await page.goto(f"{server}/history")
    await expect(page.get_by_text("Reviewed by an educator").first).to_be_visible(timeout=20_000)
    await page.screenshot(path=shots / "15-history.png", full_page=True)
