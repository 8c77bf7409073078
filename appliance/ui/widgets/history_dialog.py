"""The editor's version history: published versions with notes and hashes, to restore or export."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from nicegui import ui

from appliance.services.authoring import VersionInfo


def history_dialog(
    versions: Sequence[VersionInfo],
    restore: Callable[[str], Awaitable[None]],
    export: Callable[[str], None],
) -> None:
    """Open the history; ``restore`` and ``export`` take a version number."""
    with ui.dialog() as dialog, ui.card().classes("w-[36rem]"):
        ui.label("Version history").classes("text-h6")
        if not versions:
            ui.label("Nothing published yet.")
        for v in versions:
            with ui.row().classes("w-full items-center justify-between no-wrap").mark(f"version-{v.version}"):
                with ui.column().classes("gap-0"):
                    ui.label(f"{v.version} · {v.published_at:%Y-%m-%d %H:%M}").classes("font-medium")
                    ui.label(v.note or "(no note)").classes("text-grey-8")
                    ui.label(v.content_hash[:19] + "…").classes("text-grey-6 text-xs")

                async def restore_this(version: str = v.version) -> None:
                    dialog.close()
                    await restore(version)

                with ui.row().classes("no-wrap"):
                    ui.button("Restore", on_click=restore_this).props("flat").mark(f"restore-{v.version}")
                    ui.button("Export", on_click=lambda version=v.version: export(version)).props("flat")
        ui.button("Close", on_click=dialog.close).props("flat")
    dialog.open()
