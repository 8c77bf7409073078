"""Checkpoints: fold the journal into the shard files, then retire old journal generations.

Under the write lock (briefly) the journal is rotated and the changed shards' committed states are
captured; outside it each captured shard is written atomically (temp, fsync, keep ``.prev``, rename)
and the directories are fsynced; only then are journal generations before the retained one deleted.
A checkpoint takes ``store.checkpoint.lock`` so that a backup or check (possibly from another process)
sees a stable set of files; while they hold it, checkpoints wait and the journal just grows (up to its
bound, see ``StoreOptions.journal_limit_bytes``).

A checkpoint also repairs a journal whose sync failed: it writes every changed shard (the state in memory
is the truth), deletes every generation up to the failed one and only then lets writes resume. A
checkpoint that fails (e.g. on a full disk) leaves the journal and the shard files as they were and
removes what it had half written; the background thread retries every second.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from appliance.store.engine._core import TIGHT, Core
from appliance.store.engine._errors import StoreError
from appliance.store.engine._fileformat import encode_shard, fsync_dir, prev_path, replace_keeping_prev
from appliance.store.engine._lock import FileLock
from appliance.store.engine._space import disk_space, io_error
from appliance.store.engine._wal import wal_generations, wal_path

RETRY_SECONDS = 1.0
"""How soon the background thread tries again after a failed checkpoint (e.g. on a full disk)."""

log = logging.getLogger("appliance.store")


def _ensure_dir(directory: Path, to_sync: set[Path]) -> None:
    missing = []
    while not directory.exists():
        missing.append(directory)
        directory = directory.parent
    for path in reversed(missing):
        path.mkdir(exist_ok=True)
        to_sync.add(path.parent)


def checkpoint(core: Core, *, purge_history: bool = False, wait: float = 0.0) -> bool:
    """Write every changed shard to its file; False when a backup or check holds the files.

    :param purge_history: also delete the retained journal generation and ``.prev`` files of redacted
        shards, so deleted personal data is gone from the disk.
    :raises DiskFull: the disk is full (the journal still holds everything).
    :raises StoreIOError: a shard file could not be written (the journal still holds everything).
    """
    if core.current_tx() is not None:
        raise StoreError("cannot checkpoint inside a transaction")
    lock = FileLock(core.checkpoint_lock_path)
    with core.checkpoint_mutex:
        if not lock.acquire(timeout=wait):
            return False
        try:
            purge = purge_history or core.purge_pending
            _checkpoint(core, purge)
            if purge:
                core.purge_pending = False
            core.last_checkpoint_at = core.options.clock()
        except OSError as err:
            core.note_error(err)
            raise io_error(err, "checkpoint failed; the journal still holds every change") from err
        finally:
            lock.release()
            _count_journal(core)
            with core.checkpoint_done:
                core.checkpoint_done.notify_all()
    return True


def _count_journal(core: Core) -> None:
    total = unfolded = 0
    current = core.wal.gen if core.wal is not None else -1
    for gen in wal_generations(core.wal_dir):
        if gen != current:
            try:
                size = wal_path(core.wal_dir, gen).stat().st_size
            except OSError:
                continue
            total += size
            if core.retired_gen is not None and gen > core.retired_gen:
                unfolded += size
    core.old_journal_bytes, core.unfolded_journal_bytes = total, unfolded


def _checkpoint(core: Core, purge_history: bool) -> None:
    wal = core.wal
    assert wal is not None
    with core.write_lock:
        repairing = core.failed is not None
        captured = [(s, s.data, s.live, s.summary, s.version, s.no_history) for s in core.dirty]
        if not captured and not purge_history and not repairing and wal.bytes_written == 0:
            return
        cut = core.next_lsn - 1
        old_gen = wal.rotate(wal.gen + 1, core.next_lsn)
        schema = core.schema
        written_at = core.options.clock().isoformat()
        core.first_dirty_at = None
    to_sync: set[Path] = set()
    sizes: dict[str, int] = {}
    for shard, data, live, summary, _version, no_history in captured:
        if live:
            assert data is not None
            _ensure_dir(shard.path.parent, to_sync)
            blob = encode_shard(shard.name, schema, cut, data, summary, written_at)
            replace_keeping_prev(shard.path, blob, keep_prev=not no_history)
            sizes[shard.name] = len(blob)
        else:
            shard.path.unlink(missing_ok=True)
            prev_path(shard.path).unlink(missing_ok=True)
        to_sync.add(shard.path.parent)
    for directory in sorted(to_sync):
        if directory.exists():
            fsync_dir(directory)
    with core.write_lock:
        for shard, _data, live, _summary, version, no_history in captured:
            shard.on_disk = live
            if live:
                shard.disk_lsn = cut
                shard.disk_size = sizes[shard.name]
                shard.schema = schema
            if shard.version == version:
                shard.dirty = False
                core.dirty.discard(shard)
                if no_history:
                    shard.no_history = False
        if core.dirty and core.first_dirty_at is None:
            core.first_dirty_at = time.monotonic()
        if repairing:  # every change up to the cut is in the shard files now
            wal.mark_durable(cut)
            core.failed = None
            log.warning("the journal is repaired; writes resume")
    _remove_empty_dirs(core, [s.path.parent for s, _d, live, *_ in captured if not live])
    # Keep the generations after the previous successful checkpoint (a damaged shard is rebuilt from its
    # .prev plus them); a purge drops those too, so does a repair (the failed file is not trusted), and
    # so does a nearly full disk (the space matters more than the deeper recovery).
    tight = disk_space(core.data_dir).free < TIGHT * core.reserve
    if purge_history or repairing or tight:
        floor = old_gen
    else:
        floor = core.retired_gen if core.retired_gen is not None else old_gen - 1
    for gen in wal_generations(core.wal_dir):
        if gen <= floor:
            wal_path(core.wal_dir, gen).unlink(missing_ok=True)
    fsync_dir(core.wal_dir)
    core.retired_gen = old_gen


def _remove_empty_dirs(core: Core, directories: list[Path]) -> None:
    for directory in sorted(set(directories), reverse=True):
        while directory != core.shards_dir and directory.is_relative_to(core.shards_dir):
            try:
                os.rmdir(directory)
            except OSError:
                break
            fsync_dir(directory.parent)
            directory = directory.parent


class Checkpointer:
    """Runs checkpoints in a background thread when the journal grows or changes get old."""

    def __init__(self, core: Core) -> None:
        self._core = core
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="store-checkpointer", daemon=True)

    def start(self) -> None:
        """Start the thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread and wait for a checkpoint in progress."""
        self._stop.set()
        self._core.checkpoint_wanted.set()
        if self._thread.is_alive():
            self._thread.join()

    def _due(self) -> bool:
        core = self._core
        first = core.first_dirty_at
        return (
            core.checkpoint_wanted.is_set()
            or core.failed is not None
            or (first is not None and time.monotonic() - first >= core.options.checkpoint_seconds)
        )

    def _run(self) -> None:
        core = self._core
        failures = 0
        while not self._stop.is_set():
            core.checkpoint_wanted.wait(timeout=min(1.0, core.options.checkpoint_seconds))
            if self._stop.is_set() or not self._due():
                continue
            core.checkpoint_wanted.clear()
            try:
                if not checkpoint(core):
                    time.sleep(0.2)  # a backup or check holds the files; try again soon
                failures = 0
            except Exception as err:  # the journal still holds everything; keep serving and retry
                if failures % 60 == 0:  # once a minute while it keeps failing (a full disk)
                    log.warning("checkpoint failed (%s); retrying every %.0f s", err, RETRY_SECONDS)
                failures += 1
                self._stop.wait(RETRY_SECONDS)
