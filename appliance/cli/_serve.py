"""The ``serve`` command: run the appliance web app."""

from __future__ import annotations

from pathlib import Path

import click

from appliance.config import load_settings


@click.command()
@click.option("--host", help="Address to listen on (default 0.0.0.0, env WARD_HOST).")
@click.option("--port", type=int, help="HTTPS port (default 8443, env WARD_PORT).")
@click.option(
    "--data-dir", type=click.Path(file_okay=False, path_type=Path), help="Data folder (env WARD_DATA_DIR)."
)
def serve(host: str | None, port: int | None, data_dir: Path | None) -> None:
    """Run the appliance on the ward LAN (demo curriculum and local data folder by default).

    \b
    Example:
        appliance serve --port 8443 --data-dir /var/lib/ward
        WARD_TLS=false appliance serve --port 8080     # plain HTTP, e.g. behind IT's own TLS proxy
    """
    settings = load_settings(host=host, port=port, data_dir=data_dir)
    click.echo(f"Starting the ward appliance (data in {settings.data_dir.resolve()}) ...")
    click.echo("  loading the web app, the store, the curriculum and the grader")
    from appliance.ui.app import run_app  # NiceGUI loads only for this command

    run_app(settings)


COMMANDS = (serve,)
