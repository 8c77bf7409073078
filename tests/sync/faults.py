"""Fault injection on top of real parts: an ``httpx.MockTransport`` that forwards to a real hub process."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx

Hook = Callable[[httpx.Request, int], Awaitable[httpx.Response | None]]


class Relay:
    """Forwards every request to the real hub; ``before``/``after`` hooks may drop, repeat or alter them."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncClient(timeout=30)
        self.calls: dict[str, int] = {}
        self.before: Callable[[httpx.Request, int], Awaitable[None]] | None = None
        self.after: Callable[[httpx.Request, httpx.Response, int], Awaitable[httpx.Response]] | None = None

    async def forward(self, request: httpx.Request) -> httpx.Response:
        """Send a copy of ``request`` to the real hub."""
        copy = self.inner.build_request(
            request.method, request.url, headers=request.headers, content=request.content
        )
        response = await self.inner.send(copy)
        return httpx.Response(response.status_code, headers=response.headers, content=response.content)

    async def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        count = self.calls[path] = self.calls.get(path, 0) + 1
        if self.before is not None:
            await self.before(request, count)
        response = await self.forward(request)
        if self.after is not None:
            response = await self.after(request, response, count)
        return response

    def client(self) -> httpx.AsyncClient:
        """A client whose every request goes through the relay."""
        return httpx.AsyncClient(transport=httpx.MockTransport(self.handle), timeout=30)

    async def aclose(self) -> None:
        await self.inner.aclose()
