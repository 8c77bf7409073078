"""The learner's home: modules for their role, progress, credentials and what is next on their pathway."""

from __future__ import annotations

import functools

from fastapi.responses import RedirectResponse
from nicegui import ui

from appliance.auth import Role, has_role
from appliance.services import PlayerError
from appliance.ui._context import current_session, guarded, home_for, io_bound, require, services
from appliance.ui._frame import frame
from appliance.ui.widgets.prose import prose

_STATUS = {
    "not-started": ("Not started", "grey-7", "play_arrow", "Start"),
    "in-progress": ("In progress", "primary", "play_arrow", "Resume"),
    "finished": ("Finished", "positive", "replay", "Play again"),
}


def nav_for(roles: tuple[str, ...]) -> list[tuple[str, str]]:
    """Header links for the signed-in user's roles."""
    links = (
        [("Training", "/"), ("History", "/history"), ("Credentials", "/credentials")]
        if has_role(roles, Role.LEARNER)
        else []
    )
    if has_role(roles, Role.AUTHOR):
        links.append(("Author", "/author"))
    if has_role(roles, Role.REVIEWER):
        links += [("Review", "/review"), ("Dashboard", "/dashboard")]
    if has_role(roles, Role.REVIEWER) or has_role(roles, Role.AUTHOR):
        links.append(("Insights", "/review/insights"))
    if has_role(roles, Role.ADMIN):
        links.append(("Users", "/admin/users"))
        links.append(("Issued", "/admin/credentials"))
        links.append(("Sync", "/admin/sync"))
    return links


async def open_attempt(module_id: str, scenario_id: str, new: bool) -> None:
    """Start (or resume) the signed-in learner's attempt, then show it (a POST-like action, never a GET)."""
    session = current_session()
    if session is None:
        ui.navigate.to("/login")
        return
    try:
        view = await io_bound(services().player.open, session.user_id, module_id, scenario_id, new)
    except PlayerError as err:
        ui.notify(str(err), type="warning")
        return
    ui.navigate.to(f"/attempt/{view.attempt_id}")


async def catalogue_page(denied: str | None = None) -> RedirectResponse | None:  # type: ignore[return]
    """Show the signed-in learner's modules, progress and credentials."""
    session = require(Role.LEARNER)
    if isinstance(session, RedirectResponse):
        signed_in = current_session()
        if signed_in is not None and not denied:  # "/" is everyone's start: send them to their own home
            return RedirectResponse(home_for(signed_in.roles), status_code=303)
        return session
    svc = services()
    catalogue = await io_bound(svc.catalogue.for_learner, session.user_id, session.hospital_role)
    with frame(
        "Your training",
        svc.site_name(),
        session.display_name,
        svc.settings.session_timeout_minutes,
        nav_for(session.roles),
    ):
        if denied:
            ui.label("That page needs another role.").classes("text-negative text-lg").mark("denied")
        if not catalogue.modules:
            ui.label("No modules are assigned to your role yet.").classes("text-lg")
        for card in catalogue.modules:
            module = card.module
            with ui.card().classes("w-full").mark(f"module-{module.id}"):
                with ui.row().classes("items-center justify-between w-full"):
                    ui.label(module.title).classes("text-h6")
                    if card.passed:
                        ui.badge("Passed", color="positive").classes("text-base px-3 py-1").mark("passed")
                ui.label(f"About {module.minutes} minutes").classes("text-grey-8")
                if module.description:
                    prose(module.description)
                for progress in card.scenarios:
                    text, colour, icon, action = _STATUS[progress.status]
                    with ui.row().classes("items-center justify-between w-full no-wrap"):
                        with ui.column().classes("gap-0"):
                            ui.label(progress.title).classes("text-lg")
                            ui.badge(text, color=colour)
                        start = functools.partial(
                            open_attempt, module.id, progress.scenario_id, progress.status == "finished"
                        )
                        ui.button(action, icon=icon, on_click=guarded(Role.LEARNER, start)).props(
                            "size=lg"
                        ).mark(f"open-{progress.scenario_id}")
        ui.label("Your credentials").classes("text-h6 mt-4")
        for cred in catalogue.credentials:
            with ui.row().classes("items-center gap-3 no-wrap").mark(f"credential-{cred.id}"):
                ui.icon(
                    "workspace_premium" if cred.earned else "lock_open",
                    color="amber-8" if cred.earned else "grey-6",
                    size="lg",
                )
                with ui.column().classes("gap-0"):
                    ui.label(f"{cred.title} ({cred.level})").classes("text-lg")
                    if cred.earned:
                        ui.label(f"Earned {cred.issued_on}").classes("text-positive")
                    elif cred.missing:
                        ui.label("Next: " + ", ".join(cred.missing)).classes("text-grey-8")
