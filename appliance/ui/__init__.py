"""The NiceGUI web app: thin pages over the core services."""

from appliance.ui._app import run_app

__all__ = ["run_app"]
