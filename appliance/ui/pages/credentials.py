"""The learner's signed credentials: achievement, alignment, results; JSON, baked PNG, QR and a printable view."""

from __future__ import annotations

import re
from urllib.parse import quote

import segno
from fastapi.responses import RedirectResponse
from nicegui import ui

from appliance.auth import Role
from appliance.services import CredentialNotFound
from appliance.services.views import CredentialView
from appliance.ui._context import guarded, io_bound, require, services
from appliance.ui._frame import frame
from appliance.ui.pages.catalogue import nav_for

_PRINT_CSS = """
@media print { .q-header, .no-print { display: none !important; } body { background: white; } }
.ward-certificate { border: 6px double #1e3a8a; padding: 2.5rem; text-align: center; }
"""


def verify_link(view: CredentialView) -> str:
    """The verify page for this credential on this box (what the QR code holds)."""
    base = services().settings.public_url.rstrip("/")
    return f"{base}/verify?credential={quote(view.credential_id, safe='')}"


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "credential"


def _qr(view: CredentialView) -> str:
    return segno.make(verify_link(view), error="m").svg_data_uri(scale=5)


def _card(view: CredentialView) -> None:
    svc = services()
    with ui.card().classes("w-full").mark(f"credential-{view.record_id}"):
        with ui.row().classes("items-center justify-between w-full"):
            ui.label(view.title).classes("text-h6")
            ui.badge(view.achievement_type, color="amber-9").classes("text-base px-3 py-1")
        until = f", valid until {view.valid_until}" if view.valid_until else ""
        ui.label(f"Issued {view.issued_on}{until}").classes("text-grey-8")
        if view.revoked:
            ui.label(f"Revoked: {view.revoked_reason}").classes("text-negative text-lg").mark("revoked")
        elif view.renewal:
            ui.label(view.renewal).classes("text-warning text-lg").mark("renewal")
        if view.description:
            ui.label(view.description)
        with ui.expansion("Competencies and roles", icon="hub").classes("w-full"), ui.row().classes("gap-1"):
            for kind, title in view.alignments:
                ui.chip(title, icon="badge" if kind == "role" else "school").props("outline")
        if view.results:
            with ui.expansion("Results at each decision", icon="checklist").classes("w-full").mark("results"):
                for what, value in view.results:
                    with ui.row().classes("justify-between w-full no-wrap"):
                        ui.label(what)
                        ui.label(value).classes("font-medium")
        if view.evidence:
            ui.label("Evidence: " + "; ".join(view.evidence)).classes("text-grey-8")
        with ui.row().classes("gap-2"):
            name = _slug(view.title)
            ui.button(
                "Download JSON",
                icon="data_object",
                on_click=lambda: ui.download.content(view.json.encode(), f"{name}.json", "application/json"),
            ).mark(f"download-json-{view.record_id}")

            async def png() -> None:
                data = await io_bound(svc.credentials.baked_png, view)
                ui.download.content(data, f"{name}.png", "image/png")

            ui.button("Download badge (PNG)", icon="image", on_click=guarded(Role.LEARNER, png)).mark(
                f"download-png-{view.record_id}"
            )
            with ui.dialog() as dialog, ui.card().classes("items-center"):
                ui.image(_qr(view)).classes("w-64 h-64").mark("qr")
                ui.label("Scan to verify on the ward network").classes("text-grey-8")
                ui.button("Close", on_click=dialog.close)
            ui.button("QR code", icon="qr_code_2", on_click=dialog.open).mark(f"qr-{view.record_id}")
            ui.button(
                "Printable certificate",
                icon="print",
                on_click=lambda: ui.navigate.to(f"/credentials/{view.record_id}/print"),
            ).props("outline")


async def credentials_page() -> RedirectResponse | None:  # type: ignore[return]
    """Show the signed-in learner's credentials."""
    session = require(Role.LEARNER)
    if isinstance(session, RedirectResponse):
        return session
    svc = services()
    views = await io_bound(svc.credentials.for_learner, session.user_id)
    with frame(
        "Your credentials",
        svc.site_name(),
        session.display_name,
        svc.settings.session_timeout_minutes,
        nav_for(session.roles),
    ):
        if not views:
            ui.label("Pass a module to earn your first badge.").classes("text-lg").mark("no-credentials")
        for view in views:
            _card(view)


async def print_page(record_id: str) -> RedirectResponse | None:  # type: ignore[return]
    """A printable certificate for one of the learner's credentials."""
    session = require(Role.LEARNER)
    if isinstance(session, RedirectResponse):
        return session
    svc = services()
    try:
        view = await io_bound(svc.credentials.get, session.user_id, record_id)
    except CredentialNotFound:
        return RedirectResponse("/credentials", status_code=303)
    ui.add_css(_PRINT_CSS)
    with frame("Certificate", svc.site_name(), session.display_name, svc.settings.session_timeout_minutes):
        with ui.column().classes("ward-certificate w-full items-center gap-3").mark("certificate"):
            ui.label(svc.site_name()).classes("text-h6 text-grey-8")
            ui.label("certifies that").classes("italic")
            ui.label(session.display_name).classes("text-h4")
            ui.label("has earned the").classes("italic")
            ui.label(f"{view.achievement_type}: {view.title}").classes("text-h5")
            ui.label(view.criteria).classes("text-grey-8 max-w-xl")
            until = f" · valid until {view.valid_until}" if view.valid_until else ""
            ui.label(f"Issued {view.issued_on}{until}")
            ui.image(_qr(view)).classes("w-40 h-40")
            ui.label(f"Verify: {verify_link(view)}").classes("text-xs break-all")
            ui.label(view.credential_id).classes("text-xs text-grey-7")
        ui.button("Print", icon="print", on_click=lambda: ui.run_javascript("window.print()")).classes(
            "no-print"
        )
