"""Where pages find the appliance's services and the signed-in session.

The session token lives in its own cookie (``ward_session``: HttpOnly, SameSite=Strict, Secure over HTTPS, no
expiry, so it ends with the browser session), set only by an HTTP response: a websocket handler that checks a
PIN gets a one-time ticket bound to this browser, and ``/session/claim`` swaps it for a fresh token. Every page
build and every event handler looks the session up again on the server (:func:`guarded`), and when a session
ends (sign-out, idle, PIN reset, deactivation, role change) every page open under it is sent to sign-in and
closed (:func:`close_pages_of`).
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar, cast
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import Client, app, context, run, ui

from appliance.auth import Role, Session, has_role
from appliance.services import Services
from appliance.services.views import AccountView

log = logging.getLogger(__name__)

COOKIE = "ward_session"
_PAGES: defaultdict[str, set[str]] = defaultdict(set)  # session key -> ids of the pages open under it


def attach(services: Services) -> None:
    """Make the services available to every page of this app and close pages when their session ends."""
    app.state.ward_services = services
    services.sessions.on_end(lambda session, reason: close_pages_of(session.key, reason))


def services() -> Services:
    """The services attached at start-up."""
    return app.state.ward_services


def _request() -> Request | None:
    try:
        return context.client.request
    except (RuntimeError, AttributeError):
        return None


def session_token(request: Request | None = None) -> str | None:
    """This browser's session token, from its cookie."""
    request = request or _request()
    return request.cookies.get(COOKIE) if request is not None else None


def client_source(request: Request | None = None) -> str:
    """The address the request came from (the key for per-source throttling)."""
    request = request or _request()
    if request is None or request.client is None:
        return "unknown"
    return request.client.host


def browser_binding(request: Request | None = None) -> str:
    """An id of this browser that tickets are bound to (NiceGUI's signed browser id)."""
    request = request or _request()
    if request is None or "session" not in request.scope:
        return ""
    return str(request.session.get("id", ""))


def current_session() -> Session | None:
    """The signed-in session of this browser, if live (touching it resets the inactivity clock)."""
    return services().sessions.touch(session_token())


def start_session_url(account: AccountView, then: str = "/") -> str:
    """After a correct PIN: a one-time URL that sets this browser's fresh session cookie and goes on."""
    ticket = services().sessions.issue_ticket(
        account.user_id, account.display_name, account.roles, account.hospital_role, browser_binding()
    )
    return f"/session/claim?ticket={quote(ticket)}&then={quote(then)}"


def forget_session() -> None:
    """Sign this browser out (its pages are closed by the session-end listener)."""
    services().sessions.end(session_token())


def home_for(roles: tuple[str, ...]) -> str:
    """The first page a user with ``roles`` may see."""
    if has_role(roles, Role.LEARNER):
        return "/"
    if Role.REVIEWER.value in roles:
        return "/review"
    if Role.AUTHOR.value in roles:
        return "/author"
    return "/denied"


def require(role: Role = Role.LEARNER) -> Session | RedirectResponse:
    """Return the session when it grants ``role``, else a redirect (to setup, sign-in or home) to return.

    Every page calls this first and returns the redirect as its response, so roles are checked on the
    server whatever the browser shows::

        session = require(Role.ADMIN)
        if isinstance(session, RedirectResponse):
            return session
    """
    if not services().auth.is_provisioned():
        return RedirectResponse("/setup", status_code=303)
    session = current_session()
    if session is None:
        return RedirectResponse("/login", status_code=303)
    if not has_role(session.roles, role):
        return RedirectResponse(home_for(session.roles) + "?denied=1", status_code=303)
    _remember_page(session)
    return session


def _remember_page(session: Session) -> None:
    try:
        client = context.client
    except RuntimeError:
        return
    _PAGES[session.key].add(client.id)
    client.on_delete(lambda: _PAGES[session.key].discard(client.id))


def close_pages_of(session_key: str, reason: str) -> None:
    """Send every page open under a session to sign-in, then close it on the server."""
    target = "/login?reason=idle" if reason == "idle" else "/login"
    for client_id in list(_PAGES.pop(session_key, ())):
        client = Client.instances.get(client_id)
        if client is None:
            continue
        try:
            with client:
                ui.navigate.to(target)
        except Exception:  # the page may be half gone already
            log.debug("could not redirect page %s", client_id, exc_info=True)


def still_granted(*roles: Role) -> bool:
    """True while this page's session is live and grants any of ``roles``; else off to sign-in (for handlers)."""
    session = current_session()
    if session is None or not any(has_role(session.roles, role) for role in roles):
        ui.notify("Your session has ended. Sign in again.", type="warning")
        ui.navigate.to("/login")
        return False
    return True


T = TypeVar("T")
P = ParamSpec("P")


async def io_bound(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run blocking service work off the event loop (NiceGUI's ``run.io_bound``), typed as ``fn`` returns.

    NiceGUI answers None only while the app shuts down, when nothing reads the result any more.
    """
    return cast(T, await run.io_bound(fn, *args, **kwargs))


Handler = Callable[..., Any]


def guarded(role: Role, handler: Handler) -> Callable[..., Awaitable[None]]:
    """Wrap an event handler so it runs only while this page's session is live and grants ``role``."""

    @functools.wraps(handler)
    async def run_checked(*args: Any, **kwargs: Any) -> None:
        if not still_granted(role):
            return
        result = handler(*args, **kwargs)
        if inspect.isawaitable(result):
            await result

    return run_checked
