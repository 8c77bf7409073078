"""The box serves HTTPS with its own CA: the chain verifies, HTTP redirects, HSTS is sent, sign-in works."""

from __future__ import annotations

import ssl
from pathlib import Path

import httpx
from playwright.async_api import Page, expect

from tests.browser.conftest import setup_code


async def test_a_tablet_signs_in_over_https_with_the_boxs_certificate(
    server: str, page: Page, tmp_path: Path, shots: Path
) -> None:
    ca = tmp_path / "ward-data" / "tls" / "ca.pem"
    with httpx.Client(
        verify=ssl.create_default_context(cafile=str(ca))
    ) as client:  # the chain is trusted once the box's CA is installed
        response = client.get(f"{server}/login")
        assert response.headers["strict-transport-security"].startswith("max-age=")
        assert response.url.scheme == "https"
    with httpx.Client(verify=True) as public:  # and not by the public roots: it is the box's own CA
        try:
            public.get(f"{server}/healthz")
            raise AssertionError("a certificate from the box's own CA must not be publicly trusted")
        except httpx.ConnectError:
            pass
    await page.goto(server)
    await page.get_by_label("Setup code (e.g. ABCD-EFGH)", exact=True).fill(setup_code(tmp_path))
    await page.get_by_label("Site name (e.g. NICU, St Mary's)", exact=True).fill("NICU")
    await page.get_by_label("Administrator staff ID", exact=True).fill("A100")
    await page.get_by_label("Administrator name", exact=True).fill("Ada Admin")
    await page.get_by_label("PIN (6-12 digits)", exact=True).fill("402917")
    await page.get_by_label("PIN again", exact=True).fill("402917")
    await page.get_by_role("button", name="Create site and administrator").click()
    await page.get_by_role("button", name="I have kept the key").click()
    await expect(page.get_by_text("Add a user")).to_be_visible(timeout=20_000)
    assert page.url.startswith("https://")
    cookies = {c["name"]: c for c in await page.context.cookies()}
    session = cookies["ward_session"]
    assert (
        session["httpOnly"]
        and session["secure"]
        and session["sameSite"] == "Strict"
        and session["expires"] == -1
    )
    await page.screenshot(path=shots / "00-https-users.png")


async def test_plain_http_only_redirects_to_https(server: str, tmp_path: Path) -> None:
    log = (tmp_path / "server.log").read_text()
    assert "First-run setup code:" in log and "Open https://127.0.0.1:" in log
