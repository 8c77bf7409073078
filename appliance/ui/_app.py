"""Build and run the web app."""

from __future__ import annotations

from nicegui import app, ui

from appliance import __version__
from appliance.config import Settings
from appliance.engine import load_curriculum


def run_app(settings: Settings) -> None:
    """Start the web server on the configured host and port (blocks)."""
    curriculum = load_curriculum(settings.curriculum_dir)

    @app.get("/healthz")
    def healthz() -> dict[str, object]:
        return {"status": "ok", "version": __version__, "modules": len(curriculum.modules)}

    @ui.page("/")
    def index() -> None:
        ui.label(settings.site_name).classes("text-h4")
        for module in curriculum.modules:
            ui.label(f"{module.title} (~{module.minutes} min)").classes("text-h6")

    ui.run(host=settings.host, port=settings.port, title="Ward training", reload=False, show=False)
