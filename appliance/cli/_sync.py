"""Site sync commands: enroll with a hub, sync now, status, sneakernet, rollback and pins."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import click
import httpx

from appliance.config import load_settings
from appliance.store import Store
from appliance.sync import (
    Installer,
    async_enroll,
    async_sync,
    export_records,
    import_hub_pack,
    sync_status,
)

_DATA_DIR = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Data folder (default: the configured one, env WARD_DATA_DIR).",
)


def _folder(data_dir: Path | None) -> Path:
    return data_dir if data_dir is not None else load_settings().data_dir


def _client() -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=30)


@click.group("sync")
def sync_group() -> None:
    """This appliance's sync with the central hub (records up, curriculum down).

    \b
    Example:
        appliance sync status --json
    """


@sync_group.command("enroll")
@click.argument("hub_url")
@click.argument("token")
@_DATA_DIR
@click.option("--issuer-key", help="This site's credential issuer public key, for the hub to endorse.")
def enroll_command(hub_url: str, token: str, data_dir: Path | None, issuer_key: str | None) -> None:
    """Register this appliance's key with the hub at HUB_URL using a one-time TOKEN.

    \b
    Example:
        appliance sync enroll http://hub.example:8470 wt1.3f2a...c9.Xy...
    """

    async def run(store: Store) -> str:
        async with _client() as client:
            identity = await async_enroll(store, client, hub_url, token, issuer_key=issuer_key)
        return f"enrolled as {identity.site_name} ({identity.site_id}) with hub {identity.hub_id}"

    with Store.open(_folder(data_dir)) as store:
        click.echo(asyncio.run(run(store)))


@sync_group.command("now")
@_DATA_DIR
@click.option("--no-discover", is_flag=True, help="Only try the enrolled (and configured) URL, no zeroconf.")
def now_command(data_dir: Path | None, no_discover: bool) -> None:
    """Sync once now: send pending records, fetch notices and any newer curriculum (stop the appliance first).

    \b
    Example:
        appliance sync now
    """
    settings = load_settings()
    urls = (settings.hub_url,) if settings.hub_url else ()

    async def run(store: Store) -> str:
        async with _client() as client:
            report = await async_sync(store, client, urls=urls, discover=not no_discover)
        refill = f", refilled the hub from {report.refilled_from}" if report.refilled_from is not None else ""
        bundle = f", installed bundle {report.installed_bundle}" if report.installed_bundle else ""
        return f"sent {report.pushed} events in {report.chunks} chunks, cursor {report.acknowledged}{refill}{bundle}"

    with Store.open(_folder(data_dir)) as store:
        click.echo(asyncio.run(run(store)))


@sync_group.command("status")
@_DATA_DIR
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def status_command(data_dir: Path | None, as_json: bool) -> None:
    """Show the last sync: state, last success, last error, pending events (works while the appliance runs).

    \b
    Example:
        appliance sync status --json
    """
    status = sync_status(_folder(data_dir))
    if as_json:
        click.echo(status.model_dump_json(indent=2))
        return
    click.echo(f"state: {status.state.value}")
    for field in (
        "hub_url",
        "last_success",
        "last_error",
        "pending_events",
        "acknowledged",
        "installed_bundle",
        "revoked_reason",
    ):
        value = getattr(status, field)
        if value is not None:
            click.echo(f"{field.replace('_', ' ')}: {value}")


@sync_group.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@_DATA_DIR
def export_command(path: Path, data_dir: Path | None) -> None:
    """Write the records the hub has not acknowledged to a signed pack (for `appliance hub import`).

    \b
    Example:
        appliance sync export /media/usb/ward7-records.json
    """
    with Store.open(_folder(data_dir)) as store:
        count = export_records(store, path)
    click.echo(f"wrote {count} events to {path}")


@sync_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_DATA_DIR
def import_command(path: Path, data_dir: Path | None) -> None:
    """Verify and apply a hub pack (from `appliance hub export`): curriculum, notices, acknowledged cursor.

    \b
    Example:
        appliance sync import /media/usb/hub-pack.json
    """
    with Store.open(_folder(data_dir)) as store:
        report = import_hub_pack(store, path)
    click.echo(
        f"bundle {report.installed_bundle or 'unchanged'}, {report.notices} notices, cursor {report.acknowledged}"
    )


@sync_group.command("rollback")
@_DATA_DIR
def rollback_command(data_dir: Path | None) -> None:
    """Go back to the previous curriculum bundle (restart the appliance to load it).

    \b
    Example:
        appliance sync rollback
    """
    with Store.open(_folder(data_dir)) as store:
        installed = Installer(store.data_dir, on_module=store.curriculum.publish).rollback()
    click.echo(f"curriculum bundle {installed.version} is active (previous {installed.previous})")


@sync_group.command("pin")
@click.argument("module")
@click.argument("version", required=False)
@_DATA_DIR
def pin_command(module: str, version: str | None, data_dir: Path | None) -> None:
    """Keep MODULE at VERSION through later bundles (no VERSION: remove the pin).

    \b
    Example:
        appliance sync pin ai-safety-sepsis 1.0.0
    """
    with Store.open(_folder(data_dir)) as store:
        installed = Installer(store.data_dir, on_module=store.curriculum.publish).pin(module, version)
    click.echo(json.dumps({"bundle": installed.version, "pins": installed.pins}))


COMMANDS = (sync_group,)
__all__ = ["COMMANDS"]
