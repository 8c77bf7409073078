"""Build and run the web app: open the services, attach them, register the pages, serve."""

from __future__ import annotations

import logging
from typing import Any

from nicegui import app, ui

from appliance.config import Settings
from appliance.services import Services, open_services
from appliance.ui._context import attach
from appliance.ui.api import register_api
from appliance.ui.pages import register_pages

log = logging.getLogger(__name__)


def build_app(settings: Settings) -> Services:
    """Open the services and wire them and every page into NiceGUI."""
    services = open_services(settings)
    attach(services)
    app.on_shutdown(services.close)
    register_pages()
    register_api()
    return services


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
