"""The shared page frame: header, sign-out, inactivity timeout and a calm, readable layout."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from nicegui import ui

from appliance.ui._context import forget_session

_CSS = """
body { font-size: 1.125rem; }
.q-btn { min-height: 3rem; }
.ward-choice .q-radio__label { font-size: 1.2rem; padding: 0.6rem 0; }
.ward-choice .q-radio { min-height: 3.25rem; width: 100%; }
:focus-visible { outline: 3px solid #1565c0 !important; outline-offset: 2px; }
"""

# Signs a shared kiosk out after `minutes` without touch, pointer or key input (the server also checks).
_IDLE_JS = """
(() => {{
  let last = Date.now();
  const bump = () => {{ last = Date.now(); }};
  ['pointerdown', 'keydown', 'touchstart', 'wheel'].forEach(e => window.addEventListener(e, bump, {{passive: true}}));
  const out = () => fetch('/logout?reason=idle', {{method: 'POST', credentials: 'same-origin'}})
    .finally(() => {{ window.location.href = '/login?reason=idle'; }});
  setInterval(() => {{ if (Date.now() - last > {ms}) out(); }}, 5000);
}})();
"""


def _sign_out() -> None:
    """End this browser's session on the server; its pages are sent to sign-in."""
    forget_session()
    ui.navigate.to("/login")


@contextmanager
def frame(
    title: str,
    site_name: str,
    user_name: str | None = None,
    idle_minutes: int | None = None,
    nav: list[tuple[str, str]] | None = None,
) -> Iterator[ui.column]:
    """Lay out a page: a header with the site and user, then a centred content column."""
    ui.add_css(_CSS)
    ui.page_title(f"{title} · {site_name}")
    with ui.header().classes("items-center justify-between bg-blue-9 px-4 py-2"):
        with ui.row().classes("items-center gap-3"):
            ui.icon("local_hospital", size="md")
            ui.link(site_name, "/").classes("text-white text-xl font-medium no-underline")
        with ui.row().classes("items-center gap-2 flex-wrap justify-end"):  # many role links wrap on a tablet
            for label, target in nav or []:
                ui.link(label, target).classes("text-white text-lg no-underline mx-2")
            if user_name:
                ui.label(user_name).classes("text-lg")
                ui.button("Sign out", icon="logout", on_click=_sign_out).props("flat color=white").mark(
                    "sign-out"
                )
    if idle_minutes:
        ui.add_body_html(f"<script>{_IDLE_JS.format(ms=idle_minutes * 60_000)}</script>")
    with ui.column().classes("w-full max-w-3xl mx-auto p-4 gap-4") as column:
        ui.label(title).classes("text-h5 font-medium")
        yield column
