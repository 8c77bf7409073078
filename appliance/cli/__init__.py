"""The ``appliance`` command line: a thin layer over the library."""

from appliance.cli._main import cli, main

__all__ = ["cli", "main"]
