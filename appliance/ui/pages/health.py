"""``/healthz``: JSON for IT and for the image's service checks."""

from __future__ import annotations

from nicegui import run

from appliance.ui._context import services


async def healthz() -> dict[str, object]:
    """Version, storage, grader backend and model, accelerator and free disk."""
    return await run.io_bound(services().health)
