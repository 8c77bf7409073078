"""Backups are encrypted to the key kit, hold the key files, are written 0600 under an honest name,
refuse a missing folder, and restore only with the right recovery key; secrets never sit in shards."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from appliance.keys import KeyFiles, RecoveryKey, make_key_kit
from appliance.store import Store
from appliance.store.maintenance import (
    BackupInvalid,
    BackupTargetMissing,
    NoBackupKey,
    WrongBackupKey,
    backup,
    restore,
    verify_backup,
)
from appliance.store.records import SettingKey
from tests.store.conftest import Clock, learner, options, state, submit

PIN_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"


def _ward(data_dir: Path, clock: Clock) -> tuple[RecoveryKey, str]:
    with Store.open(data_dir, options=options(clock)) as store:
        user = store.users.create("N1", "Ada Nurse", job_role="nicu-nurse", pin_hash=PIN_HASH)
        attempt = store.attempts.start(user.user_id, "sepsis", "sepsis-1", state())
        submit(store, attempt.attempt_id, attempt.revision, rationale="escalate to the registrar now")
        secret = store.settings.secret(SettingKey.SESSION_SECRET)
    return make_key_kit(data_dir), secret


def test_a_backup_is_encrypted_0600_and_named_for_what_it_is(tmp_path: Path, clock: Clock) -> None:
    data_dir = tmp_path / "data"
    key, secret = _ward(data_dir, clock)
    info = backup(data_dir, tmp_path / "ward.zip")
    written = Path(info.path)
    assert written == tmp_path / "ward.wardbackup" and not (tmp_path / "ward.zip").exists()
    assert info.encrypted and info.key_files == 2 and info.archive_bytes == written.stat().st_size
    assert written.stat().st_mode & 0o777 == 0o600
    raw = written.read_bytes()
    assert raw.startswith(b"age-encryption.org/v1\n")
    for plain in (b"Ada Nurse", b"registrar", PIN_HASH.encode(), secret.encode(), b"manifest"):
        assert plain not in raw
    assert not list(tmp_path.glob(".*tmp"))
    assert verify_backup(written, key=key).store_id == info.store_id


def test_the_key_files_travel_in_the_backup_and_come_back_0600(tmp_path: Path, clock: Clock) -> None:
    data_dir = tmp_path / "data"
    key, secret = _ward(data_dir, clock)
    KeyFiles(data_dir).write("credential-signing", b"-----BEGIN PRIVATE KEY-----\nabc\n")
    info = backup(data_dir, tmp_path / "b.wardbackup")
    assert info.key_files == 3
    target = tmp_path / "new-box"
    restore(tmp_path / "b.wardbackup", target, key=key, options=options(clock))
    keys = KeyFiles(target)
    assert keys.read("credential-signing") == b"-----BEGIN PRIVATE KEY-----\nabc\n"
    assert (target / "keys").stat().st_mode & 0o777 == 0o700
    assert all((target / "keys" / n).stat().st_mode & 0o777 == 0o600 for n in keys.names())
    with Store.open(target, options=options(clock)) as restored:
        assert restored.settings.secret(SettingKey.SESSION_SECRET) == secret
        assert restored.users.by_staff_id("N1") is not None


def test_restore_with_the_wrong_key_or_no_key_is_refused_and_nothing_is_replaced(
    tmp_path: Path, clock: Clock
) -> None:
    data_dir = tmp_path / "data"
    _key, _secret = _ward(data_dir, clock)
    backup(data_dir, tmp_path / "b.wardbackup")
    before = sorted(p.name for p in (data_dir / "store" / "shards").rglob("*"))
    wrong = make_key_kit(tmp_path / "other")
    with pytest.raises(WrongBackupKey, match="does not open this backup"):
        restore(tmp_path / "b.wardbackup", data_dir, key=wrong, options=options(clock))
    with pytest.raises(NoBackupKey, match="is encrypted: give its recovery key"):
        restore(tmp_path / "b.wardbackup", data_dir, options=options(clock))
    assert sorted(p.name for p in (data_dir / "store" / "shards").rglob("*")) == before
    assert not list(data_dir.glob("*.before-restore-*"))


def test_without_a_key_kit_a_backup_says_how_to_make_one(tmp_path: Path, clock: Clock) -> None:
    data_dir = tmp_path / "data"
    Store.open(data_dir, options=options(clock)).close()
    with pytest.raises(NoBackupKey, match="appliance backup-key"):
        backup(data_dir, tmp_path / "b.wardbackup")


def test_a_missing_target_folder_is_noticed_not_created(tmp_path: Path, clock: Clock) -> None:
    data_dir = tmp_path / "data"
    _ward(data_dir, clock)
    with pytest.raises(BackupTargetMissing, match="is the USB stick mounted"):
        backup(data_dir, tmp_path / "media" / "usb" / "ward.wardbackup")
    assert not (tmp_path / "media").exists()


@pytest.mark.parametrize(
    "content", [b"", b"not an archive at all", b"PK\x03\x04zipzipzip", b"\x1f\x8bnot gzip"]
)
def test_restoring_something_that_is_not_a_backup_gives_a_plain_message(
    tmp_path: Path, content: bytes
) -> None:
    (tmp_path / "x.wardbackup").write_bytes(content)
    with pytest.raises(BackupInvalid) as caught:
        restore(tmp_path / "x.wardbackup", tmp_path / "data", options=options())
    message = str(caught.value)
    assert "not a ward backup" in message or "damaged or incomplete" in message
    assert "compression" not in message and "tarfile" not in message and "Errno" not in message


def _legacy_archive(data_dir: Path, archive: Path) -> None:
    """What the previous version wrote: an unencrypted tar.gz with a ward-store-backup/1 manifest."""
    root = data_dir / "store"
    files = [("store/store.json", (root / "store.json").read_bytes())]
    files += [
        (f"store/{p.relative_to(root).as_posix()}", p.read_bytes())
        for p in sorted((root / "shards").rglob("*.json"))
    ]
    files += [
        (f"store/{p.relative_to(root).as_posix()}", p.read_bytes()) for p in sorted(root.glob("wal/*.wal"))
    ]
    meta = json.loads(files[0][1])
    manifest = {
        "format": "ward-store-backup/1",
        "created_at": "2026-11-23T10:00:00+00:00",
        "schema_version": meta["schema_version"],
        "store_id": meta["store_id"],
        "files": [{"path": p, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()} for p, d in files],
    }
    with tarfile.open(archive, "w:gz") as tar:
        for path, data in [*files, ("manifest.json", json.dumps(manifest).encode())]:
            info = tarfile.TarInfo(path)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_an_unencrypted_backup_from_the_previous_version_still_restores(tmp_path: Path, clock: Clock) -> None:
    data_dir = tmp_path / "data"
    with Store.open(data_dir, options=options(clock)) as store:
        user = learner(store)
    _legacy_archive(data_dir, tmp_path / "old.tar.gz")
    info = restore(tmp_path / "old.tar.gz", tmp_path / "new", options=options(clock))
    assert not info.encrypted and info.key_files == 0
    with Store.open(tmp_path / "new", options=options(clock)) as restored:
        assert restored.users.get(user.user_id) == user


def test_secrets_live_in_0600_key_files_and_never_in_the_shards(tmp_path: Path, clock: Clock) -> None:
    data_dir = tmp_path / "data"
    with Store.open(data_dir, options=options(clock)) as store:
        secret = store.settings.secret(SettingKey.SESSION_SECRET)
        assert SettingKey.SESSION_SECRET not in store.settings.all()
    path = data_dir / "keys" / SettingKey.SESSION_SECRET
    assert path.read_text().strip() == secret and path.stat().st_mode & 0o777 == 0o600
    for file in (data_dir / "store").rglob("*"):
        if file.is_file():
            assert secret.encode() not in file.read_bytes(), file


def test_a_secret_an_older_version_kept_in_the_settings_moves_out_and_is_purged(
    tmp_path: Path, clock: Clock
) -> None:
    data_dir = tmp_path / "data"
    old = "legacy-secret-" + "q" * 30
    with Store.open(data_dir, options=options(clock)) as store:
        store.settings.set(SettingKey.SESSION_SECRET, old)  # as the previous version stored it
        store.checkpoint()
    with Store.open(data_dir, options=options(clock)) as store:
        assert store.settings.secret(SettingKey.SESSION_SECRET) == old  # sessions stay valid
        assert store.settings.get(SettingKey.SESSION_SECRET) is None
    for file in (data_dir / "store").rglob("*"):
        if file.is_file():
            assert old.encode() not in file.read_bytes(), file


@pytest.mark.skipif(shutil.which("age") is None, reason="the age command-line tool is not installed")
def test_a_backup_opens_with_the_standard_age_tool_and_the_saved_key(tmp_path: Path, clock: Clock) -> None:
    data_dir = tmp_path / "data"
    key, _secret = _ward(data_dir, clock)
    backup(data_dir, tmp_path / "b.wardbackup")
    key.save(tmp_path / "recovery-key.txt")
    result = subprocess.run(
        ["age", "-d", "-i", str(tmp_path / "recovery-key.txt"), str(tmp_path / "b.wardbackup")],
        capture_output=True,
        timeout=60,
        check=True,
    )
    with tarfile.open(fileobj=io.BytesIO(result.stdout), mode="r:gz") as tar:
        assert "manifest.json" in tar.getnames() and "keys/backup-recipient" in tar.getnames()
