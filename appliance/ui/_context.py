"""Where pages find the appliance's services and the signed-in session."""

from __future__ import annotations

from nicegui import app, ui

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


def require(role: Role = Role.LEARNER) -> Session | None:
    """Return the session when it grants ``role``; otherwise redirect (sign-in or home) and return None.

    Every page calls this first, so a role is checked on the server whatever the browser shows.
    """
    if not services().auth.is_provisioned():
        ui.navigate.to("/setup")
        return None
    session = current_session()
    if session is None:
        ui.navigate.to("/login")
        return None
    if not has_role(session.roles, role):
        ui.navigate.to("/?denied=1")
        return None
    return session
