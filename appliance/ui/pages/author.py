"""The authors' home (``/author``): open a module, start one from a blank canvas or a template, or import."""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import events, ui

from appliance.auth import Role
from appliance.services import AuthoringError
from appliance.services.authoring import TEMPLATES, blank, import_twee, template
from appliance.ui._context import guarded, io_bound, require, services
from appliance.ui._frame import frame
from appliance.ui.pages.catalogue import nav_for

_BLANK = "blank"


async def author_page(missing: str | None = None) -> RedirectResponse | None:
    """List modules to edit and ways to start a new one (authors and admins only)."""
    user = require(Role.AUTHOR)
    if isinstance(user, RedirectResponse):
        return user
    svc = services()
    modules = await io_bound(svc.authoring.modules)
    with frame(
        "Author scenarios",
        svc.site_name(),
        user.display_name,
        svc.settings.session_timeout_minutes,
        nav_for(user.roles),
    ):
        if missing:
            ui.label("That module does not exist.").classes("text-negative")
        with ui.card().classes("w-full"):
            ui.label("Start a new module").classes("text-h6")
            title = ui.input("Module title").props("outlined").classes("w-full").mark("new-title")
            options = {_BLANK: "Blank canvas"} | {t.id: t.title for t in TEMPLATES}
            start_from = (
                ui.select(options, value=_BLANK, label="Start from")
                .props("outlined")
                .classes("w-full")
                .mark("new-template")
            )

            async def create() -> None:
                name = (title.value or "").strip()
                scenario = (
                    blank(name or "New scenario")
                    if start_from.value == _BLANK
                    else template(start_from.value).scenario
                )
                try:
                    session = await io_bound(svc.authoring.create, name, scenario, user.user_id)
                except AuthoringError as err:
                    ui.notify(str(err), type="warning")
                    return
                ui.navigate.to(f"/author/{session.module.id}")

            ui.button("Create", icon="add", on_click=guarded(Role.AUTHOR, create)).mark("create")
        with ui.card().classes("w-full"):
            ui.label("Import").classes("text-h6")
            ui.label("A module or scenario JSON file, or a Twine story (.twee, Twee 3).").classes(
                "text-grey-8"
            )
            report = ui.column().classes("w-full gap-0").mark("import-report")

            async def received(e: events.UploadEventArguments) -> None:
                data = await e.file.read()
                report.clear()
                try:
                    if e.file.name.lower().endswith((".twee", ".tw", ".txt")):
                        result = import_twee(data.decode("utf-8", errors="replace"))
                        session = await io_bound(
                            svc.authoring.create, result.scenario.title, result.scenario, user.user_id
                        )
                        with report:
                            ui.label(f"Imported as '{session.module.id}'.").classes("font-medium")
                            for line in result.mapped:
                                ui.label("✓ " + line)
                            for line in result.not_mapped:
                                ui.label("✗ " + line).classes("text-orange-10")
                            ui.button(
                                "Open in the editor",
                                on_click=lambda: ui.navigate.to(f"/author/{session.module.id}"),
                            )
                    else:
                        session = await io_bound(svc.authoring.import_json, data, user.user_id)
                        ui.navigate.to(f"/author/{session.module.id}")
                except AuthoringError as err:
                    with report:
                        ui.label(str(err)).classes("text-negative")

            ui.upload(
                on_upload=guarded(Role.AUTHOR, received), auto_upload=True, max_file_size=2_000_000
            ).props('accept=".json,.twee,.tw,.txt"').classes("w-full").mark("import")
        ui.label("Modules").classes("text-h6")
        for module_id, module_title, has_draft, published in modules:
            with ui.row().classes("w-full items-center justify-between no-wrap").mark(f"module-{module_id}"):
                with ui.column().classes("gap-0"):
                    ui.label(module_title).classes("text-lg")
                    state = ("draft" if has_draft else "") + (" · published" if published else "")
                    ui.label(state.strip(" ·") or "published").classes("text-grey-8")
                ui.button(
                    "Edit", icon="edit", on_click=lambda m=module_id: ui.navigate.to(f"/author/{m}")
                ).mark(f"edit-{module_id}")
    return None
