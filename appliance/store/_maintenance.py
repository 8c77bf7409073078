"""Whole-folder operations on the appliance's store: check, verify and restore, with the ward's layout."""

from __future__ import annotations

from pathlib import Path

from appliance.keys import RecoveryKey
from appliance.store._schema import WARD_LAYOUT
from appliance.store.engine import BackupInfo, IntegrityReport, StoreOptions
from appliance.store.engine import check_store as _check_store
from appliance.store.engine import restore as _restore
from appliance.store.engine import verify_backup as _verify_backup


def check_store(
    data_dir: Path, *, deep: bool = False, quick: bool = False, wait: float = 60.0
) -> IntegrityReport:
    """Check every file of the store in ``data_dir``.

    :param deep: also validate every record against its model (slow on a big store).
    :param quick: only headers and sizes (catches truncation and missing files, not changed bytes).
    :raises StoreError: the files could not be frozen for reading (a checkpoint ran for ``wait`` s).
    """
    return _check_store(data_dir, WARD_LAYOUT, deep=deep, quick=quick, wait=wait)


def verify_backup(archive: Path, *, key: RecoveryKey | None = None) -> BackupInfo:
    """Check a backup completely (decrypting it with ``key``) without changing anything.

    :raises NoBackupKey: the backup is encrypted and no key was given.
    :raises WrongBackupKey: the key does not open it.
    :raises BackupInvalid: anything is missing, extra, altered or damaged, or the schema is too new.
    """
    return _verify_backup(archive, WARD_LAYOUT, key=key)


def restore(
    archive: Path,
    data_dir: Path,
    *,
    key: RecoveryKey | None = None,
    options: StoreOptions | None = None,
) -> BackupInfo:
    """Replace the store (and key files) in ``data_dir`` with a backup, after checking it completely.

    :raises NoBackupKey: the backup is encrypted and no key was given.
    :raises WrongBackupKey: the key does not open it; nothing was replaced.
    :raises BackupInvalid: the archive failed a check; nothing was replaced.
    :raises StoreLocked: the appliance has the store open; stop it first.
    """
    return _restore(archive, data_dir, WARD_LAYOUT, key=key, options=options)
