"""Typed results of the engine's maintenance: integrity findings, backups and health."""

from __future__ import annotations

from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict


class _Report(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Severity(StrEnum):
    """How bad a finding is."""

    INFO = "info"  # e.g. an unfinished journal write that was never acknowledged
    WARNING = "warning"  # recovered with nothing lost
    ERROR = "error"  # damage that lost or may have lost data, or could not be recovered


class Finding(_Report):
    """One thing an integrity check or a recovery found."""

    severity: Severity
    code: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity.value.upper()} {self.code} {self.where}: {self.message}"


class IntegrityReport(_Report):
    """The result of checking every file of a store."""

    ok: bool
    schema_version: int
    shards: int
    documents: int
    journal_records: int
    bytes_on_disk: int
    findings: tuple[Finding, ...]
    exists: bool = True
    """False when the folder holds no store yet (nothing to check: not damage)."""


class BackupInfo(_Report):
    """A backup archive that was written or checked."""

    path: str
    files: int
    bytes: int
    schema_version: int
    created_at: AwareDatetime
    store_id: str
    encrypted: bool = False
    """Encrypted to a backup key kit (archives of older appliances are not)."""
    key_files: int = 0
    """Key files from ``<data>/keys/`` in the archive."""
    archive_bytes: int = 0
    """The size of the archive file (compressed and encrypted)."""


class StoreHealth(_Report):
    """Whether the store can write now, and why not: for ``/healthz`` and the admins' page."""

    writable: bool
    """False while writes are refused (full disk, journal at its bound, journal being repaired, closed)."""
    disk_full: bool
    """Free space is below the reserve, or the last write failed because the disk was full."""
    free_bytes: int
    reserve_bytes: int
    journal_bytes: int
    journal_limit_bytes: int
    full_since: AwareDatetime | None
    """When writes were first refused for lack of space (None while there is space)."""
    last_error: str | None
    """The last disk error the store met (kept after it resumed, with its time)."""
    last_error_at: AwareDatetime | None
    last_checkpoint_at: AwareDatetime | None
    message: str
    """One plain sentence for people."""
