"""Build and run the web app: open the services, attach them, register the pages, serve."""

from __future__ import annotations

import asyncio
import gc
import logging
from typing import Any

from nicegui import app, background_tasks, run, ui

from appliance.config import Settings
from appliance.services import Services, open_services
from appliance.store import StoreError
from appliance.ui._context import attach
from appliance.ui.api import register_api
from appliance.ui.pages import register_pages

log = logging.getLogger(__name__)

HOUSEKEEPING_INTERVAL_S = 24 * 3600


def build_app(settings: Settings) -> Services:
    """Open the services and wire them and every page into NiceGUI."""
    services = open_services(settings)
    attach(services)
    app.on_startup(lambda: background_tasks.create(_daily_housekeeping(services), name="housekeeping"))
    app.on_shutdown(services.close)
    register_pages()
    register_api()
    # Everything loaded so far lives as long as the process: keep the collector from rescanning it, which
    # otherwise shows up as 50-90 ms pauses in reads (see docs/storage.md).
    gc.collect()
    gc.freeze()
    if settings.grader_warm_up:
        services.warm_up()
    return services


async def _daily_housekeeping(services: Services) -> None:
    """Purge rationale texts past the retention period, now and then once a day."""
    while True:
        try:
            report = await run.io_bound(services.store.purge_expired)
            log.info("retention purge: %s", report)
        except StoreError:
            log.exception("retention purge failed; will try again tomorrow")
        await asyncio.sleep(HOUSEKEEPING_INTERVAL_S)


def run_options(services: Services) -> dict[str, Any]:
    """Arguments for ``ui.run``: the per-device cookie secret, no reload, nothing opened or fetched."""
    settings = services.settings
    return {
        "host": settings.host,
        "port": settings.port,
        "title": services.site_name(),
        "storage_secret": services.auth.session_secret(),
        "reload": False,
        "show": False,
        "favicon": "🩺",
        "language": "en-GB",
        "show_welcome_message": False,
    }


def run_app(settings: Settings) -> None:
    """Start the web server on the configured host and port (blocks until stopped)."""
    ui.run(**run_options(build_app(settings)))
