"""Sign in with staff ID and PIN (the PIN is checked on the server; the session cookie is set over HTTP)."""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from appliance.auth import AuthError
from appliance.ui._context import (
    client_source,
    current_session,
    home_for,
    io_bound,
    services,
    start_session_url,
)
from appliance.ui._frame import frame

_REASONS = {
    "idle": "You were signed out after {minutes} minutes without activity.",
    "expired": "That sign-in took too long or was used already. Please sign in again.",
}


def login_page(reason: str | None = None) -> RedirectResponse | None:  # type: ignore[return]
    """The sign-in form for a shared ward tablet."""
    svc = services()
    if not svc.auth.is_provisioned():
        return RedirectResponse("/setup", status_code=303)
    session = current_session()
    if session is not None:
        return RedirectResponse(home_for(session.roles), status_code=303)
    with frame("Sign in", svc.site_name()):
        if reason in _REASONS:
            ui.label(_REASONS[reason].format(minutes=svc.settings.session_timeout_minutes)).classes(
                "text-lg text-grey-8"
            ).mark("idle-notice" if reason == "idle" else "expired-notice")
        staff_id = (
            ui.input("Staff ID")
            .props("outlined autofocus autocomplete=off maxlength=64")
            .classes("text-xl")
            .mark("staff-id")
        )
        pin = (
            ui.input("PIN", password=True)
            .props("outlined inputmode=numeric autocomplete=off maxlength=64")
            .classes("text-xl")
            .mark("pin")
        )
        error = ui.label("").classes("text-negative text-lg").props('role="alert"').mark("login-error")
        source = client_source()

        async def sign_in() -> None:
            try:
                account = await io_bound(svc.auth.authenticate, staff_id.value or "", pin.value or "", source)
            except AuthError as err:
                pin.set_value("")
                error.set_text(str(err))
                return
            if account is None:  # the app is shutting down
                return
            ui.navigate.to(start_session_url(account, home_for(account.roles)))

        pin.on("keydown.enter", sign_in)
        ui.button("Sign in", icon="login", on_click=sign_in).props("size=lg").classes("w-full").mark(
            "sign-in"
        )
