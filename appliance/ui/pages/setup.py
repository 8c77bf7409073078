"""First-run setup: name the site and create the first administrator (no default accounts)."""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import run, ui

from appliance.auth import AuthError
from appliance.ui._context import services, start_session
from appliance.ui._frame import frame


def setup_page() -> RedirectResponse | None:
    """Create the site and its first admin; only reachable before the appliance is provisioned."""
    svc = services()
    if svc.auth.is_provisioned():
        return RedirectResponse("/login", status_code=303)
    with frame("Set up this appliance", svc.settings.site_name):
        ui.markdown(
            "This box has no accounts yet. Name the site and create the first **administrator**. "
            "There is no default password: keep this PIN safe."
        )
        site = ui.input("Site name (e.g. NICU, St Mary's)", value=svc.settings.site_name).props("outlined")
        staff_id = ui.input("Administrator staff ID").props("outlined autocomplete=off")
        name = ui.input("Administrator name").props("outlined")
        pin = ui.input("PIN (6-12 digits)", password=True).props(
            "outlined inputmode=numeric autocomplete=off"
        )
        pin2 = ui.input("PIN again", password=True).props("outlined inputmode=numeric autocomplete=off")
        error = ui.label("").classes("text-negative text-lg").mark("setup-error")

        async def provision() -> None:
            if pin.value != pin2.value:
                error.set_text("The two PINs differ.")
                return
            try:
                user = await run.io_bound(
                    svc.auth.provision,
                    site.value.strip(),
                    staff_id.value.strip(),
                    name.value.strip(),
                    pin.value,
                )
            except AuthError as err:
                error.set_text(str(err))
                return
            start_session(user)
            ui.navigate.to("/admin/users")

        ui.button("Create site and administrator", icon="check", on_click=provision).props("size=lg").mark(
            "setup-submit"
        )
