"""The backup file: an age-encrypted gzip tar (``<name>.wardbackup``) of named members.

The tar is produced in a thread and streamed through the encryption into a 0600 temp file beside the
target, which is fsynced and renamed over it, so the plain archive never touches a disk and a half-written
backup never carries the final name. Reading accepts the unencrypted ``tar.gz`` archives of older
appliances too (they need no key). Every failure becomes a :class:`StoreError` with a plain message.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import tarfile
import threading
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from appliance.keys import (
    KeyFileError,
    RecoveryKey,
    WrongRecoveryKey,
    decrypt_stream,
    encrypt_stream,
    is_encrypted,
)
from appliance.store.engine._errors import (
    BackupInvalid,
    BackupTargetMissing,
    NoBackupKey,
    StoreError,
    WrongBackupKey,
)
from appliance.store.engine._fileformat import fsync_dir
from appliance.store.engine._space import io_error

BACKUP_SUFFIX = ".wardbackup"
_ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip", ".gz")


def backup_path(archive: Path) -> Path:
    """The honest name for a backup: ``ward.zip`` or ``ward.tar.gz`` become ``ward.wardbackup``."""
    name = archive.name
    if name.endswith(BACKUP_SUFFIX):
        return archive
    for suffix in _ARCHIVE_SUFFIXES:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return archive.with_name(name + BACKUP_SUFFIX)


def check_target(target: Path) -> None:
    """Refuse a target whose folder does not exist (never create it: an unmounted stick must show).

    :raises BackupTargetMissing: the folder does not exist.
    """
    if not target.parent.is_dir():
        raise BackupTargetMissing(
            f"the folder {target.parent} does not exist (is the USB stick mounted?); nothing was written"
        )


def _tar_into(sink: BinaryIO, members: Sequence[tuple[str, bytes]], mtime: int) -> None:
    with (
        gzip.GzipFile(fileobj=sink, mode="wb", compresslevel=1, mtime=mtime) as packed,
        tarfile.open(fileobj=packed, mode="w|") as tar,
    ):
        for path, data in members:
            info = tarfile.TarInfo(path)
            info.size, info.mtime, info.mode = len(data), mtime, 0o600
            tar.addfile(info, io.BytesIO(data))


def _encrypt_tar(
    out: io.BufferedWriter, members: Sequence[tuple[str, bytes]], mtime: int, recipient: str
) -> None:
    read_fd, write_fd = os.pipe()
    failure: list[BaseException] = []

    def produce() -> None:
        try:
            with os.fdopen(write_fd, "wb") as sink:
                _tar_into(sink, members, mtime)
        except BaseException as err:  # BrokenPipeError when the encryption stopped reading
            failure.append(err)

    producer = threading.Thread(target=produce, name="backup-tar", daemon=True)
    with os.fdopen(read_fd, "rb") as source:
        producer.start()
        try:
            encrypt_stream(source, out, recipient)
        finally:
            source.close()  # a producer still writing gets BrokenPipeError and stops
            producer.join()
    if failure:
        raise failure[0]


def write_archive(target: Path, members: Sequence[tuple[str, bytes]], mtime: int, recipient: str) -> int:
    """Write ``members`` encrypted to ``recipient`` at ``target`` (0600); return the file's size.

    :raises BackupTargetMissing: the folder does not exist (nothing is created: an unmounted stick).
    :raises NoBackupKey: ``recipient`` is not a usable public key.
    :raises DiskFull: the target disk is full (nothing is left behind).
    :raises StoreIOError: the target refused the write.
    """
    check_target(target)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        tmp.unlink(missing_ok=True)
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            _encrypt_tar(out, members, mtime, recipient)
            out.flush()
            os.fsync(out.fileno())
        size = tmp.stat().st_size
        os.replace(tmp, target)
        fsync_dir(target.parent)
        return size
    except KeyFileError as err:
        raise NoBackupKey(f"the backup key is unusable: {err}") from err
    except OSError as err:
        raise io_error(err, f"could not write the backup {target}", "nothing was left there") from err
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def read_archive(archive: Path, key: RecoveryKey | None) -> tuple[bool, dict[str, bytes]]:
    """Decrypt (if encrypted) and unpack a backup: whether it was encrypted, and its members.

    :raises NoBackupKey: it is encrypted and no key was given.
    :raises WrongBackupKey: the key does not open it.
    :raises BackupInvalid: not a backup, or damaged.
    """
    try:
        with open(archive, "rb") as handle:
            head = handle.read(512)
            handle.seek(0)
            if is_encrypted(head):
                if key is None:
                    raise NoBackupKey(f"{archive} is encrypted: give its recovery key")
                plain = io.BytesIO()
                decrypt_stream(handle, plain, key)
                plain.seek(0)
                return True, _unpack(archive, plain)
            if not (head.startswith(b"\x1f\x8b") or head[257:262] == b"ustar"):
                raise BackupInvalid(
                    f"{archive} is not a ward backup (neither an encrypted {BACKUP_SUFFIX} file nor an "
                    "older .tar.gz backup)"
                )
            return False, _unpack(archive, handle)
    except WrongRecoveryKey as err:
        raise WrongBackupKey(f"{err}: {archive}") from err
    except ValueError as err:
        raise BackupInvalid(f"{archive} is damaged or incomplete; it cannot be decrypted") from err
    except OSError as err:
        raise StoreError(f"could not read {archive}: {err.strerror or err}") from err


def _unpack(archive: Path, source: BinaryIO) -> dict[str, bytes]:
    contents: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=source, mode="r:*") as tar:
            for member in tar:
                if not member.isfile():
                    raise BackupInvalid(f"{archive}: {member.name} is not a plain file")
                handle = tar.extractfile(member)
                assert handle is not None
                contents[member.name] = handle.read()
    except (tarfile.TarError, EOFError, OSError, zlib.error) as err:
        raise BackupInvalid(f"{archive} is damaged or incomplete; its contents cannot be unpacked") from err
    return contents
