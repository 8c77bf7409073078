"""The ``serve`` command: run the appliance web app."""

from __future__ import annotations

from pathlib import Path

import click

from appliance.config import load_settings


@click.command()
@click.option("--host", help="Address to listen on (default 0.0.0.0, env WARD_HOST).")
@click.option("--port", type=int, help="HTTP port (default 8080, env WARD_PORT).")
@click.option(
    "--data-dir", type=click.Path(file_okay=False, path_type=Path), help="Data folder (env WARD_DATA_DIR)."
)
def serve(host: str | None, port: int | None, data_dir: Path | None) -> None:
    """Run the appliance on the ward LAN (demo curriculum and local data folder by default).

    \b
    Example:
        appliance serve --port 8080 --data-dir /var/lib/ward
    """
    from appliance.ui.app import run_app  # NiceGUI loads only for this command

    run_app(load_settings(host=host, port=port, data_dir=data_dir))


COMMANDS = (serve,)
