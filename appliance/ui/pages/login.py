"""Sign in with staff ID and PIN; sign out."""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import run, ui

from appliance.auth import AuthError
from appliance.ui._context import current_session, forget_session, services, start_session
from appliance.ui._frame import frame


def login_page(reason: str | None = None) -> RedirectResponse | None:
    """The sign-in form for a shared ward tablet."""
    svc = services()
    if not svc.auth.is_provisioned():
        return RedirectResponse("/setup", status_code=303)
    if current_session() is not None:
        return RedirectResponse("/", status_code=303)
    with frame("Sign in", svc.site_name()):
        if reason == "idle":
            ui.label(
                f"You were signed out after {svc.settings.session_timeout_minutes} minutes without activity."
            ).classes("text-lg text-grey-8").mark("idle-notice")
        staff_id = (
            ui.input("Staff ID")
            .props("outlined autofocus autocomplete=off")
            .classes("text-xl")
            .mark("staff-id")
        )
        pin = (
            ui.input("PIN", password=True)
            .props("outlined inputmode=numeric autocomplete=off")
            .classes("text-xl")
            .mark("pin")
        )
        error = ui.label("").classes("text-negative text-lg").props('role="alert"').mark("login-error")

        async def sign_in() -> None:
            try:
                user = await run.io_bound(svc.auth.sign_in, staff_id.value.strip(), pin.value)
            except AuthError as err:
                pin.set_value("")
                error.set_text(str(err))
                return
            start_session(user)
            ui.navigate.to("/")

        pin.on("keydown.enter", sign_in)
        ui.button("Sign in", icon="login", on_click=sign_in).props("size=lg").classes("w-full").mark(
            "sign-in"
        )


def logout_page(reason: str | None = None) -> RedirectResponse:
    """Sign this browser out and return to the sign-in page."""
    forget_session()
    return RedirectResponse("/login?reason=idle" if reason == "idle" else "/login", status_code=303)
