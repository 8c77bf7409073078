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
StoreIOError > DiskFull | JournalFull`` (see ``_errors``). Backups are encrypted ``.wardbackup`` files
(key kit: ``appliance.keys``).
``store.health()`` says whether writes are accepted now (a full disk is a state: writes resume by
themselves when space is freed).
"""

from appliance.store._bulk import BulkLoader
from appliance.store._errors import AlreadyExists, ConcurrentUpdate, InvalidInput, NotFound
from appliance.store._maintenance import check_store, restore, verify_backup
from appliance.store._migrations import MIGRATIONS, SCHEMA_VERSION
from appliance.store._records import (
    Attempt,
    AttemptStatus,
    AttemptSummary,
    AuditEntry,
    Credential,
    Draft,
    GradeRecord,
    ModuleVersion,
    OutboxEvent,
    ReviewOverride,
    RoleName,
    User,
)
from appliance.store._reports import CohortSummary, DeletionReport, LearnerProgress, ModuleStats, PurgeReport
from appliance.store._review_records import (
    DashboardCounts,
    DecisionCounts,
    KeyPointMisses,
    MonthlyCounts,
    OverlayExemplar,
    QueueEntry,
    ReviewComparison,
)
from appliance.store._settings import SettingKey
from appliance.store._store import Store
from appliance.store._users import UNSET
from appliance.store.engine import (
    BACKUP_SUFFIX,
    BackupInfo,
    BackupInvalid,
    BackupTargetMissing,
    DiskFull,
    Finding,
    IntegrityReport,
    JournalFull,
    Migration,
    NoBackupKey,
    SchemaTooNew,
    Severity,
    StoreCorrupt,
    StoreError,
    StoreHealth,
    StoreIOError,
    StoreLocked,
    StoreOptions,
    WrongBackupKey,
    backup,
)

__all__ = [
    "BACKUP_SUFFIX",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "UNSET",
    "AlreadyExists",
    "Attempt",
    "AttemptStatus",
    "AttemptSummary",
    "AuditEntry",
    "BackupInfo",
    "BackupInvalid",
    "BackupTargetMissing",
    "BulkLoader",
    "CohortSummary",
    "ConcurrentUpdate",
    "Credential",
    "DashboardCounts",
    "DecisionCounts",
    "DeletionReport",
    "DiskFull",
    "Draft",
    "Finding",
    "GradeRecord",
    "IntegrityReport",
    "InvalidInput",
    "JournalFull",
    "KeyPointMisses",
    "LearnerProgress",
    "Migration",
    "ModuleStats",
    "ModuleVersion",
    "MonthlyCounts",
    "NoBackupKey",
    "NotFound",
    "OutboxEvent",
    "OverlayExemplar",
    "PurgeReport",
    "QueueEntry",
    "ReviewComparison",
    "ReviewOverride",
    "RoleName",
    "SchemaTooNew",
    "SettingKey",
    "Severity",
    "Store",
    "StoreCorrupt",
    "StoreError",
    "StoreHealth",
    "StoreIOError",
    "StoreLocked",
    "StoreOptions",
    "User",
    "WrongBackupKey",
    "backup",
    "check_store",
    "restore",
    "verify_backup",
]
