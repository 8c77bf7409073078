"""Backup and restore: a consistent snapshot archive (tar.gz with a manifest of sha256 sums).

A backup holds the checkpoint lock while it reads, so the shard files cannot change under it, and takes
the journal up to its last complete record: shard files plus that journal prefix are exactly the state
after one transaction, whatever the running appliance commits meanwhile. A restore checks every sum,
every shard checksum and the journal, then opens the restored copy in a staging folder (replay and
integrity checks) before it swaps folders; the replaced store is kept beside it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path, PurePosixPath

from appliance.store._core import SCHEMA_VERSION, StoreOptions, utcnow
from appliance.store._errors import BackupInvalid, SchemaTooNew, StoreCorrupt, StoreError, StoreLocked
from appliance.store._fileformat import (
    PREV_SUFFIX,
    SUFFIX,
    ShardFileError,
    decode_shard,
    fsync_dir,
    write_file_synced,
)
from appliance.store._lock import FileLock
from appliance.store._open import close_core, open_core
from appliance.store._reports import BackupInfo
from appliance.store._wal import WAL_SUFFIX, scan_wal, wal_generations, wal_path

BACKUP_FORMAT = "ward-store-backup/1"
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


def backup(data_dir: Path, archive: Path, *, wait: float = 60.0) -> BackupInfo:
    """Write a consistent snapshot of the store in ``data_dir`` to ``archive`` (safe while it runs).

    :raises StoreError: there is no store, or a checkpoint held the files for ``wait`` seconds.
    """
    data_dir, archive = Path(data_dir), Path(archive)
    root = data_dir / "store"
    if not (root / "store.json").exists():
        raise StoreError(f"there is no store in {data_dir}")
    lock = FileLock(data_dir / "store.checkpoint.lock")
    if not lock.acquire(timeout=wait):
        raise StoreError("a checkpoint has held the store's files for too long; try again")
    try:
        files = _files(root)
    finally:
        lock.release()
    meta = json.loads(files[0][1])
    created = utcnow()
    manifest = {
        "format": BACKUP_FORMAT,
        "created_at": created.isoformat(),
        "schema_version": meta["schema_version"],
        "store_id": meta["store_id"],
        "files": [{"path": p, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()} for p, d in files],
    }
    archive.parent.mkdir(parents=True, exist_ok=True)
    tmp = archive.with_name(archive.name + ".tmp")
    with tarfile.open(tmp, "w:gz", compresslevel=1) as tar:
        for path, data in [*files, (MANIFEST, json.dumps(manifest, indent=1).encode())]:
            info = tarfile.TarInfo(path)
            info.size, info.mtime, info.mode = len(data), int(created.timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
    with open(tmp, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, archive)
    fsync_dir(archive.parent)
    total = sum(len(d) for _p, d in files)
    return BackupInfo(
        path=str(archive),
        files=len(files),
        bytes=total,
        schema_version=meta["schema_version"],
        created_at=created,
        store_id=meta["store_id"],
    )


def _read_archive(archive: Path) -> tuple[dict[str, object], dict[str, bytes]]:
    try:
        with tarfile.open(archive, "r:*") as tar:
            contents: dict[str, bytes] = {}
            for member in tar:
                if not member.isfile():
                    raise BackupInvalid(f"{member.name}: not a plain file")
                handle = tar.extractfile(member)
                assert handle is not None
                contents[member.name] = handle.read()
    except (OSError, tarfile.TarError, EOFError) as err:
        raise BackupInvalid(f"{archive} is not a readable backup archive ({err})") from err
    try:
        manifest = json.loads(contents.pop(MANIFEST))
    except (KeyError, ValueError) as err:
        raise BackupInvalid(f"{archive} has no readable {MANIFEST}") from err
    if manifest.get("format") != BACKUP_FORMAT:
        raise BackupInvalid(f"{archive} is not a {BACKUP_FORMAT} archive")
    return manifest, contents


def verify_backup(archive: Path) -> BackupInfo:
    """Check a backup archive completely without changing anything.

    :raises BackupInvalid: anything is missing, extra, altered or damaged, or the schema is too new.
    """
    archive = Path(archive)
    manifest, contents = _read_archive(archive)
    listed = {f["path"]: f for f in manifest["files"]}  # type: ignore[union-attr,index]
    if set(listed) != set(contents):
        odd = sorted(set(listed) ^ set(contents))
        raise BackupInvalid(f"the archive and its manifest disagree about: {', '.join(odd[:5])}")
    for path, data in contents.items():
        pure = PurePosixPath(path)
        if pure.is_absolute() or ".." in pure.parts or pure.parts[0] != "store":
            raise BackupInvalid(f"unsafe path in archive: {path}")
        if hashlib.sha256(data).hexdigest() != listed[path]["sha256"] or len(data) != listed[path]["size"]:
            raise BackupInvalid(f"{path} does not match its checksum in the manifest")
        if path.startswith("store/shards/"):
            name = path[len("store/shards/") : -len(SUFFIX)]
            try:
                decode_shard(data, name)
            except ShardFileError as err:
                raise BackupInvalid(f"{path} is damaged: {err}") from err
    schema = int(manifest["schema_version"])  # type: ignore[call-overload]
    if schema > SCHEMA_VERSION:
        raise BackupInvalid(f"the backup has schema {schema}; this appliance reads up to {SCHEMA_VERSION}")
    return BackupInfo(
        path=str(archive),
        files=len(contents),
        bytes=sum(len(d) for d in contents.values()),
        schema_version=schema,
        created_at=datetime.fromisoformat(str(manifest["created_at"])),
        store_id=str(manifest["store_id"]),
    )


def restore(archive: Path, data_dir: Path, *, options: StoreOptions | None = None) -> BackupInfo:
    """Replace the store in ``data_dir`` with a backup, after checking the backup completely.

    :raises BackupInvalid: the archive failed a check; nothing was replaced.
    :raises StoreLocked: the appliance has the store open; stop it first.
    """
    info = verify_backup(archive)
    _manifest, contents = _read_archive(Path(archive))
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
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            with open(target, "rb+") as handle:
                os.fsync(handle.fileno())
        for wal in (staging / "store" / "wal").glob("*" + WAL_SUFFIX):
            if scan_wal(wal, 0).bad_lines:
                raise BackupInvalid(f"{wal.name} in the backup has damaged records")
        opts = replace(options or StoreOptions(), background=False, accept_loss=False)
        try:
            core = open_core(staging, opts)
        except (StoreCorrupt, SchemaTooNew) as err:
            raise BackupInvalid(f"the backup does not open cleanly: {err}") from err
        close_core(core)
        live = data_dir / "store"
        if live.exists():
            os.replace(live, data_dir / f"store.before-restore-{stamp}")
        os.replace(staging / "store", live)
        write_file_synced(data_dir / "store.created", f"{info.store_id}\n".encode())
        fsync_dir(data_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        lock.release()
    return info
