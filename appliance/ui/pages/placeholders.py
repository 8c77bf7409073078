"""Home pages for roles whose workspaces are still to come, and the page for an account with no usable role."""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from appliance.auth import Role
from appliance.ui._context import current_session, require, services
from appliance.ui._frame import frame
from appliance.ui.pages.catalogue import nav_for


def _placeholder(role: Role, title: str, text: str, denied: str | None) -> RedirectResponse | None:
    session = require(role)
    if isinstance(session, RedirectResponse):
        return session
    svc = services()
    with frame(
        title,
        svc.site_name(),
        session.display_name,
        svc.settings.session_timeout_minutes,
        nav_for(session.roles),
    ):
        if denied:
            ui.label("That page needs another role.").classes("text-negative text-lg").mark("denied")
        ui.label(text).classes("text-lg").mark("placeholder")
    return None


def denied_page() -> RedirectResponse | None:
    """Shown to a signed-in account whose roles open no page."""
    session = current_session()
    if session is None:
        return RedirectResponse("/login", status_code=303)
    with frame("No page for your role", services().site_name(), session.display_name):
        ui.label("Your account has no role that opens a page here. Ask an administrator.").classes("text-lg")
    return None
