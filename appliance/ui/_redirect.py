"""A plain-HTTP listener that only sends browsers to the HTTPS address (old bookmarks, typed addresses)."""

from __future__ import annotations

import logging
import threading

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

log = logging.getLogger(__name__)


def _redirect_app(https_port: int) -> Starlette:
    async def to_https(request: Request) -> Response:
        host = (request.headers.get("host") or "").rsplit(":", 1)[0].strip("[]")
        if not host or any(c in host for c in "/\\@ "):
            return PlainTextResponse("Use HTTPS.", status_code=400)
        shown = f"[{host}]" if ":" in host else host
        target = f"https://{shown}:{https_port}{request.url.path}"
        if request.url.query:
            target += f"?{request.url.query}"
        return RedirectResponse(target, status_code=308)

    return Starlette(
        routes=[Route("/{path:path}", to_https, methods=["GET", "HEAD", "POST", "PUT", "DELETE"])]
    )


class HttpsRedirect:
    """Run the redirect listener in a background thread for the life of the app."""

    def __init__(self, host: str, http_port: int, https_port: int) -> None:
        config = uvicorn.Config(
            _redirect_app(https_port), host=host, port=http_port, log_level="warning", lifespan="off"
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None
        self.port = http_port

    def start(self) -> None:
        """Start listening (a busy port is logged, not fatal: HTTPS still works)."""
        self._server.install_signal_handlers = lambda: None  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._serve, name="https-redirect", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            self._server.run()
        except (OSError, SystemExit):
            log.warning("could not listen on HTTP port %d for the HTTPS redirect", self.port)

    def stop(self) -> None:
        """Stop listening."""
        self._server.should_exit = True
