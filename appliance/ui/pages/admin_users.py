"""Admin: accounts, roles, PIN resets and unlocking (every action is audited by the service)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.responses import RedirectResponse
from nicegui import run, ui

from appliance.auth import AuthError, Role
from appliance.ui._context import require, services
from appliance.ui._frame import frame
from appliance.ui.pages.catalogue import nav_for

_COLUMNS = [
    {"name": "staff_id", "label": "Staff ID", "field": "staff_id", "align": "left"},
    {"name": "name", "label": "Name", "field": "name", "align": "left"},
    {"name": "roles", "label": "Roles", "field": "roles", "align": "left"},
    {"name": "hospital_role", "label": "Hospital role", "field": "hospital_role", "align": "left"},
    {"name": "status", "label": "Status", "field": "status", "align": "left"},
]


async def users_page() -> RedirectResponse | None:
    """List users; add one; reset a PIN; unlock or deactivate an account."""
    session = require(Role.ADMIN)
    if isinstance(session, RedirectResponse):
        return session
    svc = services()
    actor = session.user_id
    hospital_roles = {r.id: r.title for r in svc.curriculum.taxonomy.roles}

    with frame(
        "Users",
        svc.site_name(),
        session.display_name,
        svc.settings.session_timeout_minutes,
        nav_for(session.roles),
    ):
        message = ui.label("").classes("text-lg").props('role="status"').mark("admin-message")

        @ui.refreshable
        async def table() -> None:
            users = await run.io_bound(svc.auth.list_users)
            rows = [
                {
                    "staff_id": u.staff_id,
                    "name": u.display_name,
                    "roles": ", ".join(u.roles),
                    "hospital_role": hospital_roles.get(u.job_role or "", "—"),
                    "status": "inactive"
                    if not u.active
                    else ("locked" if svc.auth.is_locked(u) else "active"),
                }
                for u in users
            ]
            ui.table(columns=_COLUMNS, rows=rows, row_key="staff_id").classes("w-full").mark("users-table")

        await table()

        async def act(label: str, fn: Callable[..., object], *args: object) -> None:
            try:
                await run.io_bound(fn, actor, *args)
            except AuthError as err:
                message.classes(replace="text-lg text-negative").set_text(str(err))
                return
            message.classes(replace="text-lg text-positive").set_text(label)
            table.refresh()

        with ui.expansion("Add a user", icon="person_add").classes("w-full").mark("add-user"):
            new_id = ui.input("Staff ID").props("outlined").mark("new-staff-id")
            new_name = ui.input("Name").props("outlined").mark("new-name")
            new_roles = (
                ui.select(
                    [r.value for r in Role],
                    multiple=True,
                    value=[Role.LEARNER.value],
                    label="Appliance roles",
                )
                .props("outlined")
                .mark("new-roles")
            )
            new_hospital = (
                ui.select(hospital_roles, label="Hospital role").props("outlined").mark("new-hospital")
            )
            new_pin = ui.input("Starting PIN (6-12 digits)", password=True).props("outlined").mark("new-pin")
            ui.button(
                "Add user",
                icon="person_add",
                on_click=lambda: act(
                    f"Added {new_id.value}.",
                    svc.auth.create_user,
                    new_id.value.strip(),
                    new_name.value.strip(),
                    tuple(new_roles.value or ()),
                    new_hospital.value,
                    new_pin.value,
                ),
            ).props("size=lg").mark("add-user-submit")

        with ui.expansion("Reset a PIN or unlock", icon="lock_reset").classes("w-full"):
            target = ui.input("Staff ID of the account").props("outlined").mark("target-staff-id")
            reset_pin = ui.input("New PIN", password=True).props("outlined").mark("reset-pin")
            with ui.row():
                ui.button(
                    "Reset PIN",
                    on_click=lambda: act(
                        f"PIN reset for {target.value}.",
                        svc.auth.reset_pin,
                        target.value.strip(),
                        reset_pin.value,
                    ),
                ).props("size=lg").mark("reset-pin-submit")
                ui.button(
                    "Unlock",
                    on_click=lambda: act(f"Unlocked {target.value}.", svc.auth.unlock, target.value.strip()),
                ).props("size=lg outline").mark("unlock-submit")
                ui.button(
                    "Deactivate",
                    color="negative",
                    on_click=lambda: act(
                        f"Deactivated {target.value}.", svc.auth.set_active, target.value.strip(), False
                    ),
                ).props("size=lg outline").mark("deactivate-submit")
