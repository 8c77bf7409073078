"""Admin: accounts, roles, PIN resets, unlocking, deactivation (confirmed) and sign-in alerts; all audited."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.responses import RedirectResponse
from nicegui import ui

from appliance.auth import AuthError, Role
from appliance.ui._context import guarded, io_bound, require, services
from appliance.ui._frame import frame
from appliance.ui.pages.catalogue import nav_for

_COLUMNS = [
    {"name": "staff_id", "label": "Staff ID", "field": "staff_id", "align": "left"},
    {"name": "name", "label": "Name", "field": "name", "align": "left"},
    {"name": "roles", "label": "Roles", "field": "roles", "align": "left"},
    {"name": "hospital_role", "label": "Hospital role", "field": "hospital_role", "align": "left"},
    {"name": "status", "label": "Status", "field": "status", "align": "left"},
]
_ROLE_NAMES = [r.value for r in Role]


async def users_page() -> RedirectResponse | None:  # type: ignore[return]
    """List users; add one; change roles; reset a PIN; unlock, deactivate or reactivate an account."""
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
        report = await io_bound(svc.health)
        if not report["storage"].get("writable", True):
            with ui.card().classes("w-full bg-red-1").mark("storage-alert"):
                ui.label(report["storage"].get("message", "The store cannot save.")).classes(
                    "text-lg text-negative"
                )
        message = ui.label("").classes("text-lg").props('role="status"').mark("admin-message")

        @ui.refreshable
        async def table() -> None:
            accounts = await io_bound(svc.auth.accounts)
            rows = [
                {
                    "staff_id": a.staff_id,
                    "name": a.display_name,
                    "roles": ", ".join(a.roles),
                    "hospital_role": hospital_roles.get(a.hospital_role or "", "—"),
                    "status": "inactive" if not a.active else ("locked" if a.locked else "active"),
                }
                for a in accounts
            ]
            ui.table(columns=_COLUMNS, rows=rows, row_key="staff_id").classes("w-full").mark("users-table")

        await table()

        async def act(label: str, fn: Callable[..., object], *args: object) -> None:
            try:
                await io_bound(fn, actor, *args)
            except AuthError as err:
                message.classes(replace="text-lg text-negative").set_text(str(err))
                return
            message.classes(replace="text-lg text-positive").set_text(label)
            table.refresh()

        with ui.expansion("Add a user", icon="person_add").classes("w-full").mark("add-user"):
            new_id = ui.input("Staff ID").props("outlined").mark("new-staff-id")
            new_name = ui.input("Name").props("outlined").mark("new-name")
            new_roles = (
                ui.select(_ROLE_NAMES, multiple=True, value=[Role.LEARNER.value], label="Appliance roles")
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
                on_click=guarded(
                    Role.ADMIN,
                    lambda: act(
                        f"Added {new_id.value}.",
                        svc.auth.create_user,
                        new_id.value.strip(),
                        new_name.value.strip(),
                        tuple(new_roles.value or ()),
                        new_hospital.value,
                        new_pin.value,
                    ),
                ),
            ).props("size=lg").mark("add-user-submit")

        with ui.expansion("Change an account", icon="manage_accounts").classes("w-full").mark("edit-user"):
            target = ui.input("Staff ID of the account").props("outlined").mark("target-staff-id")
            edit_roles = (
                ui.select(
                    _ROLE_NAMES, multiple=True, value=[Role.LEARNER.value], label="Set appliance roles to"
                )
                .props("outlined")
                .mark("edit-roles")
            )
            edit_hospital = (
                ui.select(hospital_roles, label="Set hospital role to")
                .props("outlined clearable")
                .mark("edit-hospital")
            )
            ui.button(
                "Save roles",
                icon="save",
                on_click=guarded(
                    Role.ADMIN,
                    lambda: act(
                        f"Roles saved for {target.value}; they sign in again.",
                        svc.auth.set_roles,
                        target.value.strip(),
                        tuple(edit_roles.value or ()),
                        edit_hospital.value,
                    ),
                ),
            ).props("size=lg").mark("set-roles-submit")
            reset_pin = ui.input("New PIN", password=True).props("outlined").mark("reset-pin")
            with ui.row():
                ui.button(
                    "Reset PIN",
                    on_click=guarded(
                        Role.ADMIN,
                        lambda: act(
                            f"PIN reset for {target.value}.",
                            svc.auth.reset_pin,
                            target.value.strip(),
                            reset_pin.value,
                        ),
                    ),
                ).props("size=lg").mark("reset-pin-submit")
                ui.button(
                    "Unlock",
                    on_click=guarded(
                        Role.ADMIN,
                        lambda: act(f"Unlocked {target.value}.", svc.auth.unlock, target.value.strip()),
                    ),
                ).props("size=lg outline").mark("unlock-submit")
                ui.button(
                    "Reactivate",
                    on_click=guarded(
                        Role.ADMIN,
                        lambda: act(
                            f"Reactivated {target.value}.", svc.auth.set_active, target.value.strip(), True
                        ),
                    ),
                ).props("size=lg outline").mark("reactivate-submit")

                with ui.dialog() as confirm, ui.card().mark("confirm-deactivate"):
                    confirm_text = ui.label("").classes("text-lg")
                    with ui.row():
                        ui.button("Cancel", on_click=confirm.close).props("flat size=lg").mark(
                            "cancel-deactivate"
                        )

                        async def deactivate() -> None:
                            confirm.close()
                            await act(
                                f"Deactivated {target.value}.",
                                svc.auth.set_active,
                                target.value.strip(),
                                False,
                            )

                        ui.button(
                            "Deactivate", color="negative", on_click=guarded(Role.ADMIN, deactivate)
                        ).props("size=lg").mark("confirm-deactivate-submit")

                def ask() -> None:
                    confirm_text.set_text(
                        f"Deactivate {target.value.strip() or '?'}? They are signed out everywhere and cannot "
                        "sign in until reactivated. Their records are kept."
                    )
                    confirm.open()

                ui.button("Deactivate…", color="negative", on_click=guarded(Role.ADMIN, ask)).props(
                    "size=lg outline"
                ).mark("deactivate-submit")

        alerts = await io_bound(svc.auth.sign_in_alerts)
        with (
            ui.expansion(f"Sign-in alerts ({len(alerts)})", icon="gpp_maybe")
            .classes("w-full")
            .mark("sign-in-alerts")
        ):
            if not alerts:
                ui.label("No address has been throttled for repeated wrong PINs.").classes("text-grey-8")
            for entry in alerts:
                ui.label(
                    f"{entry.at:%d %b %H:%M} · {entry.target}: repeated wrong PINs; that address is slowed down."
                ).classes("text-lg")
