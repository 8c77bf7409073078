"""Hub commands: serve the central hub, enroll and revoke sites, publish curriculum, sneakernet."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from appliance.sync.hub import (
    Hub,
    export_hub_pack,
    import_records,
    load_hub_settings,
    open_hub,
    publish_files,
    serve,
)

_DATABASE = click.option("--database", help="postgresql://... or sqlite:///path (env WARD_HUB_DATABASE).")
_KEY = click.option(
    "--key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Hub signing key (env WARD_HUB_KEY_FILE).",
)


@contextmanager
def _hub(database: str | None, key_file: Path | None, **more: object) -> Iterator[Hub]:
    hub = open_hub(load_hub_settings(database=database, key_file=key_file, **more))
    try:
        yield hub
    finally:
        hub.close()


@click.group("hub")
def hub_group() -> None:
    """The central hub: sites enroll with it, send their records up and get curriculum down.

    \b
    Example:
        appliance hub serve --database postgresql://ward@db.example/ward
    """


@hub_group.command("serve")
@_DATABASE
@_KEY
@click.option("--host", help="Address to listen on (default 0.0.0.0).")
@click.option("--port", type=int, help="Port (default 8470).")
@click.option("--advertise/--no-advertise", default=None, help="Announce the hub on the LAN (zeroconf).")
@click.option("--advertise-address", help="IPv4 address to announce (default: the listen address).")
@click.option(
    "--advertise-interface", "interfaces", multiple=True, help="Announce only on these IPv4 interfaces."
)
@click.option("--name", help="Service name on the LAN (default ward-hub).")
def serve_command(
    database: str | None,
    key_file: Path | None,
    host: str | None,
    port: int | None,
    advertise: bool | None,
    advertise_address: str | None,
    interfaces: tuple[str, ...],
    name: str | None,
) -> None:
    """Serve the hub's HTTP API (and a status page at /); several processes may share one PostgreSQL.

    \b
    Example:
        appliance hub serve --database postgresql://ward@localhost/ward --port 8470
    """
    with _hub(
        database,
        key_file,
        host=host,
        port=port,
        advertise=advertise,
        advertise_address=advertise_address,
        advertise_interfaces=list(interfaces) or None,
        name=name,
    ) as hub:
        click.echo(
            f"hub {hub.key.fingerprint} on http://{hub.settings.host}:{hub.settings.port} ({hub.db.dialect})"
        )
        serve(hub)


@hub_group.command("enroll-token")
@click.option("--site-name", required=True, help="The site's name as central educators know it.")
@_DATABASE
@_KEY
def enroll_token_command(site_name: str, database: str | None, key_file: Path | None) -> None:
    """Print a one-time token a site uses to enroll (valid 14 days).

    \b
    Example:
        appliance hub enroll-token --site-name "St Mary's NICU"
    """
    with _hub(database, key_file) as hub:
        click.echo(hub.repo.create_token(hub.key, site_name))


@hub_group.command("revoke")
@click.argument("site")
@click.option("--reason", default="revoked by a central educator", help="Shown on the site.")
@_DATABASE
@_KEY
def revoke_command(site: str, reason: str, database: str | None, key_file: Path | None) -> None:
    """Refuse every later request of SITE (its id or name), e.g. a lost or stolen appliance.

    \b
    Example:
        appliance hub revoke "St Mary's NICU" --reason "device reported stolen"
    """
    with _hub(database, key_file) as hub:
        revoked = hub.repo.revoke(site, reason)
        hub.repo.add_notice(hub.key, "site.revoked", {"site_id": revoked.site_id, "reason": reason})
        click.echo(f"revoked {revoked.name} ({revoked.site_id}): {reason}")


@hub_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@_DATABASE
@_KEY
def status_command(as_json: bool, database: str | None, key_file: Path | None) -> None:
    """List sites with events received, cursor and last contact.

    \b
    Example:
        appliance hub status --json
    """
    with _hub(database, key_file) as hub:
        sites = hub.repo.status()
        latest = hub.repo.latest_bundle_version()
        if as_json:
            click.echo(
                json.dumps(
                    {
                        "hub_id": hub.key.fingerprint,
                        "bundle": latest,
                        "sites": [s.model_dump(mode="json") for s in sites],
                    },
                    indent=2,
                )
            )
            return
        click.echo(f"hub {hub.key.fingerprint}, curriculum bundle {latest or 'none'}")
        for s in sites:
            seen = f"{s.last_seen:%Y-%m-%d %H:%M}" if s.last_seen else "never"
            state = f"REVOKED ({s.revoked_reason})" if s.revoked else "active"
            click.echo(f"  {s.name} [{s.site_id}] {state}: {s.events_received} events, last seen {seen}")


@hub_group.command("publish")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@_DATABASE
@_KEY
def publish_command(files: tuple[Path, ...], database: str | None, key_file: Path | None) -> None:
    """Publish module (and taxonomy) files as the next signed curriculum bundle.

    \b
    Example:
        appliance hub publish curriculum/taxonomy.json curriculum/modules/*.json
    """
    with _hub(database, key_file) as hub:
        manifest = publish_files(hub.repo, hub.key, files)
        click.echo(
            f"bundle {manifest.version}: {len(manifest.files)} files, valid until {manifest.expires_at:%Y-%m-%d}"
        )


@hub_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_DATABASE
@_KEY
def import_command(path: Path, database: str | None, key_file: Path | None) -> None:
    """Store a site's records pack from a USB stick (checked against the site's key; importing twice is harmless).

    \b
    Example:
        appliance hub import /media/usb/ward7-records.json
    """
    with _hub(database, key_file) as hub:
        site_id, stored, ack = import_records(hub.repo, path)
        click.echo(f"{site_id}: {stored} new events, cursor {ack}")


@hub_group.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@_DATABASE
@_KEY
def export_command(path: Path, database: str | None, key_file: Path | None) -> None:
    """Write the newest bundle, notices and site cursors to a signed pack for air-gapped sites.

    \b
    Example:
        appliance hub export /media/usb/hub-pack.json
    """
    with _hub(database, key_file) as hub:
        version = export_hub_pack(hub.repo, hub.key, path)
        click.echo(f"wrote {path} (bundle {version or 'none'})")


COMMANDS = (hub_group,)
__all__ = ["COMMANDS"]
