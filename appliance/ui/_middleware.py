"""ASGI middleware that makes the web app safe on a shared ward network.

- :class:`SecurityHeaders`: CSP (self only), frame-ancestors, nosniff, referrer and, over HTTPS, HSTS.
- :class:`BodyLimit`: request bodies are capped (413 above), whether or not they declare a length.
- :class:`SameOrigin`: the websocket (socket.io) and every state-changing request accept only the box's own
  origin; a page on another site cannot drive a signed-in tablet.
- :class:`RateLimit`: a token bucket per source address for the API, sign-in and submit routes (429 above).
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = "; ".join(
    (
        "default-src 'self'",
        # NiceGUI's page bootstrap is inline and Vue compiles templates at run time.
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "media-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def _send_json(
    send: Send, status: int, message: str, headers: tuple[tuple[bytes, bytes], ...] = ()
) -> None:
    body = json.dumps({"detail": message}).encode()
    base = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": [*base, *headers]})
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


class SecurityHeaders:
    """Add the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                names = {k.lower() for k, _ in headers}
                extra = [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                    (b"permissions-policy", b"geolocation=(), microphone=(), camera=(self)"),
                ]
                if https:
                    extra.append((b"strict-transport-security", b"max-age=31536000"))
                headers += [(k, v) for k, v in extra if k not in names]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes (``large_limit`` under ``large_prefixes``, e.g. uploads)."""

    def __init__(
        self,
        app: ASGIApp,
        limit: int = 64 * 1024,
        large_limit: int = 4 * 1024 * 1024,
        large_prefixes: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.limit = limit
        self.large_limit = large_limit
        self.large_prefixes = large_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        limit = self.large_limit if path.startswith(self.large_prefixes) else self.limit
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _send_json(send, 413, f"The request is too large (at most {limit // 1024} KB).")
            return
        if declared is not None or scope.get("method") in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        # No declared length (chunked): read up to the limit first, then hand the app what was read.
        chunks: list[Message] = []
        seen = 0
        while True:
            message = await receive()
            chunks.append(message)
            if message["type"] != "http.request":
                break
            seen += len(message.get("body", b""))
            if seen > limit:
                await _send_json(send, 413, f"The request is too large (at most {limit // 1024} KB).")
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return chunks.pop(0) if chunks else await receive()

        await self.app(scope, replay, send)


def same_origin(scope: Scope) -> bool:
    """True when the request's Origin (or, without one, its Referer) is this box as the client addressed it."""
    host = _header(scope, b"host")
    origin = _header(scope, b"origin") or _header(scope, b"referer")
    if origin is None:
        return True  # not a browser-initiated cross-site request (CLI, API clients, same-origin navigations)
    if origin == "null" or host is None:
        return False
    return urlsplit(origin).netloc.lower() == host.lower()


class SameOrigin:
    """Refuse cross-origin websockets (socket.io) and cross-origin state-changing HTTP requests."""

    def __init__(self, app: ASGIApp, websocket_prefix: str = "/_nicegui_ws") -> None:
        self.app = app
        self.websocket_prefix = websocket_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        path: str = scope.get("path", "")
        checked = (kind == "websocket") or (
            kind == "http"
            and (path.startswith(self.websocket_prefix) or scope.get("method") not in SAFE_METHODS)
        )
        if checked and not same_origin(scope):
            if kind == "websocket":
                await send({"type": "websocket.close", "code": 1008})
            else:
                await _send_json(send, 403, "Requests from another site are refused.")
            return
        await self.app(scope, receive, send)


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class RateLimit:
    """A token bucket per source address over the paths under ``prefixes`` (429 with Retry-After when empty)."""

    def __init__(
        self,
        app: ASGIApp,
        prefixes: tuple[str, ...] = ("/api/",),
        rate_per_s: float = 10.0,
        burst: float = 40.0,
        max_sources: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.prefixes = prefixes
        self.rate = rate_per_s
        self.burst = burst
        self.max_sources = max_sources
        self.clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, source: str) -> float:
        """Take one token for ``source``; return 0 when allowed, else seconds until one is free."""
        now = self.clock()
        with self._lock:
            bucket = self._buckets.pop(source, None) or _Bucket(self.burst, now)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.stamp) * self.rate)
            bucket.stamp = now
            self._buckets[source] = bucket
            while len(self._buckets) > self.max_sources:
                self._buckets.popitem(last=False)
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / self.rate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("path", "").startswith(self.prefixes):
            client = scope.get("client")
            wait = self.take(client[0] if client else "unknown")
            if wait:
                retry = str(max(1, round(wait))).encode()
                await _send_json(
                    send,
                    429,
                    "Too many requests from this device; slow down.",
                    [(b"retry-after", retry)],  # type: ignore[arg-type]
                )
                return
        await self.app(scope, receive, send)
