"""Backup and restore: a consistent, encrypted snapshot (``.wardbackup``, see ``_archive``).

A backup holds the checkpoint lock while it reads, so the shard files cannot change under it, and takes
the journal up to its last complete record: shard files plus that journal prefix are exactly the state
after one transaction, whatever the running appliance commits meanwhile. The key files of
``<data>/keys/`` (session secret, signing keys, the backup kit's public half) go into the same archive,
which is encrypted to the appliance's backup key kit (``appliance.keys``): writing needs no secret,
restoring needs the recovery key. A restore checks every sum, every shard checksum and the journal,
then opens the restored copy in a staging folder (replay and integrity checks) before it swaps folders;
the replaced store and keys are kept beside them.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from appliance.keys import KEYS_DIR, KeyFiles, KeyKitMissing, KeysError, RecoveryKey, backup_recipient
from appliance.store.engine._archive import backup_path, check_target, read_archive, write_archive
from appliance.store.engine._core import StoreOptions, utcnow
from appliance.store.engine._errors import (
    BackupInvalid,
    NoBackupKey,
    SchemaTooNew,
    StoreCorrupt,
    StoreError,
    StoreLocked,
)
from appliance.store.engine._fileformat import (
    PREV_SUFFIX,
    SUFFIX,
    ShardFileError,
    decode_shard,
    fsync_dir,
    write_file_synced,
)
from appliance.store.engine._layout import Layout
from appliance.store.engine._lock import FileLock
from appliance.store.engine._open import close_core, open_core
from appliance.store.engine._reports import BackupInfo
from appliance.store.engine._space import io_error
from appliance.store.engine._wal import WAL_SUFFIX, scan_wal, wal_generations, wal_path

BACKUP_FORMAT = "ward-store-backup/2"
"""Version 2 adds the key files; version 1 (store files only, unencrypted tar.gz) still restores."""
_FORMATS = ("ward-store-backup/1", BACKUP_FORMAT)
MANIFEST = "manifest.json"


def _files(root: Path) -> list[tuple[str, bytes]]:
    found = [("store/store.json", (root / "store.json").read_bytes())]
    shards = root / "shards"
    for folder, _dirs, names in sorted(os.walk(shards)):
        for name in sorted(names):
            if name.endswith(SUFFIX) and not name.endswith(PREV_SUFFIX):
                path = Path(folder) / name
                found.append((f"store/shards/{path.relative_to(shards).as_posix()}", path.read_bytes()))
    for gen in wal_generations(root / "wal"):
        data = wal_path(root / "wal", gen).read_bytes()
        data = data[: data.rfind(b"\n") + 1]  # the live journal: up to its last complete line
        found.append((f"store/wal/{gen:010d}{WAL_SUFFIX}", data))
    return found


def _key_files(data_dir: Path) -> list[tuple[str, bytes]]:
    keys = KeyFiles(data_dir)
    found = []
    for name in keys.names():
        data = keys.read(name)
        if data is not None:
            found.append((f"{KEYS_DIR}/{name}", data))
    return found


def _recipient(data_dir: Path) -> str:
    try:
        return backup_recipient(data_dir)
    except KeyKitMissing as err:
        raise NoBackupKey(str(err)) from err
    except KeysError as err:
        raise NoBackupKey(f"the backup key is unusable: {err}") from err


def backup(data_dir: Path, archive: Path, *, recipient: str | None = None, wait: float = 60.0) -> BackupInfo:
    """Write a consistent, encrypted snapshot of the store and key files (safe while the store runs).

    The file gets the ``.wardbackup`` suffix (``ward.zip`` becomes ``ward.wardbackup``; the info says
    where it went), mode 0600, and is encrypted to the appliance's backup key kit.

    :param recipient: encrypt to this public key (``age1...``) instead of the kit's.
    :raises NoBackupKey: the appliance has no backup key kit (``appliance backup-key`` makes one).
    :raises BackupTargetMissing: the target folder does not exist (nothing is created).
    :raises DiskFull: the target disk is full (nothing is left behind).
    :raises StoreError: there is no store, or a checkpoint held the files for ``wait`` seconds.
    """
    data_dir, target = Path(data_dir), backup_path(Path(archive))
    root = data_dir / "store"
    if not (root / "store.json").exists():
        raise StoreError(f"there is no store in {data_dir}")
    public = recipient if recipient is not None else _recipient(data_dir)
    check_target(target)  # before reading anything
    lock = FileLock(data_dir / "store.checkpoint.lock")
    if not lock.acquire(timeout=wait):
        raise StoreError("a checkpoint has held the store's files for too long; try again")
    try:
        files = _files(root)
        keys = _key_files(data_dir)
    except (OSError, KeysError) as err:
        raise StoreError(f"could not read the store for the backup: {err}") from err
    finally:
        lock.release()
    meta = json.loads(files[0][1])
    created = utcnow()
    listed = [*files, *keys]
    manifest = {
        "format": BACKUP_FORMAT,
        "created_at": created.isoformat(),
        "schema_version": meta["schema_version"],
        "store_id": meta["store_id"],
        "files": [{"path": p, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()} for p, d in listed],
    }
    size = write_archive(
        target,
        [*listed, (MANIFEST, json.dumps(manifest, indent=1).encode())],
        int(created.timestamp()),
        public,
    )
    return BackupInfo(
        path=str(target),
        files=len(files),
        bytes=sum(len(d) for _p, d in listed),
        schema_version=meta["schema_version"],
        created_at=created,
        store_id=meta["store_id"],
        encrypted=True,
        key_files=len(keys),
        archive_bytes=size,
    )


def _load(archive: Path, key: RecoveryKey | None, layout: Layout) -> tuple[BackupInfo, dict[str, bytes]]:
    encrypted, contents = read_archive(archive, key)
    try:
        manifest: dict[str, Any] = json.loads(contents.pop(MANIFEST))
    except (KeyError, ValueError) as err:
        raise BackupInvalid(f"{archive} has no readable {MANIFEST}") from err
    if manifest.get("format") not in _FORMATS:
        raise BackupInvalid(f"{archive} is not a ward store backup")
    listed = {f["path"]: f for f in manifest["files"]}
    if set(listed) != set(contents):
        odd = sorted(set(listed) ^ set(contents))
        raise BackupInvalid(f"the archive and its manifest disagree about: {', '.join(odd[:5])}")
    for path, data in contents.items():
        pure = PurePosixPath(path)
        if pure.is_absolute() or ".." in pure.parts or pure.parts[0] not in ("store", KEYS_DIR):
            raise BackupInvalid(f"unsafe path in archive: {path}")
        if pure.parts[0] == KEYS_DIR and len(pure.parts) != 2:
            raise BackupInvalid(f"unsafe path in archive: {path}")
        if hashlib.sha256(data).hexdigest() != listed[path]["sha256"] or len(data) != listed[path]["size"]:
            raise BackupInvalid(f"{path} does not match its checksum in the manifest")
        if path.startswith("store/shards/"):
            name = path[len("store/shards/") : -len(SUFFIX)]
            try:
                decode_shard(data, name)
            except ShardFileError as err:
                raise BackupInvalid(f"{path} is damaged: {err}") from err
    schema = int(manifest["schema_version"])
    if schema > layout.schema_version:
        raise BackupInvalid(
            f"the backup has schema {schema}; this appliance reads up to {layout.schema_version}"
        )
    keys = [p for p in contents if p.startswith(KEYS_DIR + "/")]
    info = BackupInfo(
        path=str(archive),
        files=len(contents) - len(keys),
        bytes=sum(len(d) for d in contents.values()),
        schema_version=schema,
        created_at=datetime.fromisoformat(str(manifest["created_at"])),
        store_id=str(manifest["store_id"]),
        encrypted=encrypted,
        key_files=len(keys),
        archive_bytes=archive.stat().st_size,
    )
    return info, contents


def verify_backup(archive: Path, layout: Layout, *, key: RecoveryKey | None = None) -> BackupInfo:
    """Check a backup of records in ``layout`` completely (decrypting it with ``key``), changing nothing.

    :raises NoBackupKey: the backup is encrypted and no key was given.
    :raises WrongBackupKey: the key does not open it.
    :raises BackupInvalid: anything is missing, extra, altered or damaged, or the schema is too new.
    """
    return _load(Path(archive), key, layout)[0]


def restore(
    archive: Path,
    data_dir: Path,
    layout: Layout,
    *,
    key: RecoveryKey | None = None,
    options: StoreOptions | None = None,
) -> BackupInfo:
    """Replace the store (and key files) in ``data_dir`` with a backup, after checking it completely.

    :raises NoBackupKey: the backup is encrypted and no key was given.
    :raises WrongBackupKey: the key does not open it; nothing was replaced.
    :raises BackupInvalid: the archive failed a check; nothing was replaced.
    :raises StoreLocked: the appliance has the store open; stop it first.
    """
    info, contents = _load(Path(archive), key, layout)
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(data_dir / "store.lock")
    if not lock.acquire():
        raise StoreLocked(f"{data_dir} is open in another process (is the appliance running?); stop it first")
    stamp = utcnow().strftime("%Y%m%dT%H%M%S")
    staging = data_dir / f".restore-{stamp}"
    try:
        for path, data in contents.items():
            target = staging / path
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_file_synced(target, data)
        for wal in (staging / "store" / "wal").glob("*" + WAL_SUFFIX):
            if scan_wal(wal, 0).bad_lines:
                raise BackupInvalid(f"{wal.name} in the backup has damaged records")
        opts = replace(options or StoreOptions(), background=False, accept_loss=False)
        try:
            core = open_core(staging, opts, layout)
        except (StoreCorrupt, SchemaTooNew) as err:
            raise BackupInvalid(f"the backup does not open cleanly: {err}") from err
        close_core(core)
        write_file_synced(data_dir / "store.created", f"{info.store_id}\n".encode())  # before the swap
        for part in ("store", KEYS_DIR):
            if part == KEYS_DIR and not (staging / KEYS_DIR).is_dir():
                continue  # an older backup without key files: keep the keys there are
            live = data_dir / part
            if live.exists():
                os.replace(live, data_dir / f"{part}.before-restore-{stamp}")
            os.replace(staging / part, live)
        fsync_dir(data_dir)
    except OSError as err:
        raise io_error(err, f"could not restore into {data_dir}", "nothing was replaced") from err
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        lock.release()
    return info
