"""Admin: the honest sync status (last success, last error, pending events) and a "Sync now" button."""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from appliance.auth import Role
from appliance.ui._context import guarded, io_bound, require, services
from appliance.ui._frame import frame
from appliance.ui.pages.catalogue import nav_for

_STATES = {
    "not-enrolled": "Not enrolled with a hub yet (appliance sync enroll HUB_URL TOKEN at the console).",
}


def _when(value: object) -> str:
    return f"{value:%d %b %Y %H:%M} UTC" if value is not None else "never"


async def sync_page() -> RedirectResponse | None:
    """Show where sync stands and let an admin ask for a sync now."""
    session = require(Role.ADMIN)
    if isinstance(session, RedirectResponse):
        return session
    svc = services()
    with frame(
        "Sync",
        svc.site_name(),
        session.display_name,
        svc.settings.session_timeout_minutes,
        nav_for(session.roles),
    ):

        @ui.refreshable
        async def status_card() -> None:
            status = await io_bound(svc.sync_status)
            if status is None:
                return
            with ui.card().classes("w-full").mark("sync-status"):
                state = str(status.state.value if hasattr(status.state, "value") else status.state)
                ui.label(_STATES.get(state, f"State: {state}")).classes("text-h6")
                rows = [
                    ("Hub", status.hub_url or "—"),
                    ("Last success", _when(status.last_success)),
                    ("Last attempt", _when(status.last_attempt)),
                    ("Next attempt", _when(status.next_attempt)),
                    (
                        "Waiting to send",
                        "—" if status.pending_events is None else f"{status.pending_events} events",
                    ),
                    ("Last error", status.last_error or "none"),
                ]
                if status.revoked_reason:
                    rows.append(("Revoked by the hub", status.revoked_reason))
                with ui.grid(columns=2).classes("gap-1"):
                    for name, value in rows:
                        ui.label(name).classes("text-grey-8 text-lg")
                        ui.label(value).classes("text-lg")

        await status_card()

        def sync_now() -> None:
            svc.sync.trigger()
            ui.notify("Sync requested; the status updates when it has run.")
            ui.timer(3.0, status_card.refresh, once=True)

        ui.button("Sync now", icon="sync", on_click=guarded(Role.ADMIN, sync_now)).props("size=lg").mark(
            "sync-now"
        )
    return None
