"""First-run setup: the one-time code from the box's console, then the site and its first administrator."""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from appliance.auth import AuthError
from appliance.ui._context import client_source, io_bound, services, start_session_url
from appliance.ui._frame import frame


def setup_page() -> RedirectResponse | None:  # type: ignore[return]
    """Create the site and its first admin; only before the appliance is provisioned, and only with the code."""
    svc = services()
    if svc.auth.is_provisioned():
        return RedirectResponse("/login", status_code=303)
    svc.auth.setup_code()  # make sure a code exists to be read off the console
    with frame("Set up this appliance", svc.settings.site_name):
        ui.markdown(
            "This box has no accounts yet. Type the **setup code** shown on the appliance's own screen or "
            "console (or run `appliance setup-code` on it), then name the site and create the first "
            "**administrator**. There is no default password: keep this PIN safe."
        )
        code = (
            ui.input("Setup code (e.g. ABCD-EFGH)")
            .props("outlined autocomplete=off maxlength=16")
            .mark("setup-code")
        )
        site = ui.input("Site name (e.g. NICU, St Mary's)", value=svc.settings.site_name).props("outlined")
        staff_id = ui.input("Administrator staff ID").props("outlined autocomplete=off maxlength=64")
        name = ui.input("Administrator name").props("outlined maxlength=120")
        pin = ui.input("PIN (6-12 digits)", password=True).props(
            "outlined inputmode=numeric autocomplete=off maxlength=12"
        )
        pin2 = ui.input("PIN again", password=True).props(
            "outlined inputmode=numeric autocomplete=off maxlength=12"
        )
        error = ui.label("").classes("text-negative text-lg").props('role="alert"').mark("setup-error")
        source = client_source()

        async def provision() -> None:
            if pin.value != pin2.value:
                error.set_text("The two PINs differ.")
                return
            try:
                done = await io_bound(
                    lambda: svc.auth.provision_site(
                        site.value.strip(),
                        staff_id.value.strip(),
                        name.value.strip(),
                        pin.value,
                        setup_code=code.value or "",
                        source=source,
                    )
                )
            except AuthError as err:
                error.set_text(str(err))
                return
            if done is None:  # the app is shutting down
                return
            then = start_session_url(done.admin, "/admin/users")
            if done.recovery_key is None:
                ui.navigate.to(then)
                return
            sheet.set_text(done.recovery_key.sheet(site.value.strip()))
            key_dialog.open()
            go_on.on_click(lambda: ui.navigate.to(then))

        with ui.dialog().props("persistent") as key_dialog, ui.card().classes("w-full").mark("recovery-key"):
            ui.label("Backup recovery key: write it down or print it now").classes("text-h6")
            ui.label(
                "Backups of this box are encrypted. Only this key opens them, and it is shown only this once."
            ).classes("text-lg")
            sheet = ui.label("").classes("font-mono whitespace-pre-wrap text-base").mark("recovery-sheet")
            with ui.row():
                ui.button("Print", icon="print", on_click=lambda: ui.run_javascript("window.print()")).props(
                    "outline"
                )
                go_on = ui.button("I have kept the key", icon="check").mark("recovery-key-kept")

        ui.button("Create site and administrator", icon="check", on_click=provision).props("size=lg").mark(
            "setup-submit"
        )
