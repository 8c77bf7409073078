"""Damaged files: each gives a clear error or a recovery, never silent loss and never a silent empty start."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from appliance.store import SchemaTooNew, Store, StoreCorrupt, User
from appliance.store.migrations import SCHEMA_VERSION
from appliance.store.reports import Severity
from tests.store.conftest import Clock, crash, learner, options, state, submit


def _shard_file(data_dir: Path, user: User) -> Path:
    return next((data_dir / "store" / "shards" / "learners" / user.user_id).glob("20*.json"))


def _two_checkpoints(data_dir: Path, clock: Clock) -> tuple[User, list[str]]:
    """A learner whose month shard was written at two checkpoints (so it has a .prev) plus journal."""
    grade_ids = []
    with Store.open(data_dir, options=options(clock)) as store:
        user = learner(store)
        attempt = store.attempts.start(user.user_id, "sepsis", "sepsis-1", state())
        revision = attempt.revision
        for round_ in range(3):
            record, saved, _event = submit(store, attempt.attempt_id, revision, rationale=f"round {round_}")
            revision = saved.revision
            grade_ids.append(record.grade_id)
            store.checkpoint()
    return user, grade_ids


def _single_write(data_dir: Path, clock: Clock) -> tuple[User, str]:
    """A learner shard written once, then enough checkpoints that the journal no longer covers it."""
    with Store.open(data_dir, options=options(clock)) as store:
        user = learner(store)
        attempt = store.attempts.start(user.user_id, "sepsis", "sepsis-1", state())
        store.checkpoint()
        for i in range(3):
            store.settings.set("tick", i)
            store.checkpoint()
    return user, attempt.attempt_id


def test_a_truncated_shard_is_rebuilt_from_its_previous_generation_and_the_journal(
    data_dir: Path, clock: Clock
) -> None:
    user, grade_ids = _two_checkpoints(data_dir, clock)
    path = _shard_file(data_dir, user)
    path.write_bytes(path.read_bytes()[:-40])
    with Store.open(data_dir, options=options(clock)) as store:
        assert [f.code for f in store.findings] == ["shard-recovered"]
        assert "truncated" in store.findings[0].message and "nothing lost" in store.findings[0].message
        assert sorted(g.grade_id for g in store.grades.for_learner(user.user_id)) == sorted(grade_ids)
        assert store.audit.entries(action="store.recovered")
        assert list((data_dir / "store" / "quarantine").rglob("*.json"))  # the damaged file is kept
    with Store.open(data_dir, options=options(clock)) as store:
        assert store.findings == ()
        report = store.check()
        assert report.ok and [f.code for f in report.findings] == ["quarantine"]


def test_a_shard_that_cannot_be_rebuilt_stops_the_store_with_a_clear_error(
    data_dir: Path, clock: Clock
) -> None:
    user, attempt_id = _single_write(data_dir, clock)
    path = _shard_file(data_dir, user)
    damaged = path.read_bytes()[:100]
    path.write_bytes(damaged)
    with pytest.raises(StoreCorrupt, match=rf"learners/{user.user_id}/.*truncated.*may be lost"):
        Store.open(data_dir, options=options(clock))
    assert path.read_bytes() == damaged  # refusing changed nothing
    with Store.open(data_dir, options=options(clock, accept_loss=True)) as store:
        assert any(
            f.code == "shard-recovered-with-loss" and f.severity is Severity.ERROR for f in store.findings
        )
        assert store.attempts.get(attempt_id) is None
        assert store.users.get(user.user_id) is not None  # everything else is still there


def test_garbage_bytes_in_a_body_are_caught_on_first_read_and_by_the_check(
    data_dir: Path, clock: Clock
) -> None:
    user, grade_ids = _two_checkpoints(data_dir, clock)
    path = _shard_file(data_dir, user)
    raw = bytearray(path.read_bytes())
    raw[-30:-20] = b"#" * 10  # same size: only the checksum can tell
    path.write_bytes(bytes(raw))
    with Store.open(data_dir, options=options(clock)) as store:
        report = store.check()
        assert not report.ok and [f.code for f in report.findings if f.severity is Severity.ERROR] == [
            "shard-damaged"
        ]
        assert any("checksum" in f.message for f in report.findings)
        assert sorted(g.grade_id for g in store.grades.for_learner(user.user_id)) == sorted(grade_ids)
        assert [f.code for f in store.findings] == ["shard-recovered"]
        store.checkpoint()
        assert store.check().findings[-1].code == "quarantine"
        assert store.check().ok


def test_garbage_in_a_shard_that_cannot_be_rebuilt_fails_that_read_only(data_dir: Path, clock: Clock) -> None:
    user, attempt_id = _single_write(data_dir, clock)
    path = _shard_file(data_dir, user)
    raw = bytearray(path.read_bytes())
    raw[-5] ^= 0xFF
    path.write_bytes(bytes(raw))
    with Store.open(data_dir, options=options(clock)) as store:
        with pytest.raises(StoreCorrupt, match="cannot be rebuilt without loss"):
            store.attempts.get(attempt_id)
        assert store.users.get(user.user_id) is not None


def test_a_missing_shard_is_noticed(data_dir: Path, clock: Clock) -> None:
    user, _attempt_id = _single_write(data_dir, clock)
    _shard_file(data_dir, user).unlink()
    with pytest.raises(StoreCorrupt, match="the file is missing"):
        Store.open(data_dir, options=options(clock))


def test_a_missing_shard_with_a_previous_generation_is_rebuilt(data_dir: Path, clock: Clock) -> None:
    user, grade_ids = _two_checkpoints(data_dir, clock)
    _shard_file(data_dir, user).unlink()
    with Store.open(data_dir, options=options(clock)) as store:
        assert sorted(g.grade_id for g in store.grades.for_learner(user.user_id)) == sorted(grade_ids)


def test_a_newer_schema_is_refused(data_dir: Path, clock: Clock) -> None:
    _two_checkpoints(data_dir, clock)
    meta_path = data_dir / "store" / "store.json"
    meta = json.loads(meta_path.read_text())
    meta_path.write_text(json.dumps({**meta, "schema_version": 99}))
    with pytest.raises(SchemaTooNew, match="schema 99"):
        Store.open(data_dir, options=options(clock))


def test_a_shard_written_with_a_newer_schema_is_refused(data_dir: Path, clock: Clock) -> None:
    user, _ = _two_checkpoints(data_dir, clock)
    path = _shard_file(data_dir, user)
    header, _, body = path.read_bytes().partition(b"\n")
    path.write_bytes(header.replace(f'"schema":{SCHEMA_VERSION}'.encode(), b'"schema":7') + b"\n" + body)
    with pytest.raises(SchemaTooNew, match="schema 7"):
        Store.open(data_dir, options=options(clock))


def test_a_damaged_journal_record_is_refused_unless_the_loss_is_accepted(
    data_dir: Path, clock: Clock
) -> None:
    with Store.open(data_dir, options=options(clock)) as store:
        user = learner(store)
        for i in range(3):
            store.settings.set(f"k{i}", i)
        crash(store)
    wal = max((data_dir / "store" / "wal").glob("*.wal"))
    lines = wal.read_bytes().split(b"\n")
    middle = next(i for i, line in enumerate(lines) if b'"k1"' in line)
    lines[middle] = lines[middle].replace(b'"k1"', b'"X1"')  # a changed byte in the middle: the CRC fails
    wal.write_bytes(b"\n".join(lines))
    with pytest.raises(StoreCorrupt, match="damaged journal"):
        Store.open(data_dir, options=options(clock))
    with Store.open(data_dir, options=options(clock, accept_loss=True)) as store:
        assert any(f.code == "journal-damaged" for f in store.findings)
        assert store.users.get(user.user_id) is not None and store.settings.get("k2") == 2
        assert store.settings.get("k1") is None  # the damaged record is what was lost


def test_a_torn_journal_tail_loses_only_the_unfinished_write(data_dir: Path, clock: Clock) -> None:
    with Store.open(data_dir, options=options(clock)) as store:
        store.settings.set("first", 1)
        store.settings.set("second", 2)
        crash(store)
    wal = max((data_dir / "store" / "wal").glob("*.wal"))
    whole = wal.read_bytes()
    last_start = whole.rstrip(b"\n").rfind(b"\n") + 1
    for cut in range(last_start, len(whole), 7):  # every few bytes into the last record
        wal.write_bytes(whole[:cut])
        with Store.open(data_dir, options=options(clock)) as store:
            assert store.settings.get("first") == 1 and store.settings.get("second") is None
            assert all(f.severity is Severity.INFO for f in store.findings)
            crash(store)
        for extra in (data_dir / "store" / "wal").glob("*.wal"):
            if extra != wal:
                extra.unlink()


def test_a_lost_store_record_is_rebuilt_from_the_shard_headers(data_dir: Path, clock: Clock) -> None:
    user, _ = _two_checkpoints(data_dir, clock)
    (data_dir / "store" / "store.json").unlink()
    (data_dir / "store" / "store.json.prev").unlink(missing_ok=True)
    with Store.open(data_dir, options=options(clock)) as store:
        assert "meta-rebuilt" in [f.code for f in store.findings]
        assert store.users.get(user.user_id) is not None


def test_a_lost_catalog_is_rebuilt_from_the_shard_files(data_dir: Path, clock: Clock) -> None:
    user, grade_ids = _two_checkpoints(data_dir, clock)
    for path in (data_dir / "store" / "shards").glob("_catalog.json*"):
        path.unlink()
    with Store.open(data_dir, options=options(clock)) as store:
        assert "catalog-rebuilt" in [f.code for f in store.findings]
        assert len(store.grades.for_learner(user.user_id)) == len(grade_ids)


def test_a_store_whose_files_vanished_is_not_silently_replaced_by_an_empty_one(
    data_dir: Path, clock: Clock
) -> None:
    _two_checkpoints(data_dir, clock)
    shutil.rmtree(data_dir / "store" / "shards")
    with pytest.raises(StoreCorrupt, match="refusing to start empty"):
        Store.open(data_dir, options=options(clock))
    shutil.rmtree(data_dir / "store")
    with pytest.raises(StoreCorrupt, match="refusing to start empty"):
        Store.open(data_dir, options=options(clock))
