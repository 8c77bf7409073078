"""A real appliance server process and a real chromium for end-to-end tests."""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Page, async_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """Start ``appliance serve`` (HTTPS with the box's own CA) on loopback with a fresh data folder; yield its URL.

    The CA the box made is at ``<data>/tls/ca.pem``; the HTTP port only redirects to HTTPS.
    """
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (bash scripts/setup.sh --dev installs it)")
    port, http_port = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NICEGUI_"))}
    env |= {
        "WARD_DATA_DIR": str(tmp_path / "ward-data"),
        "WARD_HOST": "127.0.0.1",
        "WARD_PORT": str(port),
        "WARD_HTTP_PORT": str(http_port),
    }
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "appliance.cli", "serve"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"https://127.0.0.1:{port}"
    ca = tmp_path / "ward-data" / "tls" / "ca.pem"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if (
                    ca.exists()
                    and httpx.get(
                        f"{url}/healthz", timeout=1, verify=ssl.create_default_context(cafile=str(ca))
                    ).status_code
                    == 200
                ):
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
            if process.poll() is not None:
                raise RuntimeError((tmp_path / "server.log").read_text())
        else:
            raise RuntimeError("the server did not answer within 60 s")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture
async def page(tmp_path: Path) -> AsyncIterator[Page]:
    """A tablet-sized chromium page (function-scoped: a session-scoped browser breaks async tests)."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # Chromium has no CA store we may change here; the certificate chain itself is checked against the
        # box's CA with httpx (tests/browser/test_https.py).
        context = await browser.new_context(
            viewport={"width": 800, "height": 1280}, device_scale_factor=1, ignore_https_errors=True
        )
        page = await context.new_page()
        try:
            yield page
        finally:
            await browser.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go: ``WARD_SCREENSHOTS`` (e.g. docs/screenshots) or the test's temp folder."""
    folder = Path(os.environ.get("WARD_SCREENSHOTS", tmp_path / "shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def setup_code(tmp_path: Path) -> str:
    """The one-time setup code the server under test printed (read from its data folder, as IT would)."""
    path = tmp_path / "ward-data" / "keys" / "setup-code"
    deadline = time.monotonic() + 10
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    return path.read_text().strip()
