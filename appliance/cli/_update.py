"""Update commands used by the image's boot and install steps (A/B slots, RAUC)."""

from __future__ import annotations

from pathlib import Path

import click

from appliance.config import load_settings
from appliance.store import StoreError
from appliance.update import UpdateError, backup_before_update, guard_data

_BACKUPS = click.option(
    "--backups",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("/var/lib/ward/backups"),
    show_default=True,
    help="Where pre-update backups are kept (on the data partition).",
)


@click.group()
def update() -> None:
    """Keep the data openable across A/B updates and rollbacks (run by the image's units).

    \b
    Example:
        appliance update backup-before --version 1.2.0
        appliance update guard
    """


@update.command("backup-before")
@click.option("--version", "version", required=True, help="The version being replaced (names the backup).")
@_BACKUPS
def backup_before(version: str, backups: Path) -> None:
    """Back up the store before an update is written (RAUC pre-install); exit 1 refuses the update.

    \b
    Example:
        appliance update backup-before --version 1.2.0
    """
    try:
        path = backup_before_update(load_settings().data_dir, backups, version)
    except (StoreError, OSError) as err:
        raise click.ClickException(f"no backup, so no update: {err}") from err
    click.echo(f"backup: {path}" if path else "no store yet: nothing to back up")


@update.command("guard")
@_BACKUPS
def guard(backups: Path) -> None:
    """Before the appliance starts: make sure this slot can open the store, restoring a pre-update backup if not.

    \b
    Example:
        appliance update guard
    """
    try:
        outcome = guard_data(load_settings().data_dir, backups)
    except (UpdateError, StoreError) as err:
        raise click.ClickException(str(err)) from err
    click.echo(outcome.message)


COMMANDS = (update,)
