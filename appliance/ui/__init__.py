"""The NiceGUI web app: thin pages over the core services.

Entry points: ``appliance.ui.app.run_app(settings)`` (used by ``appliance serve``) and the main file
``appliance/ui/main.py`` (NiceGUI's test harness). This package imports nothing itself, so pages are
registered only when an entry point builds the app.
"""

__all__: list[str] = []
