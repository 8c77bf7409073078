"""Admin: every credential issued here; revoke one with a reason (audited; the status list is re-signed)."""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from appliance.auth import Role
from appliance.services import ServiceError
from appliance.ui._context import guarded, io_bound, require, services
from appliance.ui._frame import frame
from appliance.ui.pages.catalogue import nav_for


async def credentials_admin_page() -> RedirectResponse | None:  # type: ignore[return]
    """List issued credentials; revoke one with a reason."""
    session = require(Role.ADMIN)
    if isinstance(session, RedirectResponse):
        return session
    svc = services()
    with frame(
        "Issued credentials",
        svc.site_name(),
        session.display_name,
        svc.settings.session_timeout_minutes,
        nav_for(session.roles),
    ):
        message = ui.label("").classes("text-lg").props('role="status"').mark("admin-message")

        @ui.refreshable
        async def listing() -> None:
            rows = await io_bound(svc.credentials.everyone)
            if not rows:
                ui.label("No credentials have been issued yet.")
            for record, holder in rows:
                with (
                    ui.row()
                    .classes("items-center justify-between w-full no-wrap")
                    .mark(f"issued-{record.record_id}")
                ):
                    with ui.column().classes("gap-0"):
                        title = record.payload.get("name", record.credential_id)
                        ui.label(f"{title} · {holder}").classes("text-lg")
                        state = f"revoked: {record.revoked_reason}" if record.revoked_at else "valid"
                        ui.label(f"Issued {record.issued_at.date()} · {state}").classes("text-grey-8")
                    if record.revoked_at is None:
                        ui.button("Revoke", icon="block", on_click=lambda r=record.record_id: ask(r)).props(
                            "color=negative outline"
                        ).mark(f"revoke-{record.record_id}")

        with ui.dialog() as dialog, ui.card().classes("w-96"):
            ui.label("Revoke this credential?").classes("text-h6")
            reason = ui.input("Reason (kept in the audit log)").classes("w-full").mark("revoke-reason")
            problem = ui.label("").classes("text-negative").props('role="alert"')
            target: dict[str, str] = {}

            async def confirm() -> None:
                try:
                    await io_bound(svc.credentials.revoke, session.user_id, target["id"], reason.value or "")
                except ServiceError as err:
                    problem.text = str(err)
                    return
                dialog.close()
                message.text = "Revoked; the status list is re-signed."
                listing.refresh()

            with ui.row():
                ui.button("Revoke", on_click=guarded(Role.ADMIN, confirm)).props("color=negative").mark(
                    "revoke-confirm"
                )
                ui.button("Cancel", on_click=dialog.close).props("flat")

        def ask(record_id: str) -> None:
            target["id"] = record_id
            reason.value = ""
            problem.text = ""
            dialog.open()

        await listing()
