"""Security tests run against the real app (the NiceGUI user fixture) from several loopback addresses."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
from nicegui import app

from tests.ui.conftest import ward_env  # noqa: F401  (same fresh data folder per test)


@asynccontextmanager
async def client_from(address: str) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client whose requests reach the app from ``address`` (127.0.0.2, 127.0.0.3, ...)."""
    transport = httpx.ASGITransport(app, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://box.test") as client:
        yield client


ClientFactory = Callable[[str], "AsyncIterator[httpx.AsyncClient]"]
