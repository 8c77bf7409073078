"""Backup while writing, validation before restore, and restore of a consistent state."""

from __future__ import annotations

import gzip
import io
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

import pytest

from appliance.keys import RecoveryKey, decrypt_stream, encrypt_stream, make_key_kit
from appliance.store import Store, StoreLocked
from appliance.store.maintenance import BackupInvalid, restore, verify_backup
from tests.store.conftest import Clock, learner, options, state, submit

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def key(tmp_path: Path) -> RecoveryKey:
    """The key kit of ``tmp_path / "data"``: the recovery key."""
    return make_key_kit(tmp_path / "data")


def _filled(data_dir: Path, clock: Clock, grades: int = 3) -> tuple[Store, str]:
    store = Store.open(data_dir, options=options(clock))
    user = learner(store)
    attempt = store.attempts.start(user.user_id, "sepsis", "sepsis-1", state())
    revision = attempt.revision
    for i in range(grades):
        _record, saved, _event = submit(store, attempt.attempt_id, revision, rationale=f"text {i}")
        revision = saved.revision
    return store, attempt.attempt_id


def test_a_backup_restores_the_state_it_was_taken_in(tmp_path: Path, clock: Clock, key: RecoveryKey) -> None:
    data_dir = tmp_path / "data"
    store, attempt_id = _filled(data_dir, clock)
    info = store.backup(tmp_path / "b.wardbackup")
    assert verify_backup(tmp_path / "b.wardbackup", key=key).store_id == info.store_id
    attempt = store.attempts.get(attempt_id)
    submit(store, attempt_id, attempt.revision)  # type: ignore[union-attr]  # after the backup
    store.close()
    restore(tmp_path / "b.wardbackup", data_dir, key=key, options=options(clock))
    with Store.open(data_dir, options=options(clock)) as restored:
        assert len(restored.grades.for_attempt(attempt_id)) == 3
        assert restored.check().ok
    assert list(data_dir.glob("store.before-restore-*"))  # what was replaced is kept


def test_a_backup_taken_during_concurrent_writes_restores_to_a_consistent_state(
    tmp_path: Path, clock: Clock, key: RecoveryKey
) -> None:
    data_dir = tmp_path / "data"
    store, attempt_id = _filled(data_dir, clock, grades=1)
    acked: list[str] = []
    stop = threading.Event()

    def writer() -> None:
        revision = store.attempts.get(attempt_id).revision  # type: ignore[union-attr]
        while not stop.is_set():
            record, saved, _ = submit(store, attempt_id, revision)
            revision = saved.revision
            acked.append(record.grade_id)

    thread = threading.Thread(target=writer)
    thread.start()
    while len(acked) < 20:
        threading.Event().wait(0.005)
    before = set(acked)
    store.checkpoint()
    store.backup(tmp_path / "b.wardbackup")
    after = set(acked)
    stop.set()
    thread.join()
    store.close()
    target = tmp_path / "restored"
    restore(tmp_path / "b.wardbackup", target, key=key, options=options(clock))
    with Store.open(target, options=options(clock)) as restored:
        grades = restored.grades.for_attempt(attempt_id)
        ids = {g.grade_id for g in grades}
        assert before <= ids <= after | {g.grade_id for g in grades[:1]}
        attempt = restored.attempts.get(attempt_id)
        assert attempt is not None and attempt.revision == 1 + len(grades)  # grade and state together
        events = restored.outbox.after(0, limit=10**6)
        assert {e.payload["grade_id"] for e in events} == ids  # and their events
        assert restored.check().ok


def test_a_backup_can_be_taken_by_another_process_while_the_store_is_open(
    tmp_path: Path, clock: Clock, key: RecoveryKey
) -> None:
    data_dir = tmp_path / "data"
    store, attempt_id = _filled(data_dir, clock)
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                "from appliance.cli import main; main()",
                "backup",
                str(tmp_path / "b.wardbackup"),
                "--data-dir",
                str(data_dir),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        with pytest.raises(StoreLocked):
            restore(tmp_path / "b.wardbackup", data_dir, key=key)
    finally:
        store.close()
    restore(tmp_path / "b.wardbackup", tmp_path / "other", key=key, options=options(clock))
    with Store.open(tmp_path / "other", options=options(clock)) as restored:
        assert len(restored.grades.for_attempt(attempt_id)) == 3  # the un-checkpointed journal came along


def _repack(source: Path, target: Path, key: RecoveryKey, change: str, data: bytes) -> None:
    """Decrypt a backup, replace one member, encrypt it again to the same kit (a forged archive)."""
    plain = io.BytesIO()
    with open(source, "rb") as handle:
        decrypt_stream(handle, plain, key)
    plain.seek(0)
    packed = io.BytesIO()
    with tarfile.open(fileobj=plain, mode="r:gz") as old, tarfile.open(fileobj=packed, mode="w:gz") as new:
        for member in old:
            content = old.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == change:
                content = data
            member.size = len(content)
            new.addfile(member, io.BytesIO(content))
    packed.seek(0)
    with open(target, "wb") as out:
        encrypt_stream(packed, out, key.recipient)


def _members(archive: Path, key: RecoveryKey) -> dict[str, bytes]:
    plain = io.BytesIO()
    with open(archive, "rb") as handle:
        decrypt_stream(handle, plain, key)
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(plain.getvalue()))) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar}  # type: ignore[union-attr]


def test_an_altered_or_broken_archive_is_refused_and_nothing_is_replaced(
    tmp_path: Path, clock: Clock, key: RecoveryKey
) -> None:
    data_dir = tmp_path / "data"
    store, attempt_id = _filled(data_dir, clock)
    store.backup(tmp_path / "b.wardbackup")
    store.close()
    members = _members(tmp_path / "b.wardbackup", key)
    wal = next(name for name, data in members.items() if name.endswith(".wal") and len(data) > 200)
    altered = members[wal].replace(b"Nurse", b"Nurze")
    _repack(tmp_path / "b.wardbackup", tmp_path / "altered.wardbackup", key, wal, altered)
    (tmp_path / "cut.wardbackup").write_bytes((tmp_path / "b.wardbackup").read_bytes()[:500])
    (tmp_path / "junk.wardbackup").write_bytes(b"not an archive")
    before = sorted(p.name for p in (data_dir / "store" / "shards").rglob("*"))
    for bad, reason in (
        ("altered", "checksum"),
        ("cut", "damaged or incomplete"),
        ("junk", "not a ward backup"),
    ):
        with pytest.raises(BackupInvalid, match=reason):
            restore(tmp_path / f"{bad}.wardbackup", data_dir, key=key, options=options(clock))
    assert sorted(p.name for p in (data_dir / "store" / "shards").rglob("*")) == before
    with Store.open(data_dir, options=options(clock)) as same:
        assert len(same.grades.for_attempt(attempt_id)) == 3
