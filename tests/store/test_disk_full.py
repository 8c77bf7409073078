"""A full disk is a state, not a crash: writes are refused cleanly, reads go on, writing resumes by itself
when space is freed, start-up needs no space, and nothing acknowledged is ever lost.

Most tests run on a real 8 MB tmpfs (skipped where mounting is not allowed); the failures a tmpfs
cannot produce (a failing fsync, a write cut short) are injected on the journal's real files.
"""

from __future__ import annotations

import errno
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from appliance.keys import make_key_kit
from appliance.store import DiskFull, JournalFull, Store, StoreIOError
from appliance.store.engine._lock import FileLock
from appliance.store.engine._wal import WalWriter, encode_record, wal_generations, wal_path
from appliance.store.maintenance import backup
from tests.store.conftest import options
from tests.store.faults import JournalFaults, fill, small_disk

PAD = "x" * 2000
RESUME_WITHIN = 3.0
"""Seconds within which writing must resume after space is freed (measured: see docs/storage.md)."""


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    with small_disk(tmp_path / "disk") as mounted:
        yield mounted


def _write_until_refused(store: Store, acked: list[str], limit: int = 10_000) -> StoreIOError:
    for i in range(limit):
        try:
            entry = store.audit.record("test", "fill", target=str(i), details={"pad": PAD})
        except StoreIOError as err:
            return err
        acked.append(entry.entry_id)
    pytest.fail("the disk never filled")


def _all_there(data_dir: Path, acked: list[str]) -> None:
    with Store.open(data_dir, options=options()) as reopened:
        stored = {e.entry_id for e in reopened.audit.entries(action="fill", limit=10**6)}
        assert set(acked) <= stored, f"{len(set(acked) - stored)} acknowledged entries lost"
        assert reopened.check().ok


def _resume_time(store: Store) -> float:
    started = time.monotonic()
    while True:
        try:
            store.audit.record("test", "after")
            return time.monotonic() - started
        except StoreIOError:
            if time.monotonic() - started > 30:
                pytest.fail("writing never resumed after space was freed")
            time.sleep(0.01)


def test_below_the_reserve_writes_are_refused_with_disk_full_and_resume_by_themselves(disk: Path) -> None:
    data_dir = disk / "data"
    store = Store.open(data_dir, options=options(background=True, reserve_bytes=1024 * 1024))
    acked: list[str] = []
    filler = disk / "filler"
    fill(filler, leave=1_500_000)
    err = _write_until_refused(store, acked)
    assert isinstance(err, DiskFull) and "the disk is full" in str(err) and "Errno" not in str(err)
    health = store.health()
    assert health.disk_full and not health.writable and health.full_since is not None
    assert health.free_bytes < health.reserve_bytes == 1024 * 1024
    assert "free some space" in health.message.lower()
    assert store.audit.entries(action="fill", limit=3)  # reads go on
    filler.unlink()
    waited = _resume_time(store)
    assert waited < RESUME_WITHIN
    assert store.health().writable and not store.health().disk_full
    store.close()
    _all_there(data_dir, acked)


def test_with_no_reserve_the_disk_itself_refuses_and_nothing_half_written_stays(disk: Path) -> None:
    data_dir = disk / "data"
    store = Store.open(data_dir, options=options(background=True, reserve_bytes=0))
    acked: list[str] = []
    filler = disk / "filler"
    fill(filler, leave=600_000)
    err = _write_until_refused(store, acked)
    assert isinstance(err, DiskFull), err
    assert store.health().disk_full and store.health().last_error
    filler.unlink()
    assert _resume_time(store) < RESUME_WITHIN
    store.close()
    assert not list((data_dir / "store" / "shards").rglob("*.tmp"))  # failed checkpoints cleaned up
    _all_there(data_dir, acked)


def test_a_restart_on_a_full_disk_opens_serves_reads_and_leaves_no_empty_journal_files(disk: Path) -> None:
    data_dir = disk / "data"
    acked: list[str] = []
    with Store.open(data_dir, options=options(reserve_bytes=0)) as store:
        for i in range(20):
            acked.append(store.audit.record("test", "fill", target=str(i)).entry_id)
    filler = disk / "filler"
    fill(filler)
    wal_dir = data_dir / "store" / "wal"
    before = sorted(p.name for p in wal_dir.iterdir())
    for _ in range(3):
        with Store.open(data_dir, options=options(reserve_bytes=0)) as store:
            assert len(store.audit.entries(action="fill", limit=100)) == 20
            with pytest.raises(DiskFull):
                store.audit.record("test", "refused", details={"pad": PAD * 50})
            assert store.health().disk_full
        assert sorted(p.name for p in wal_dir.iterdir()) == before
    filler.unlink()
    with Store.open(data_dir, options=options(reserve_bytes=0)) as store:
        acked.append(store.audit.record("test", "fill", target="after").entry_id)
    _all_there(data_dir, acked)


def test_the_first_start_on_a_full_disk_fails_cleanly_and_the_next_start_creates_the_store(
    disk: Path,
) -> None:
    filler = disk / "filler"
    fill(filler)
    with pytest.raises(DiskFull):
        Store.open(disk / "data", options=options(reserve_bytes=0))
    filler.unlink()
    with Store.open(disk / "data", options=options(reserve_bytes=0)) as store:
        assert store.check().ok


def test_a_half_created_journal_file_does_not_stop_checkpoints(data_dir: Path) -> None:
    store = Store.open(data_dir, options=options())
    store.audit.record("test", "one")
    wal_dir = data_dir / "store" / "wal"
    current = max(wal_generations(wal_dir))
    wal_path(wal_dir, current + 1).write_bytes(b"")  # what a rotation that failed on ENOSPC left
    assert store.checkpoint()
    store.audit.record("test", "two")
    assert store.checkpoint()
    store.close()
    with Store.open(data_dir, options=options()) as reopened:
        assert len(reopened.audit.entries(limit=10)) == 2 and reopened.check().ok


def test_empty_journal_files_left_by_failed_starts_are_removed_at_start(data_dir: Path) -> None:
    with Store.open(data_dir, options=options()) as store:
        store.audit.record("test", "one")
    wal_dir = data_dir / "store" / "wal"
    newest = max(wal_generations(wal_dir))
    for gen in (newest + 1, newest + 2):
        wal_path(wal_dir, gen).write_bytes(b"")
    wal_path(wal_dir, newest + 3).write_bytes(b'{"format":"ward-w')  # a header cut short
    with Store.open(data_dir, options=options()) as store:
        assert [f.code for f in store.findings].count("journal-unfinished") == 3
        assert all(p.stat().st_size > 0 for p in wal_dir.iterdir())
        store.audit.record("test", "two")
    with Store.open(data_dir, options=options()) as store:
        assert len(store.audit.entries(limit=10)) == 2 and store.check().ok


def test_an_injected_enospc_on_a_journal_write_is_disk_full_and_the_next_write_succeeds(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(data_dir, options=options())
    acked = [store.audit.record("test", "fill", target="0").entry_id]
    faults = JournalFaults(monkeypatch)
    faults.fail("write", errno.ENOSPC)
    with pytest.raises(DiskFull):
        store.audit.record("test", "fill", target="lost", details={"pad": PAD})
    assert faults.injected == 1
    assert not store.audit.entries(target="lost")  # nothing of the refused write is visible
    acked.append(store.audit.record("test", "fill", target="1").entry_id)  # no reopen needed
    store.close()
    _all_there(data_dir, acked)


def test_a_failed_journal_sync_is_repaired_by_the_checkpointer_and_writing_resumes(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, "appliance.store")
    store = Store.open(data_dir, options=options(background=True))
    acked = [store.audit.record("test", "fill", target="0").entry_id]
    faults = JournalFaults(monkeypatch)
    faults.fail("fdatasync", errno.EIO)
    with pytest.raises(StoreIOError):
        store.audit.record("test", "fill", target="in-doubt")
    waited = _resume_time(store)
    assert waited < RESUME_WITHIN
    assert "repaired" in caplog.text
    acked.append(store.audit.record("test", "fill", target="1").entry_id)
    store.close()
    _all_there(data_dir, acked)


def test_after_a_failed_sync_no_earlier_unsynced_record_is_ever_acknowledged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wal = WalWriter(tmp_path, 1, 1)
    for lsn in (1, 2, 3):
        wal.append(encode_record({"lsn": lsn, "ops": []}), lsn)
        if lsn == 1:
            wal.sync(1)
    faults = JournalFaults(monkeypatch)
    faults.fail("fdatasync", errno.EIO)
    with pytest.raises(OSError):
        wal.sync(3)
    with pytest.raises(OSError):  # the kernel may have dropped record 2's pages: a later fsync proves nothing
        wal.sync(2)
    wal.rotate(2, 4)  # a repairing checkpoint moves on to a new file...
    with pytest.raises(OSError):
        wal.sync(2)
    wal.mark_durable(3)  # ...and once the shard files hold everything up to 3, it is durable
    wal.sync(2)
    wal.append(encode_record({"lsn": 4, "ops": []}), 4)
    wal.sync(4)
    wal.close()
    assert wal_generations(tmp_path) == [1, 2]


def test_the_journal_is_bounded_when_checkpoints_cannot_run(data_dir: Path) -> None:
    store = Store.open(
        data_dir,
        options=options(background=True, journal_limit_bytes=256 * 1024, journal_wait_seconds=0.3),
    )
    acked: list[str] = []
    held = FileLock(data_dir / "store.checkpoint.lock")
    assert held.acquire(timeout=5)  # as a long backup would
    try:
        err = _write_until_refused(store, acked)
        assert isinstance(err, JournalFull) and not store.health().writable
        assert store.health().journal_bytes <= 256 * 1024 + 8 * 1024
    finally:
        held.release()
    assert _resume_time(store) < RESUME_WITHIN
    health = store.health()  # folded in; the generation kept one more round for recovery may remain
    assert health.writable and health.journal_bytes <= 2 * (256 * 1024 + 8 * 1024)
    store.close()
    _all_there(data_dir, acked)


def test_health_reports_a_writable_store_with_its_reserve(store: Store) -> None:
    health = store.health()
    assert health.writable and not health.disk_full and health.last_error is None
    assert health.free_bytes > 0 and health.reserve_bytes > 0 and health.journal_bytes > 0
    assert health.message == "The store is saving normally."
    assert os.statvfs(store.data_dir).f_bavail > 0


def test_a_backup_onto_a_full_stick_says_so_and_leaves_nothing_there(disk: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with Store.open(data_dir, options=options()) as store:
        for i in range(40):
            store.audit.record("test", "fill", target=str(i), details={"pad": os.urandom(3000).hex()})
    make_key_kit(data_dir)
    fill(disk / "filler", leave=50_000)
    with pytest.raises(DiskFull, match="nothing was left there"):
        backup(data_dir, disk / "ward.wardbackup")
    assert sorted(p.name for p in disk.iterdir()) == ["filler"]


def test_the_journal_alone_never_fills_a_small_disk(disk: Path) -> None:
    """Rewriting the same few records for seconds: the data does not grow, so neither may the journal."""
    store = Store.open(disk / "data", options=options(background=True))  # the default reserve and bounds
    refused = written = 0
    deadline = time.monotonic() + 3.0
    while time.monotonic() < deadline:
        try:
            store.settings.set(f"k{written % 4}", PAD * 2)
            written += 1
        except DiskFull:
            refused += 1
            time.sleep(0.01)
    health = store.health()
    store.close()
    assert written > 500 and refused == 0, (written, refused, health)
