"""Storage commands: backup, restore and integrity checks."""

from __future__ import annotations

from pathlib import Path

import click

from appliance.config import load_settings
from appliance.store import Severity, StoreError, backup, check_store, restore, verify_backup

_DATA_DIR = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Data folder (default: the configured one, env WARD_DATA_DIR).",
)


def _data_dir(data_dir: Path | None) -> Path:
    return data_dir if data_dir is not None else load_settings().data_dir


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.1f} kB"


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@_DATA_DIR
def backup_command(path: Path, data_dir: Path | None) -> None:
    """Write a consistent snapshot of the records to PATH (.tar.gz); safe while the appliance runs.

    \b
    Example:
        appliance backup /media/usb/ward-$(date +%F).tar.gz
    """
    try:
        info = backup(_data_dir(data_dir), path)
    except (StoreError, OSError) as err:
        raise click.ClickException(str(err)) from err
    click.echo(
        f"Backed up {info.files} files ({_size(info.bytes)}, schema {info.schema_version}) to {info.path}"
    )


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_DATA_DIR
@click.option("--yes", is_flag=True, help="Do not ask before replacing the current records.")
def restore_command(path: Path, data_dir: Path | None, yes: bool) -> None:
    """Check the backup at PATH completely, then replace the records with it (stop the appliance first).

    The records it replaces are kept beside them in store.before-restore-<time>/.

    \b
    Example:
        appliance restore /media/usb/ward-2026-11-23.tar.gz
    """
    folder = _data_dir(data_dir)
    try:
        info = verify_backup(path)
        click.echo(f"{path}: valid backup of store {info.store_id} from {info.created_at:%Y-%m-%d %H:%M} UTC")
        if not yes:
            click.confirm(f"Replace the records in {folder} with it?", abort=True)
        restore(path, folder)
    except StoreError as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"Restored into {folder}")


@click.command("check")
@_DATA_DIR
@click.option("--deep", is_flag=True, help="Also validate every record (slow on a big store).")
@click.option("--quick", is_flag=True, help="Only headers and sizes (seconds, even on a big store).")
def check_command(data_dir: Path | None, deep: bool, quick: bool) -> None:
    """Check every file of the records and print an integrity report (exit status 1 on errors).

    \b
    Example:
        appliance check --data-dir /var/lib/ward
    """
    try:
        report = check_store(_data_dir(data_dir), deep=deep, quick=quick)
    except StoreError as err:
        raise click.ClickException(str(err)) from err
    for finding in report.findings:
        click.echo(str(finding), err=finding.severity is not Severity.INFO)
    status = "ok" if report.ok else "DAMAGED"
    click.echo(
        f"{status}: schema {report.schema_version}, {report.shards} shards, {report.documents} records, "
        f"{report.journal_records} journal records, {_size(report.bytes_on_disk)} on disk"
    )
    if not report.ok:
        raise SystemExit(1)


COMMANDS = (backup_command, restore_command, check_command)
