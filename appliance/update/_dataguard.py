"""Rollback and the data partition: the slot that boots must be able to open the store, or get it back.

The store migrates forward when a newer appliance opens it, and an older one refuses data written by a newer
one (``SchemaTooNew``). So before RAUC writes the other slot, ``backup_before_update`` takes a consistent backup;
and before the appliance starts on every boot, ``guard_data`` checks the store's schema against this slot's:

- not newer: nothing to do (the normal case, and a rollback before any migration);
- newer (a rollback after the new slot migrated): the newest pre-update backup this slot can read is restored
  and the migrated store is kept aside next to it (``store-set-aside-v<N>-<time>``), never deleted;
- newer and no readable backup: refused (``DataTooNew``); the appliance does not start on data it cannot read.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import pyrage

from appliance.keys import KeyFiles, RecoveryKey
from appliance.store import StoreError
from appliance.store.maintenance import BackupInvalid, backup, restore, verify_backup
from appliance.store.migrations import SCHEMA_VERSION
from appliance.update._errors import DataTooNew

BACKUP_PREFIX = "pre-update-"
SNAPSHOT_KEY = "update-snapshot.age"
"""A key the box holds for its own pre-update snapshots (on the same disk as the live store, so holding the
key there exposes nothing more). Off-box backups stay encrypted to the site's recovery key."""


def snapshot_key(data_dir: Path) -> RecoveryKey:
    """The box-held age key that pre-update snapshots are encrypted to (made on first use, 0600)."""
    files = KeyFiles(data_dir)
    stored = files.read(SNAPSHOT_KEY)
    if stored is None:
        stored = str(pyrage.x25519.Identity.generate()).encode()
        files.write(SNAPSHOT_KEY, stored)
    secret = stored.decode().strip()
    identity = pyrage.x25519.Identity.from_str(secret)
    return RecoveryKey(secret=secret, recipient=str(identity.to_public()))


@dataclass(frozen=True)
class GuardOutcome:
    """What the guard found and did."""

    stored_schema: int | None
    supported_schema: int
    restored_from: Path | None = None
    set_aside: Path | None = None

    @property
    def message(self) -> str:
        """One line for the console and the journal."""
        if self.stored_schema is None:
            return "no store yet (first start): nothing to check"
        if self.restored_from is None:
            return f"store schema {self.stored_schema} readable by this slot (up to {self.supported_schema})"
        return (
            f"store schema {self.stored_schema} is newer than this slot reads ({self.supported_schema}): restored "
            f"{self.restored_from.name}; the newer store is kept in {self.set_aside}"
        )


def stored_schema(data_dir: Path) -> int | None:
    """Return the schema version recorded in the store's ``store.json`` (None: no store yet)."""
    meta = Path(data_dir) / "store" / "store.json"
    if not meta.is_file():
        return None
    return int(json.loads(meta.read_text())["schema_version"])


def backup_before_update(data_dir: Path, backups_dir: Path, version: str) -> Path | None:
    """Take the consistent backup a rollback restores (None: there is no store yet, nothing to keep).

    :raises StoreError: the backup could not be written; the caller must then refuse the update.
    """
    if stored_schema(data_dir) is None:
        return None
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    path = backups_dir / f"{BACKUP_PREFIX}{stamp}-from-{version}.wardbackup"
    info = backup(data_dir, path, recipient=snapshot_key(data_dir).recipient)
    return Path(info.path)


def guard_data(data_dir: Path, backups_dir: Path, supported: int = SCHEMA_VERSION) -> GuardOutcome:
    """Make sure this slot can open the store (see the module docstring). Run it before the appliance starts.

    :raises DataTooNew: the store is newer than this slot reads and no pre-update backup can replace it.
    """
    data_dir = Path(data_dir)
    found = stored_schema(data_dir)
    if found is None or found <= supported:
        return GuardOutcome(found, supported)
    key = snapshot_key(data_dir)
    for candidate in sorted(backups_dir.glob(f"{BACKUP_PREFIX}*.wardbackup"), reverse=True):
        try:
            info = verify_backup(candidate, key=key)
        except (BackupInvalid, StoreError):
            continue
        if info.schema_version > supported:
            continue
        aside = data_dir / f"store-set-aside-v{found}-{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}"
        (data_dir / "store").rename(aside)
        restore(candidate, data_dir, key=key)
        return GuardOutcome(found, supported, restored_from=candidate, set_aside=aside)
    raise DataTooNew(
        f"the store has schema {found}, this slot reads up to {supported}, and no pre-update backup in "
        f"{backups_dir} fits: reinstall the newer update, or restore a backup with `appliance restore`"
    )
