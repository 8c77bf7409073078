"""HTTP routes that set and clear the session cookie (websocket handlers cannot set cookies)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app

from appliance.ui._context import COOKIE, browser_binding, services, session_token


def _local_target(then: str | None) -> str:
    """Only ever redirect within this box."""
    if not then or not then.startswith("/") or then.startswith("//") or "\\" in then:
        return "/"
    return then


def claim_session(request: Request, ticket: str = "", then: str = "/") -> RedirectResponse:
    """Swap a one-time sign-in ticket (bound to this browser) for a fresh session cookie."""
    session = services().sessions.claim(ticket, browser_binding(request))
    if session is None:
        return RedirectResponse("/login?reason=expired", status_code=303)
    response = RedirectResponse(_local_target(then), status_code=303)
    response.set_cookie(
        COOKIE,
        session.token,
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="strict",
        path="/",
    )
    return response


def sign_out(request: Request, reason: str | None = None) -> RedirectResponse:
    """End this browser's session, clear its cookie and go to sign-in (POST only)."""
    services().sessions.end(session_token(request), reason or "signed-out")
    response = RedirectResponse("/login?reason=idle" if reason == "idle" else "/login", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response


def register_session_routes() -> None:
    """Add the claim and sign-out routes (once per app build)."""
    app.get("/session/claim", include_in_schema=False)(claim_session)
    app.post("/logout", include_in_schema=False)(sign_out)
