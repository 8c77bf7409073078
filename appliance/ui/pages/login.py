"""Sign in with staff ID and PIN; sign out."""

from __future__ import annotations

from nicegui import run, ui

from appliance.auth import AuthError
from appliance.ui._context import current_session, forget_session, services, start_session
from appliance.ui._frame import frame


@ui.page("/login")
def login_page(reason: str | None = None) -> None:
    """The sign-in form for a shared ward tablet."""
    svc = services()
    if not svc.auth.is_provisioned():
        ui.navigate.to("/setup")
        return
    if current_session() is not None:
        ui.navigate.to("/")
        return
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


@ui.page("/logout")
def logout_page(reason: str | None = None) -> None:
    """Sign this browser out and return to the sign-in page."""
    forget_session()
    ui.navigate.to(f"/login?reason={reason}" if reason == "idle" else "/login")
