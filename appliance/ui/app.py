"""Build and run the web app: open the services, attach them, secure and register the pages, serve."""

from __future__ import annotations

import asyncio
import gc
import logging
from typing import Any

from nicegui import app, background_tasks, core

from appliance.config import Settings
from appliance.services import ServiceError, Services, open_services
from appliance.tls import TlsFiles, ensure_tls, fingerprint
from appliance.ui._banner import print_banner
from appliance.ui._context import attach, io_bound
from appliance.ui._error_pages import register_error_pages
from appliance.ui._middleware import BodyLimit, RateLimit, SameOrigin, SecurityHeaders
from appliance.ui._redirect import HttpsRedirect
from appliance.ui._session_routes import register_session_routes
from appliance.ui.api import register_api
from appliance.ui.pages import register_pages

log = logging.getLogger(__name__)

HOUSEKEEPING_INTERVAL_S = 24 * 3600
SESSION_SWEEP_S = 15.0
UPLOAD_PREFIXES = ("/_nicegui/client/", "/verify")
WEBSOCKET_MESSAGE_BYTES = 256 * 1024


def build_app(settings: Settings) -> Services:
    """Open the services and wire them, the security layers and every page into NiceGUI."""
    services = open_services(settings)
    attach(services)
    app.on_startup(lambda: background_tasks.create(_daily_housekeeping(services), name="housekeeping"))
    app.on_startup(lambda: background_tasks.create(_sweep_sessions(services), name="session-sweep"))
    app.on_startup(services.sync.async_start)  # opportunistic: does nothing until the site is enrolled
    app.on_shutdown(services.sync.async_stop)
    app.on_shutdown(services.close)
    _secure(settings)
    register_error_pages()
    register_session_routes()
    register_pages()
    register_api()
    # Everything loaded so far lives as long as the process: keep the collector from rescanning it, which
    # otherwise shows up as 50-90 ms pauses in reads (see docs/storage.md).
    gc.collect()
    gc.freeze()
    if settings.grader_warm_up:
        services.warm_up()
    return services


def _secure(settings: Settings) -> None:
    """Add the middleware (outermost last) and cap websocket messages."""
    app.add_middleware(SecurityHeaders)
    app.add_middleware(SameOrigin)
    app.add_middleware(
        BodyLimit,
        limit=settings.max_body_kb * 1024,
        large_limit=4 * 1024 * 1024,
        large_prefixes=UPLOAD_PREFIXES,
    )
    app.add_middleware(RateLimit, prefixes=("/api/", "/session/", "/logout"), rate_per_s=10.0, burst=40.0)
    core.sio.eio.max_http_buffer_size = WEBSOCKET_MESSAGE_BYTES


async def _daily_housekeeping(services: Services) -> None:
    """Purge rationale texts past the retention period, now and then once a day."""
    while True:
        try:
            report = await io_bound(services.housekeeping)
            log.info("retention purge: %s", report)
        except ServiceError:
            log.exception("retention purge failed; will try again tomorrow")
        await asyncio.sleep(HOUSEKEEPING_INTERVAL_S)


async def _sweep_sessions(services: Services) -> None:
    """End idle sessions on time, so their open pages close even if nobody touches them."""
    while True:
        await asyncio.sleep(SESSION_SWEEP_S)
        services.sessions.expire_idle()


def tls_files(services: Services) -> TlsFiles | None:
    """The certificate and key to serve with (made by the box on first use), or None with TLS off."""
    settings = services.settings
    if not settings.tls:
        return None
    provided = (settings.tls_cert, settings.tls_key) if settings.tls_cert and settings.tls_key else None
    return ensure_tls(settings.data_dir / "tls", services.site_name(), provided=provided)


def run_options(services: Services, tls: TlsFiles | None = None) -> dict[str, Any]:
    """Arguments for ``ui.run``: the per-device cookie secret, TLS, no reload, nothing opened or fetched."""
    settings = services.settings
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "title": services.site_name(),
        "storage_secret": services.auth.session_secret(),
        "session_middleware_kwargs": {"https_only": tls is not None, "same_site": "strict"},
        "reload": False,
        "show": False,
        "favicon": "🩺",
        "language": "en-GB",
        "show_welcome_message": False,
        "fastapi_docs": False,
    }
    if tls is not None:
        options |= {"ssl_certfile": str(tls.cert), "ssl_keyfile": str(tls.key)}
    return options


def run_app(settings: Settings) -> None:
    """Start the web server on the configured host and port (blocks until stopped)."""
    from nicegui import ui

    services = build_app(settings)
    tls = tls_files(services)
    if tls is not None and settings.http_port and settings.http_port != settings.port:
        redirect = HttpsRedirect(settings.host, settings.http_port, settings.port)
        app.on_startup(redirect.start)
        app.on_shutdown(redirect.stop)
    app.on_startup(
        lambda: print_banner(
            settings, services.auth.setup_code(), fingerprint(tls.ca or tls.cert) if tls else None
        )
    )
    ui.run(**run_options(services, tls))
