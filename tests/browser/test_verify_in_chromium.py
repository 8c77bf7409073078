"""``/verify`` in a real chromium, against a real server: paste JSON, upload a baked PNG, catch a forgery."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from appliance.config import load_settings
from appliance.services import open_services
from tests.credentials.conftest import pass_module

pytestmark = pytest.mark.browser


@pytest.fixture
def earned(tmp_path: Path) -> dict[str, str]:
    """Before the server starts: a site whose nurse passed both demo modules (the server then owns the store)."""
    svc = open_services(load_settings(data_dir=tmp_path / "ward-data", grader_backend="lexical"))
    try:
        admin = svc.auth.provision("NICU", "A100", "Ada Admin", "402917")
        nurse = svc.auth.create_user(admin.user_id, "N200", "Nia Nurse", ("learner",), "nicu-nurse", "583920")
        for module in svc.curriculum.curriculum.modules:
            pass_module(svc, nurse, module.id)
        view = svc.credentials.for_learner(nurse.user_id)[0]
        png = tmp_path / "badge.png"
        png.write_bytes(svc.credentials.baked_png(view))
        return {"json": view.json, "png": str(png)}
    finally:
        svc.close()


async def test_verify_page_in_chromium(earned: dict[str, str], server: str, page: Page, shots: Path) -> None:
    await page.goto(f"{server}/verify")
    box = page.get_by_label("Paste the credential JSON")
    await box.fill(earned["json"])
    await page.get_by_role("button", name="Verify").click()
    await expect(page.get_by_text("Valid credential")).to_be_visible(timeout=20_000)
    await expect(page.get_by_text("signature: eddsa-rdfc-2022 by did:key:")).to_be_visible()
    await page.screenshot(path=shots / "11-verify.png", full_page=True)

    forged = json.loads(earned["json"])
    forged["credentialSubject"]["achievement"]["name"] = "Consultant neonatologist"
    await box.fill(json.dumps(forged))
    await page.get_by_role("button", name="Verify").click()
    await expect(page.get_by_text("Not valid: the signature check failed")).to_be_visible(timeout=20_000)

    await page.locator("input[type=file]").set_input_files(earned["png"])
    await expect(page.get_by_text("Valid credential")).to_be_visible(timeout=20_000)


async def test_learner_credentials_page_in_chromium(
    earned: dict[str, str], server: str, page: Page, shots: Path
) -> None:
    await page.goto(f"{server}/login")
    await page.get_by_label("Staff ID", exact=True).fill("N200")
    await page.get_by_label("PIN", exact=True).fill("583920")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_text("Your training")).to_be_visible(timeout=20_000)
    await page.goto(f"{server}/credentials")
    await expect(page.get_by_text("Safe AI on the ward")).to_be_visible(timeout=20_000)
    await expect(page.get_by_text("MicroCredential")).to_be_visible()
    await page.screenshot(path=shots / "12-credentials.png", full_page=True)
    async with page.expect_download() as download:
        await page.get_by_role("button", name="Download JSON").first.click()
    saved = await (await download.value).path()
    assert json.loads(Path(saved).read_text())["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
