"""Entry file for NiceGUI's test harness and ``python -m appliance.ui.main``; settings come from WARD_* env vars."""

from __future__ import annotations

from nicegui import ui

from appliance.config import load_settings
from appliance.ui.app import build_app, run_options

services = build_app(load_settings())

if __name__ in {"__main__", "__mp_main__"}:
    ui.run(**run_options(services))
