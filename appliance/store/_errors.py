"""Errors of the records (the storage engine's own are in ``appliance.store.engine``).

The whole tree, as ``appliance.store`` exports it::

    StoreError                 base of everything the store raises
    ├── StoreLocked | StoreCorrupt | SchemaTooNew | BackupInvalid (> WrongBackupKey) | NoBackupKey |
    │   BackupTargetMissing | StoreIOError (> DiskFull | JournalFull)     the engine's (see its ``_errors``)
    ├── ConcurrentUpdate       the record changed since it was read (e.g. a double submit from two tabs)
    ├── NotFound               no such record
    ├── AlreadyExists          a unique key is taken (e.g. a staff id)
    └── InvalidInput           an id or value the store cannot accept (also a ``ValueError``)
"""

from __future__ import annotations

from appliance.store.engine import StoreError


class ConcurrentUpdate(StoreError):
    """The record changed since the caller read it."""


class NotFound(StoreError):
    """No such record."""


class AlreadyExists(StoreError):
    """A unique key is already taken."""


class InvalidInput(StoreError, ValueError):
    """An id or value the store cannot accept."""
