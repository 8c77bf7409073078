"""Where pages find the appliance's services and the signed-in session."""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import app

from appliance.auth import Role, Session, has_role
from appliance.services import Services
from appliance.store import User


def attach(services: Services) -> None:
    """Make the services available to every page of this app."""
    app.state.ward_services = services


def services() -> Services:
    """The services attached at start-up."""
    return app.state.ward_services


def browser_id() -> str:
    """This browser's id, from NiceGUI's signed session cookie; sessions are keyed by it."""
    return str(app.storage.browser["id"])


def current_session() -> Session | None:
    """The signed-in session of this browser, if live (touching it resets the inactivity clock)."""
    return services().sessions.touch(browser_id())


def start_session(user: User) -> Session:
    """Sign ``user`` in on this browser."""
    roles = tuple(str(r) for r in user.roles)
    return services().sessions.create(
        user.user_id, user.display_name, roles, user.job_role, token=browser_id()
    )


def forget_session() -> None:
    """Sign this browser out."""
    services().sessions.end(browser_id())


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
        return RedirectResponse("/?denied=1", status_code=303)
    return session
