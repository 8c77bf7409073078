"""The storage engine: named shards of JSON tables on TinyDB, a journal, checkpoints, recovery and backups.

It knows nothing of learners, grades or credentials: the records package describes its shards with a
:class:`Layout` (valid names, kinds, summaries, validation, schema and migrations) when it opens a store::

    core = open_core(data_dir, StoreOptions(), layout)
    with core.write():
        core.shard("hot/users").table("users").put("u1", {...})
    close_core(core)

Errors: ``StoreError > StoreLocked | StoreCorrupt | SchemaTooNew | BackupInvalid (> WrongBackupKey) |
NoBackupKey | BackupTargetMissing | StoreIOError > DiskFull | JournalFull`` (see ``_errors``).
"""

from appliance.store.engine._archive import BACKUP_SUFFIX
from appliance.store.engine._backup import backup, restore, verify_backup
from appliance.store.engine._check import check_store
from appliance.store.engine._checkpoint import Checkpointer, checkpoint
from appliance.store.engine._core import Core, StoreOptions, utcnow
from appliance.store.engine._errors import (
    BackupInvalid,
    BackupTargetMissing,
    DiskFull,
    JournalFull,
    NoBackupKey,
    SchemaTooNew,
    StoreCorrupt,
    StoreError,
    StoreIOError,
    StoreLocked,
    WrongBackupKey,
)
from appliance.store.engine._fileformat import SUFFIX, dumps, encode_shard, fsync_dir, write_file_synced
from appliance.store.engine._health import store_health
from appliance.store.engine._layout import CATALOG, Doc, Layout, Migration, Tables, freeze
from appliance.store.engine._lock import FileLock
from appliance.store.engine._migrations import META_FORMAT, new_store_id
from appliance.store.engine._open import close_core, open_core
from appliance.store.engine._reports import BackupInfo, Finding, IntegrityReport, Severity, StoreHealth
from appliance.store.engine._shards import KeyedTable, Shard, Tx

__all__ = [
    "BACKUP_SUFFIX",
    "CATALOG",
    "META_FORMAT",
    "SUFFIX",
    "BackupInfo",
    "BackupInvalid",
    "BackupTargetMissing",
    "Checkpointer",
    "Core",
    "DiskFull",
    "Doc",
    "FileLock",
    "Finding",
    "IntegrityReport",
    "JournalFull",
    "KeyedTable",
    "Layout",
    "Migration",
    "NoBackupKey",
    "SchemaTooNew",
    "Severity",
    "Shard",
    "StoreCorrupt",
    "StoreError",
    "StoreHealth",
    "StoreIOError",
    "StoreLocked",
    "StoreOptions",
    "Tables",
    "Tx",
    "WrongBackupKey",
    "backup",
    "check_store",
    "checkpoint",
    "close_core",
    "dumps",
    "encode_shard",
    "freeze",
    "fsync_dir",
    "new_store_id",
    "open_core",
    "restore",
    "store_health",
    "utcnow",
    "verify_backup",
    "write_file_synced",
]
