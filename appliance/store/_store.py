"""The ``Store`` facade: open once at start-up, use the typed repositories, close at shutdown."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Protocol

from appliance.store._attempts import Attempts
from appliance.store._audit import Audit
from appliance.store._credentials import Credentials
from appliance.store._curriculum import Curriculum
from appliance.store._grades import Grades
from appliance.store._outbox import Outbox, last_sequence
from appliance.store._overlays import RubricOverlays
from appliance.store._privacy import delete_learner, purge_expired
from appliance.store._queries import cohort_summary, progress
from appliance.store._reports import CohortSummary, DeletionReport, LearnerProgress, PurgeReport
from appliance.store._reviews import Reviews
from appliance.store._schema import WARD_LAYOUT
from appliance.store._settings import SettingKey, StoredSettings
from appliance.store._users import Users
from appliance.store.engine import (
    BackupInfo,
    Checkpointer,
    Core,
    Finding,
    IntegrityReport,
    Severity,
    StoreHealth,
    StoreIOError,
    StoreOptions,
    backup,
    check_store,
    checkpoint,
    close_core,
    open_core,
    store_health,
)

log = logging.getLogger("appliance.store")


class StorePlace(Protocol):
    """Where the store lives and how long it keeps records (``appliance.config.Settings`` is one)."""

    @property
    def data_dir(self) -> Path: ...

    @property
    def retention_days(self) -> int: ...


class Store:
    """The appliance's records. Thread-safe; every method blocks on file I/O, so call it from
    ``run.io_bound`` (NiceGUI) or ``asyncio.to_thread``, never directly on the event loop."""

    def __init__(self, core: Core, retention_days: int) -> None:
        self._core = core
        self._checkpointer: Checkpointer | None = None
        self.retention_days = retention_days
        self.users = Users(core)
        self.curriculum = Curriculum(core)
        self.attempts = Attempts(core)
        self.grades = Grades(core)
        self.credentials = Credentials(core)
        self.outbox = Outbox(core)
        self.settings = StoredSettings(core)
        self.audit = Audit(core)
        self.reviews = Reviews(core)
        self.overlays = RubricOverlays(core)

    @classmethod
    def open(
        cls,
        data_dir: str | os.PathLike[str],
        *,
        retention_days: int = 730,
        options: StoreOptions | None = None,
    ) -> Store:
        """Open (or create) the store under ``data_dir/store``, recovering from a crash if needed.

        :raises StoreLocked: another process has it open.
        :raises StoreCorrupt: damage that cannot be recovered without loss (nothing was changed).
        :raises SchemaTooNew: written by a newer appliance.
        """
        core = open_core(Path(data_dir), options or StoreOptions(), WARD_LAYOUT)
        core.outbox_last = last_sequence(core)
        store = cls(core, retention_days)
        try:
            if not store.settings.device_id:
                store.settings.set(SettingKey.DEVICE_ID, os.urandom(8).hex())
            if any(f.severity is not Severity.INFO for f in core.findings):
                try:
                    store.audit.record(
                        "store", "store.recovered", None, {"findings": [str(f) for f in core.findings]}
                    )
                except StoreIOError as err:  # a full disk: the findings are logged and in store.findings
                    log.warning("could not audit the recovery: %s", err)
        except BaseException:
            close_core(core)
            raise
        if core.options.background:
            store._checkpointer = Checkpointer(core)
            store._checkpointer.start()
        return store

    @classmethod
    def from_settings(cls, settings: StorePlace, options: StoreOptions | None = None) -> Store:
        """Open the store of a configured data folder with its retention (any object with both).

        :raises StoreError: see :meth:`open`.
        """
        return cls.open(settings.data_dir, retention_days=settings.retention_days, options=options)

    def close(self) -> None:
        """Stop background work, fold the journal into the shard files and release the folder."""
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
        close_core(self._core)

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    @property
    def data_dir(self) -> Path:
        """The data folder this store lives in."""
        return self._core.data_dir

    @property
    def schema_version(self) -> int:
        """The schema version of the open store."""
        return self._core.schema

    @property
    def store_id(self) -> str:
        """A random id given to this store when it was created (a restore brings the backup's)."""
        return self._core.store_id

    @property
    def findings(self) -> tuple[Finding, ...]:
        """What opening (and any later recovery) found and repaired."""
        return tuple(self._core.findings)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes so they commit (and are fsynced) together or not at all; keep the block short.

        :raises StoreIOError: the journal could not be written.
        """
        with self._core.write():
            yield

    def progress(self, user_id: str) -> LearnerProgress:
        """A learner's attempts, grades and credentials."""
        return progress(self._core, user_id)

    def cohort_summary(self, *, since_month: str | None = None) -> CohortSummary:
        """Attempts, pass rates and mean scores per module and per module and hospital role."""
        return cohort_summary(self._core, since_month)

    def delete_learner(self, user_id: str, *, actor: str) -> DeletionReport:
        """Remove a learner's personal data for good, keeping anonymised counts.

        :raises NotFound: no such user.
        """
        return delete_learner(self._core, user_id, actor)

    def purge_expired(self, *, now: datetime | None = None) -> PurgeReport:
        """Remove rationale texts older than the retention period (see ``retention_days``)."""
        return purge_expired(self._core, self.retention_days, now or self._core.options.clock())

    def health(self) -> StoreHealth:
        """Whether writes are accepted now, free space against the reserve, the journal and the last error.

        Cheap (one ``statvfs``): suitable for every ``/healthz`` call.
        """
        return store_health(self._core)

    def checkpoint(self) -> bool:
        """Write all changes into the shard files now; False when a backup holds the files."""
        return checkpoint(self._core, wait=30.0)

    def check(self, *, deep: bool = False, quick: bool = False) -> IntegrityReport:
        """Check every file on disk (see :func:`check_store`; ``quick`` suits a health page)."""
        return check_store(self._core.data_dir, WARD_LAYOUT, deep=deep, quick=quick)

    def backup(self, archive: str | os.PathLike[str], *, recipient: str | None = None) -> BackupInfo:
        """Write a consistent, encrypted snapshot (``.wardbackup``) while the store keeps running.

        :raises NoBackupKey: no backup key kit (see ``appliance.keys.make_key_kit``).
        :raises BackupTargetMissing: the target folder does not exist.
        """
        return backup(self._core.data_dir, Path(archive), recipient=recipient)

    def evict_cache(self) -> None:
        """Forget parsed shards (benchmarks use this to measure cold reads)."""
        self._core.evict_all()
