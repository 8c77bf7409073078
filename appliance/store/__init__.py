"""Durable local storage: typed repositories of the ward's records over the storage engine (``engine/``).

Open once at start-up and share the instance between threads::

    store = Store.open(settings.data_dir, retention_days=settings.retention_days)
    attempt = store.attempts.start(user.user_id, "sepsis", "sepsis-1", state)
    with store.transaction():  # grade, new state and sync event commit together
        store.grades.add(attempt.attempt_id, node_id=..., choice_id=..., rationale=..., grade=..., rubric_hash=...)
        store.attempts.save(attempt.attempt_id, new_state, expected_revision=attempt.revision)
        store.outbox.append("rationale.graded", payload, subject=user.user_id)
    store.close()

Every call blocks on disk I/O: from NiceGUI use ``await run.io_bound(store.progress, user_id)``.
Errors: ``StoreError > StoreLocked | StoreCorrupt | SchemaTooNew | ConcurrentUpdate | NotFound |
AlreadyExists | InvalidInput | BackupInvalid (> WrongBackupKey) | NoBackupKey | BackupTargetMissing |
StoreIOError > DiskFull | JournalFull`` (see ``_errors``; the backup errors are in ``maintenance``). Backups
are encrypted ``.wardbackup`` files (key kit: ``appliance.keys``). Beyond the top level (the store, its
main records and errors): ``records`` (the other records), ``reports``, ``maintenance`` (check, backup,
verify, restore) and ``migrations`` (schema version, migrations, bulk loading).
``store.health()`` says whether writes are accepted now (a full disk is a state: writes resume by
themselves when space is freed).
"""

from appliance.store._errors import AlreadyExists, ConcurrentUpdate, InvalidInput, NotFound
from appliance.store._records import Attempt, AttemptStatus, AttemptSummary, GradeRecord, User
from appliance.store._store import Store
from appliance.store.engine import (
    DiskFull,
    JournalFull,
    SchemaTooNew,
    StoreCorrupt,
    StoreError,
    StoreIOError,
    StoreLocked,
    StoreOptions,
)

__all__ = [
    "AlreadyExists",
    "Attempt",
    "AttemptStatus",
    "AttemptSummary",
    "ConcurrentUpdate",
    "DiskFull",
    "GradeRecord",
    "InvalidInput",
    "JournalFull",
    "NotFound",
    "SchemaTooNew",
    "Store",
    "StoreCorrupt",
    "StoreError",
    "StoreIOError",
    "StoreLocked",
    "StoreOptions",
    "User",
]
