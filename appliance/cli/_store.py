"""Storage commands: the backup key kit, encrypted backup, restore and integrity checks."""

from __future__ import annotations

from pathlib import Path

import click

from appliance.config import load_settings
from appliance.keys import KeysError, RecoveryKey, make_key_kit
from appliance.store import StoreError
from appliance.store.maintenance import NoBackupKey, backup, check_store, restore, verify_backup
from appliance.store.reports import Severity

_DATA_DIR = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Data folder (default: the configured one, env WARD_DATA_DIR).",
)


def _data_dir(data_dir: Path | None) -> Path:
    return data_dir if data_dir is not None else load_settings().data_dir


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.1f} kB"


@click.command("backup-key")
@_DATA_DIR
@click.option(
    "--save",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the recovery key to this new 0600 file (e.g. on a USB stick kept in the safe).",
)
@click.option(
    "--replace", is_flag=True, help="Make a new kit over the existing one (old backups keep the old key)."
)
def backup_key_command(data_dir: Path | None, save: Path | None, replace: bool) -> None:
    """Create the backup key kit and show the recovery key ONCE (print it or save it).

    The appliance keeps only the public half, so it can write backups but cannot read them: restoring
    needs the recovery key.

    \b
    Example:
        appliance backup-key --save /media/usb/ward-recovery-key.txt
    """
    try:
        if save is not None and not save.parent.is_dir():
            raise click.ClickException(f"the folder {save.parent} does not exist (is the USB stick mounted?)")
        if save is not None and save.exists():
            raise click.ClickException(f"{save} exists already; choose a new file for the recovery key")
        key = make_key_kit(_data_dir(data_dir), replace=replace)
        click.echo(key.sheet())
        if save is not None:
            click.echo(f"Saved to {key.save(save)} (mode 0600).")
    except KeysError as err:
        raise click.ClickException(str(err)) from err


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@_DATA_DIR
def backup_command(path: Path, data_dir: Path | None) -> None:
    """Write an encrypted snapshot of the records and keys to PATH (.wardbackup); safe while serving.

    The folder must exist (an unmounted USB stick is reported, not created). Restoring it needs the
    recovery key shown by `appliance backup-key`.

    \b
    Example:
        appliance backup /media/usb/ward-$(date +%F).wardbackup
    """
    try:
        info = backup(_data_dir(data_dir), path)
    except StoreError as err:
        raise click.ClickException(str(err)) from err
    click.echo(
        f"Backed up {info.files} files and {info.key_files} keys ({_size(info.bytes)}, "
        f"{_size(info.archive_bytes)} encrypted, schema {info.schema_version}) to {info.path}"
    )


def _key(key_file: Path | None) -> RecoveryKey:
    if key_file is not None:
        return RecoveryKey.read(key_file)
    text = click.prompt("Recovery key (AGE-SECRET-KEY-1...)", hide_input=True, err=True)
    return RecoveryKey.parse(text)


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_DATA_DIR
@click.option(
    "--key-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The recovery key file (asked for when not given).",
)
@click.option("--yes", is_flag=True, help="Do not ask before replacing the current records.")
def restore_command(path: Path, data_dir: Path | None, key_file: Path | None, yes: bool) -> None:
    """Check the backup at PATH completely, then replace the records with it (stop the appliance first).

    The records and keys it replaces are kept beside them in store.before-restore-<time>/ and
    keys.before-restore-<time>/.

    \b
    Example:
        appliance restore /media/usb/ward-2026-11-23.wardbackup --key-file /media/usb/ward-recovery-key.txt
    """
    folder = _data_dir(data_dir)
    try:
        try:
            key = None
            info = verify_backup(path)
        except NoBackupKey:  # encrypted: ask for the key
            key = _key(key_file)
            info = verify_backup(path, key=key)
        kind = "encrypted backup" if info.encrypted else "unencrypted backup (from an older version)"
        click.echo(f"{path}: valid {kind} of store {info.store_id} from {info.created_at:%Y-%m-%d %H:%M} UTC")
        if not yes:
            click.confirm(f"Replace the records in {folder} with it?", abort=True)
        restore(path, folder, key=key)
    except (StoreError, KeysError) as err:
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
    folder = _data_dir(data_dir)
    try:
        report = check_store(folder, deep=deep, quick=quick)
    except StoreError as err:
        raise click.ClickException(str(err)) from err
    if not report.exists and report.ok:
        click.echo(f"no store here yet: {folder} (it is created when the appliance first starts)")
        return
    for finding in report.findings:
        click.echo(str(finding), err=finding.severity is not Severity.INFO)
    status = "ok" if report.ok else "DAMAGED"
    click.echo(
        f"{status}: schema {report.schema_version}, {report.shards} shards, {report.documents} records, "
        f"{report.journal_records} journal records, {_size(report.bytes_on_disk)} on disk"
    )
    if not report.ok:
        raise SystemExit(1)


COMMANDS = (backup_key_command, backup_command, restore_command, check_command)
