"""Checking a store, and encrypted backups: take, verify and restore them (with their errors).

Public on purpose, outside ``appliance.store``'s short top level.
"""

from appliance.store._maintenance import check_store, restore, verify_backup
from appliance.store.engine import (
    BACKUP_SUFFIX,
    BackupInfo,
    BackupInvalid,
    BackupTargetMissing,
    NoBackupKey,
    WrongBackupKey,
    backup,
)

__all__ = [
    "BACKUP_SUFFIX",
    "BackupInfo",
    "BackupInvalid",
    "BackupTargetMissing",
    "NoBackupKey",
    "WrongBackupKey",
    "backup",
    "check_store",
    "restore",
    "verify_backup",
]
