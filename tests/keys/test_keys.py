"""Key files are private and atomic; the key kit keeps only the public half; recovery keys parse as typed."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import appliance.keys as keys
from appliance.keys import (
    KeyFileError,
    KeyFiles,
    KeyKitExists,
    KeyKitMissing,
    NotARecoveryKey,
    RecoveryKey,
    WrongRecoveryKey,
    backup_recipient,
    decrypt_stream,
    encrypt_stream,
    make_key_kit,
)

ROOT = Path(__file__).resolve().parents[2]


def test_the_public_surface_is_deliberate_and_every_error_is_a_keys_error() -> None:
    assert sorted(keys.__all__) == sorted(set(keys.__all__))
    for name in keys.__all__:
        item = getattr(keys, name)
        if isinstance(item, type) and issubclass(item, Exception):
            assert issubclass(item, keys.KeysError), name


def test_the_package_imports_neither_nicegui_nor_the_store() -> None:
    code = "import sys, appliance.keys; assert not {'nicegui', 'appliance.store'} & set(sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_a_secret_is_made_once_in_a_0600_file_in_a_0700_folder(tmp_path: Path) -> None:
    files = KeyFiles(tmp_path)
    first = files.secret("session_secret")
    assert len(first) >= 40 and files.secret("session_secret") == first
    assert (tmp_path / "keys").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "keys" / "session_secret").stat().st_mode & 0o777 == 0o600
    assert files.names() == ["session_secret"]


def test_concurrent_first_uses_agree_on_one_secret(tmp_path: Path) -> None:
    seen: list[str] = []
    threads = [threading.Thread(target=lambda: seen.append(KeyFiles(tmp_path).secret("s"))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 1


def test_a_key_is_never_overwritten_unless_asked_and_names_are_checked(tmp_path: Path) -> None:
    files = KeyFiles(tmp_path)
    files.write("signing", b"one")
    with pytest.raises(KeyFileError, match="exists already"):
        files.write("signing", b"two")
    files.write("signing", b"two", replace=True)
    assert files.read("signing") == b"two"
    for bad in ("../escape", "UPPER", "", "a/b"):
        with pytest.raises(KeyFileError):
            files.path(bad)


def test_a_key_file_others_can_read_is_tightened(tmp_path: Path) -> None:
    files = KeyFiles(tmp_path)
    path = files.write("signing", b"k")
    os.chmod(path, 0o644)
    assert files.read("signing") == b"k" and path.stat().st_mode & 0o777 == 0o600


def test_the_kit_keeps_only_the_public_half_on_the_box(tmp_path: Path) -> None:
    key = make_key_kit(tmp_path)
    assert backup_recipient(tmp_path) == key.recipient
    stored = (tmp_path / "keys" / "backup-recipient").read_bytes()
    assert (tmp_path / "keys" / "backup-recipient").stat().st_mode & 0o777 == 0o600
    assert key.recipient.encode() in stored and key.secret.encode() not in stored
    for file in tmp_path.rglob("*"):
        assert not file.is_file() or key.secret[20:40].encode() not in file.read_bytes()
    assert key.secret not in repr(key)
    with pytest.raises(KeyKitExists):
        make_key_kit(tmp_path)
    assert make_key_kit(tmp_path, replace=True).recipient == backup_recipient(tmp_path) != key.recipient


def test_no_kit_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(KeyKitMissing, match="appliance backup-key"):
        backup_recipient(tmp_path)


def test_a_recovery_key_parses_as_printed_typed_or_saved_and_rejects_typos(tmp_path: Path) -> None:
    key = make_key_kit(tmp_path / "box")
    for text in (key.secret, key.grouped(), key.grouped().lower(), key.file_text(), f"  {key.secret}\n"):
        assert RecoveryKey.parse(text).recipient == key.recipient
    typo = key.secret[:-1] + ("Q" if key.secret[-1] != "Q" else "P")
    with pytest.raises(NotARecoveryKey, match="typo"):
        RecoveryKey.parse(typo)
    with pytest.raises(NotARecoveryKey):
        RecoveryKey.parse(key.recipient)  # the public half is not the recovery key
    saved = key.save(tmp_path / "recovery.txt")
    assert saved.stat().st_mode & 0o777 == 0o600 and RecoveryKey.read(saved).secret == key.secret
    with pytest.raises(KeyFileError, match="exists already"):
        key.save(saved)
    with pytest.raises(KeyFileError, match="USB stick"):
        key.save(tmp_path / "not-mounted" / "recovery.txt")
    assert not (tmp_path / "not-mounted").exists()


def test_encryption_round_trips_and_another_key_is_told_apart_from_damage(tmp_path: Path) -> None:
    key, other = make_key_kit(tmp_path / "a"), make_key_kit(tmp_path / "b")
    sealed = io.BytesIO()
    encrypt_stream(io.BytesIO(b"records" * 1000), sealed, key.recipient)
    opened = io.BytesIO()
    decrypt_stream(io.BytesIO(sealed.getvalue()), opened, key)
    assert opened.getvalue() == b"records" * 1000
    with pytest.raises(WrongRecoveryKey):
        decrypt_stream(io.BytesIO(sealed.getvalue()), io.BytesIO(), other)
    with pytest.raises(ValueError, match="damaged"):
        decrypt_stream(io.BytesIO(sealed.getvalue()[:-40]), io.BytesIO(), key)
