"""Errors of the storage engine (the record errors are in ``appliance.store._errors``).

::

    StoreError                 base of everything the store raises
    ├── StoreLocked            another process has the data folder open for writing
    ├── StoreCorrupt           damaged files that could not be recovered (or repair was turned off)
    ├── SchemaTooNew           the data was written by a newer appliance; restore a backup or upgrade
    ├── BackupInvalid          a backup archive failed validation; nothing was replaced
    │   └── WrongBackupKey     the recovery key given does not open this backup
    ├── NoBackupKey            no key: the appliance has no backup key kit, or restore was given no key
    ├── BackupTargetMissing    the folder to write the backup into does not exist (USB stick not mounted?)
    └── StoreIOError           the disk refused a write; writes resume by themselves once the cause is gone
        ├── DiskFull           free space fell below the store's reserve (or the disk said ENOSPC)
        └── JournalFull        the journal reached its bound because checkpoints cannot run
"""

from __future__ import annotations


class StoreError(Exception):
    """Base class for storage errors."""


class StoreLocked(StoreError):
    """Another process has the data folder open for writing."""


class StoreCorrupt(StoreError):
    """Damaged files that could not be recovered without losing acknowledged data."""


class SchemaTooNew(StoreError):
    """The data was written by a newer version of the appliance."""


class BackupInvalid(StoreError):
    """A backup archive failed validation."""


class WrongBackupKey(BackupInvalid):
    """The recovery key given does not open this backup."""


class NoBackupKey(StoreError):
    """A backup needs the appliance's key kit, or a restore needs the recovery key, and there is none."""


class BackupTargetMissing(StoreError):
    """The folder a backup should be written to does not exist."""


class StoreIOError(StoreError):
    """The disk refused a write; nothing of that write was acknowledged."""


class DiskFull(StoreIOError):
    """The disk is (nearly) full: writes are refused until space is freed, then resume by themselves."""


class JournalFull(StoreIOError):
    """The journal reached its bound because checkpoints keep failing or are held off."""
