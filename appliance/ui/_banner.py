"""What ``appliance serve`` prints once it listens: where to open it, the CA to trust, the setup code."""

from __future__ import annotations

import click

from appliance.config import Settings
from appliance.tls import local_names


def print_banner(settings: Settings, setup_code: str | None, ca_fingerprint: str | None) -> None:
    """Tell the person at the console how to reach the box and, before setup, the one-time code."""
    scheme = "https" if settings.tls else "http"
    names, addresses = local_names()
    if settings.host not in ("0.0.0.0", "::"):
        shown = [settings.host]
    else:
        shown = [a for a in addresses if ":" not in a and not a.startswith("127.")] + [
            n for n in names if n.endswith(".local")
        ]
    click.echo("")
    click.secho("Ward training appliance is ready.", bold=True)
    for where in shown or ["127.0.0.1"]:
        click.echo(f"  Open {scheme}://{where}:{settings.port} on a tablet on the ward network.")
    if ca_fingerprint:
        click.echo(f"  Certificate (install {settings.data_dir / 'tls' / 'ca.pem'} on tablets once):")
        click.echo(f"    SHA-256 {ca_fingerprint}")
    if setup_code:
        click.secho(f"  First-run setup code: {setup_code}", bold=True)
        click.echo("  (type it on the setup page; `appliance setup-code` shows it again)")
    click.echo("  Press Ctrl+C to stop.", err=False)
