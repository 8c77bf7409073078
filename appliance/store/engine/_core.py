"""The storage core: the shard registry, transactions, the journal, lazy loading and the shard cache.

Writers are serialised by one lock held only while a transaction stages its changes and appends its
journal line (well under a millisecond for the records the appliance writes); the fsync that makes the
write durable happens after the lock is released and is shared between concurrent committers.

Before each commit the free space is checked against the reserve and the journal against its bound;
a write the disk refuses is never acknowledged, and the store keeps serving reads. A failed journal
sync puts the store in ``failed`` until a checkpoint has written every change into the shard files
(the background checkpointer retries every second), then writes resume by themselves.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from appliance.store.engine._errors import DiskFull, JournalFull, StoreCorrupt, StoreError, StoreIOError
from appliance.store.engine._fileformat import SUFFIX, ShardFileError, read_shard
from appliance.store.engine._layout import CATALOG, Layout
from appliance.store.engine._lock import FileLock
from appliance.store.engine._reports import Finding, Severity
from appliance.store.engine._shards import Op, Shard, Tables, Tx
from appliance.store.engine._space import MiB, disk_space, io_error, is_disk_full, megabytes, resolve_reserve
from appliance.store.engine._wal import WalWriter, encode_record

log = logging.getLogger("appliance.store")

TIGHT = 4
"""Below this many reserves of free space, checkpoints come early and keep no journal history."""


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class StoreOptions:
    """Tuning and policy for an open store; the defaults suit a ward box."""

    checkpoint_seconds: float = 15.0
    """Fold the journal into the shard files at least this often while there are changes."""
    checkpoint_bytes: int = 4 * 1024 * 1024
    """...or as soon as the journal is this large."""
    max_dirty_shards: int = 256
    """...or as soon as this many shards changed."""
    cache_bytes: int = 16 * 1024 * 1024
    """Shard files kept parsed in memory (by file size); changed shards are always kept."""
    background: bool = True
    """Checkpoint from a background thread (tests and tools may turn it off and call ``checkpoint``)."""
    reserve_bytes: int | None = None
    """Refuse writes while the disk has less free space than this (None: 64 MiB, or 5 % of a smaller disk)."""
    journal_limit_bytes: int = 32 * MiB
    """Bound on the journal (all generations): above it writers wait for a checkpoint, then are refused."""
    journal_wait_seconds: float = 5.0
    """How long a writer waits for a checkpoint to bring the journal under its bound."""
    accept_loss: bool = False
    """Open even when damage could not be fully recovered (the loss is reported); otherwise raise."""
    clock: Callable[[], datetime] = field(default=utcnow)
    """Where "now" comes from."""


class Core:
    """The shard registry, transactions, journal and cache of one open store."""

    def __init__(self, data_dir: Path, options: StoreOptions, lock: FileLock, layout: Layout) -> None:
        self.data_dir = data_dir
        self.root = data_dir / "store"
        self.shards_dir = self.root / "shards"
        self.wal_dir = self.root / "wal"
        self.quarantine_dir = self.root / "quarantine"
        self.checkpoint_lock_path = data_dir / "store.checkpoint.lock"
        self.options = options
        self.lock = lock
        self.layout = layout
        self.pinned = layout.pinned | {"catalog"}
        self.schema = layout.schema_version
        self.store_id = ""
        self.wal: WalWriter | None = None
        self.next_lsn = 1
        self.outbox_last = 0
        self.findings: list[Finding] = []
        self.failed: BaseException | None = None
        """A journal sync failed: writes are refused until a checkpoint has repaired it."""
        self.reserve = resolve_reserve(options.reserve_bytes, data_dir)
        self.last_error: str | None = None
        self.last_error_at: datetime | None = None
        self.full_since: datetime | None = None
        self.last_checkpoint_at: datetime | None = None
        self.old_journal_bytes = 0
        """Bytes of the journal generations before the current one."""
        self.unfolded_journal_bytes = 0
        """...of those, the generations not yet folded into the shard files (after failed checkpoints)."""
        self.retired_gen: int | None = None
        """The generation the last successful checkpoint folded in (kept one more round)."""
        self.checkpoint_done = threading.Condition()
        self._tight_signal = 0.0
        self.last_free: int | None = None
        self.closed = False
        self.first_dirty_at: float | None = None
        self.purge_pending = False
        self.checkpoint_wanted = threading.Event()
        self.write_lock = threading.Lock()
        self.checkpoint_mutex = threading.Lock()
        self._tx: Tx | None = None
        self._shards: dict[str, Shard] = {}
        self._registry_lock = threading.Lock()
        self.dirty: set[Shard] = set()
        self._cache: OrderedDict[Shard, int] = OrderedDict()
        self._cache_bytes = 0
        self._cache_lock = threading.Lock()
        self.recover_hook: Callable[[Shard, str], Tables] | None = None

    # -- registry -------------------------------------------------------------------------------

    def shard_path(self, name: str) -> Path:
        """The file of a shard."""
        return self.shards_dir / (name + SUFFIX)

    def shard(self, name: str) -> Shard:
        """The shard with this name (an empty, unlisted one if it does not exist yet)."""
        shard = self._shards.get(name)
        if shard is None:
            with self._registry_lock:
                shard = self._shards.get(name)
                if shard is None:
                    shard = Shard(self, name, self.shard_path(name), self.layout.kind_of(name))
                    self._shards[name] = shard
        return shard

    def shards(self, prefix: str = "") -> list[Shard]:
        """Live shards whose name starts with ``prefix``, sorted by name."""
        with self._registry_lock:
            found = [s for n, s in self._shards.items() if s.live and n.startswith(prefix)]
        return sorted(found, key=lambda s: s.name)

    def all_shards(self) -> list[Shard]:
        """Every shard object known, live or not."""
        with self._registry_lock:
            return list(self._shards.values())

    def note(self, severity: Severity, code: str, where: str, message: str) -> Finding:
        """Record and log a finding about the store's files."""
        finding = Finding(severity=severity, code=code, where=where, message=message)
        self.findings.append(finding)
        level = {Severity.INFO: logging.INFO, Severity.WARNING: logging.WARNING}.get(severity, logging.ERROR)
        log.log(level, "%s", finding)
        return finding

    # -- transactions ---------------------------------------------------------------------------

    def current_tx(self) -> Tx | None:
        """The transaction the calling thread has open, if any."""
        tx = self._tx
        return tx if tx is not None and tx.owner == threading.get_ident() else None

    def note_error(self, err: BaseException) -> None:
        """Remember the last disk error for the health report."""
        self.last_error = str(err)
        self.last_error_at = self.options.clock()
        if is_disk_full(err) and self.full_since is None:
            self.full_since = self.last_error_at

    def journal_bytes(self) -> int:
        """The size of every journal generation together."""
        return self.old_journal_bytes + (self.wal.size if self.wal is not None else 0)

    def unfolded_bytes(self) -> int:
        """The journal not yet folded into the shard files: what the bound applies to.

        (The generation kept one more round for recovery is not counted: it was under the bound.)
        """
        return self.unfolded_journal_bytes + (self.wal.size if self.wal is not None else 0)

    def check_writable(self) -> None:
        """Refuse writes on a closed or failed store, on a full disk or with the journal at its bound.

        :raises StoreError: the store is closed.
        :raises DiskFull: free space is below the reserve (or the journal failed on a full disk).
        :raises JournalFull: checkpoints could not keep the journal under its bound.
        :raises StoreIOError: an earlier journal sync failed and has not been repaired yet.
        """
        if self.closed:
            raise StoreError("the store is closed")
        if self.failed is not None:
            self.checkpoint_wanted.set()
            raise self._repairing()
        free = self.last_free = disk_space(self.data_dir).free
        if free < self.reserve:
            if self.full_since is None:
                self.full_since = self.options.clock()
                log.warning(
                    "disk full: %s free, reserve %s; refusing writes",
                    megabytes(free),
                    megabytes(self.reserve),
                )
            self.checkpoint_wanted.set()  # a checkpoint shrinks the journal
            raise DiskFull(
                f"the disk is full: {megabytes(free)} free, the store keeps {megabytes(self.reserve)} in "
                "reserve. Nothing was saved; free some space and writes resume by themselves."
            )
        if free < TIGHT * self.reserve and time.monotonic() - self._tight_signal > 1.0:
            self._tight_signal = time.monotonic()
            self.checkpoint_wanted.set()  # nearly full: fold the journal in early, before it fills the disk
        if self.unfolded_bytes() > self.options.journal_limit_bytes:
            self._wait_for_checkpoint()

    def _repairing(self) -> StoreIOError:
        doing = "an earlier journal write failed; nothing new is saved until it is repaired (automatic)"
        return io_error(self.failed, doing) if self.failed is not None else StoreIOError(doing)

    def _wait_for_checkpoint(self) -> None:
        deadline = time.monotonic() + self.options.journal_wait_seconds
        limit = self.options.journal_limit_bytes
        with self.checkpoint_done:
            while self.unfolded_bytes() > limit:
                self.checkpoint_wanted.set()
                left = deadline - time.monotonic() if self.options.background else 0.0
                if left <= 0:
                    raise JournalFull(
                        f"the journal is at its bound ({megabytes(limit)}) because checkpoints cannot run "
                        f"({self.last_error or 'a backup or check holds the files'}); nothing was saved, "
                        "writes resume by themselves once a checkpoint succeeds"
                    )
                self.checkpoint_done.wait(min(left, 0.5))

    @contextmanager
    def write(self) -> Iterator[Tx]:
        """Open a transaction (or join the calling thread's); commit and fsync when the outermost ends.

        :raises StoreIOError: the journal could not be written or synced.
        """
        tx = self.current_tx()
        if tx is not None:
            before = len(tx.ops)
            try:
                yield tx
            except BaseException:
                if len(tx.ops) != before:
                    tx.broken = True
                raise
            return
        self.check_writable()
        lsn = 0
        with self.write_lock:
            tx = Tx(threading.get_ident())
            self._tx = tx
            try:
                yield tx
                if tx.broken:
                    raise StoreError("an operation failed halfway through the transaction; nothing was saved")
                lsn = self._commit(tx)
            finally:
                self._tx = None
        if lsn:
            self._sync(lsn)

    def record_op(self, shard: Shard, op: Op) -> None:
        """Add a journal operation to the calling thread's transaction (listing new shards in the catalog)."""
        tx = self.current_tx()
        if tx is None:
            raise StoreError("the store was changed outside a transaction")
        if op[0] == "put" and shard.name != CATALOG and not tx.live(shard):
            tx.written[shard] = True
            catalog = self.shard(CATALOG)
            catalog.table("shards").put(shard.name, {"created": self.options.clock().isoformat()})
        tx.ops.append(op)

    def drop(self, shard: Shard, tx: Tx) -> None:
        """Remove a whole shard (and its file at the next checkpoint) inside a transaction."""
        if not tx.live(shard):
            return
        tx.ops.append(["drop", shard.name])
        tx.staged[shard] = {}
        tx.written[shard] = False
        self.shard(CATALOG).table("shards").delete(shard.name)

    def _commit(self, tx: Tx) -> int:
        if not tx.ops:
            return 0
        assert self.wal is not None
        if self.failed is not None:  # a sync failed while this transaction waited for the lock
            raise self._repairing()
        lsn = self.next_lsn
        record = {"lsn": lsn, "at": self.options.clock().isoformat(), "schema": self.schema, "ops": tx.ops}
        try:
            self.wal.append(encode_record(record), lsn)
        except OSError as err:
            self.note_error(err)
            if self.wal.broken is not None:
                self.failed = err
                self.checkpoint_wanted.set()
            raise io_error(err, "could not write the journal; nothing was saved") from err
        self.next_lsn = lsn + 1
        for shard, live in tx.written.items():
            data = tx.staged.get(shard, {})
            shard.publish(data, live, self.layout.summarize(shard.name, data) if live else {})
            if shard in tx.no_history:
                shard.no_history = True
            self.dirty.add(shard)
        if tx.outbox_last is not None:
            self.outbox_last = tx.outbox_last
        if self.first_dirty_at is None:
            self.first_dirty_at = time.monotonic()
        return lsn

    def _sync(self, lsn: int) -> None:
        assert self.wal is not None
        try:
            self.wal.sync(lsn)
        except OSError as err:
            self.note_error(err)
            self.failed = err
            self.checkpoint_wanted.set()
            raise io_error(err, "could not sync the journal; the write was not acknowledged") from err
        if self.full_since is not None:
            log.warning("writes resume (the disk has space again)")
            self.full_since = None
        opts = self.options
        threshold = opts.checkpoint_bytes
        if self.last_free is not None:  # on a small disk, fold the journal in long before it matters
            threshold = min(threshold, max(64 * 1024, self.last_free // 16))
        if self.wal.bytes_written > threshold or len(self.dirty) > opts.max_dirty_shards:
            self.checkpoint_wanted.set()

    @property
    def durable_lsn(self) -> int:
        """Every journal record up to this number is on stable storage."""
        return self.wal.synced_lsn if self.wal is not None else 0

    # -- loading and the cache ------------------------------------------------------------------

    def committed(self, shard: Shard) -> Tables:
        """A shard's committed state, loading (and checking) its file on first use.

        :raises StoreCorrupt: the file is damaged beyond recovery.
        """
        data = shard.data
        if data is not None:
            if shard.kind not in self.pinned:
                self._touch(shard)
            return data
        problem = None
        with shard.lock:
            if shard.data is None:
                if not shard.on_disk:
                    shard.data = {}
                else:
                    try:
                        header, tables = read_shard(shard.path, shard.name)
                    except FileNotFoundError:
                        problem = "the file is missing"
                    except (ShardFileError, OSError) as err:
                        problem = str(err)
                    else:
                        if header.lsn != shard.disk_lsn:
                            problem = (
                                f"the file changed on disk (lsn {header.lsn}, expected {shard.disk_lsn})"
                            )
                        else:
                            shard.data = tables
                            shard.disk_size = header.file_size
            data = shard.data
        if problem is not None:
            if self.recover_hook is None:
                raise StoreCorrupt(f"shard {shard.name}: {problem}")
            return self.recover_hook(shard, problem)
        assert data is not None
        if shard.kind not in self.pinned:
            self._cache_add(shard)
        return data

    def _touch(self, shard: Shard) -> None:
        with self._cache_lock:
            if shard in self._cache:
                self._cache.move_to_end(shard)

    def _cache_add(self, shard: Shard) -> None:
        with self._cache_lock:
            old = self._cache.pop(shard, 0)
            self._cache[shard] = shard.disk_size
            self._cache_bytes += shard.disk_size - old
            if self._cache_bytes <= self.options.cache_bytes:
                return
            for candidate in list(self._cache):
                if self._cache_bytes <= self.options.cache_bytes:
                    break
                if candidate is shard or candidate.dirty:
                    continue
                with candidate.lock:
                    if candidate.dirty:
                        continue
                    candidate.data = None
                self._cache_bytes -= self._cache.pop(candidate)

    def evict_all(self) -> None:
        """Drop every clean, unpinned shard from memory (benchmarks use this for cold reads)."""
        with self._cache_lock:
            for candidate in list(self._cache):
                with candidate.lock:
                    if candidate.dirty:
                        continue
                    candidate.data = None
                self._cache_bytes -= self._cache.pop(candidate)
