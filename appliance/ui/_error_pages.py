"""Clean error answers: JSON for the API and other endpoints, a calm HTML page for people; never a traceback."""

from __future__ import annotations

import html
import logging

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from nicegui import app, ui
from starlette.exceptions import HTTPException as StarletteHTTPException

from appliance.services import StoreIOError

log = logging.getLogger(__name__)

_PAGE = """<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;font-size:1.2rem;max-width:40rem;margin:3rem auto;padding:0 1rem;
color:#1f2933}}a{{color:#0d47a1}}h1{{font-size:1.6rem}}</style></head>
<body><h1>{title}</h1><p>{message}</p><p><a href="/">Back to the start page</a></p></body></html>"""

_TITLES = {
    404: "Page not found",
    405: "Not allowed",
    413: "Too large",
    429: "Too many requests",
    503: "The appliance cannot save right now",
}


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return request.url.path.startswith(("/api/", "/_nicegui", "/healthz")) or "text/html" not in accept


def error_response(request: Request, status: int, message: str) -> Response:
    """A JSON or HTML answer for ``status`` with a plain ``message``."""
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    title = _TITLES.get(status, "Something went wrong")
    body = _PAGE.format(title=html.escape(title), message=html.escape(message))
    return HTMLResponse(body, status_code=status)


async def http_error(request: Request, exc: Exception) -> Response:
    """Any HTTP error raised by a route or by routing itself (404, 405, ...)."""
    status = exc.status_code if isinstance(exc, StarletteHTTPException) else 500
    detail = exc.detail if isinstance(exc, StarletteHTTPException) else ""
    if status == 404 and (not detail or detail == "Not Found"):
        detail = "There is no page at this address. Check the link, or start again from the start page."
    response = error_response(request, status, str(detail))
    for name, value in (getattr(exc, "headers", None) or {}).items():
        response.headers[name] = value
    return response


async def server_error(request: Request, exc: Exception) -> Response:
    """An unexpected error: logged here in full, answered with a plain message."""
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(
        request, 500, "Something went wrong on the appliance. Nothing you saved is lost; please try again."
    )


async def storage_unavailable(request: Request, exc: Exception) -> Response:
    """The disk is full (or the journal cannot take more): 503 with the store's plain message."""
    log.warning("refused %s %s: %s", request.method, request.url.path, exc)
    response = error_response(request, 503, str(exc))
    response.headers["Retry-After"] = "30"
    return response


def notify_storage_error(exc: Exception) -> None:
    """Tell the person on a page why their action was not saved (a full disk), instead of failing silently."""
    if isinstance(exc, StoreIOError):
        try:
            ui.notify(str(exc), type="negative", multi_line=True, timeout=0, close_button="OK")
        except RuntimeError:  # no page context (a background task)
            log.warning("storage error outside a page: %s", exc)


def register_error_pages() -> None:
    """Replace NiceGUI's raw exception pages (once per app build)."""
    app.exception_handlers[StoreIOError] = storage_unavailable
    app.on_exception(notify_storage_error)
    app.exception_handlers[StarletteHTTPException] = http_error
    app.exception_handlers[404] = http_error
    app.exception_handlers[Exception] = server_error
