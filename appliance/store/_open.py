"""Opening a store: lock, read ``store.json``, scan shard headers, replay the journal, recover, migrate.

Start-up reads only the one-line header of each shard file (its size is checked against the header, so a
truncated file is caught here); bodies are read, checksummed and parsed when first used.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from appliance.store._checkpoint import checkpoint
from appliance.store._core import PINNED, SCHEMA_VERSION, Core, StoreOptions
from appliance.store._errors import SchemaTooNew, StoreCorrupt, StoreLocked
from appliance.store._fileformat import (
    PREV_SUFFIX,
    SUFFIX,
    ShardFileError,
    fsync_dir,
    read_header,
    write_file_synced,
)
from appliance.store._layout import CATALOG, is_shard_name
from appliance.store._lock import FileLock
from appliance.store._migrations import META_FORMAT, meta_path, migrate, new_store_id, write_meta
from appliance.store._recovery import Recovery, journal_damaged, scan_journal
from appliance.store._reports import Severity
from appliance.store._summaries import freeze
from appliance.store._wal import WalWriter, wal_generations

MARKER = "store.created"
"""Left in the data folder when a store is created: its absence of files is then noticed."""


def open_core(data_dir: Path, options: StoreOptions) -> Core:
    """Open (or create) the store in ``data_dir`` for writing.

    :raises StoreLocked: another process has it open.
    :raises StoreCorrupt: damage that cannot be recovered without loss.
    :raises SchemaTooNew: written by a newer appliance.
    """
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(data_dir / "store.lock")
    if not lock.acquire():
        raise StoreLocked(f"{data_dir} is open in another process (is the appliance running?); stop it first")
    lock.write_note(f"pid {os.getpid()}\n")
    core = Core(data_dir, options, lock)
    try:
        if _has_data(core):
            _open_existing(core)
        elif (data_dir / MARKER).exists() and not options.accept_loss:
            raise StoreCorrupt(
                f"{data_dir} held a store ({MARKER} is there) but its files are gone; refusing to start empty. "
                f"Restore a backup, or delete {MARKER} to start a new, empty store."
            )
        else:
            _create(core)
    except BaseException:
        if core.wal is not None:
            core.wal.close()
        lock.release()
        raise
    return core


def _has_data(core: Core) -> bool:
    root = core.root
    if not root.is_dir():
        return False
    if meta_path(core).exists() or (root / ("store" + PREV_SUFFIX)).exists():
        return True
    return any(_files(core.shards_dir)) or bool(wal_generations(core.wal_dir))


def _files(directory: Path) -> list[Path]:
    found: list[Path] = []
    if directory.is_dir():
        for folder, _dirs, files in os.walk(directory):
            found.extend(Path(folder) / name for name in files)
    return found


def _create(core: Core) -> None:
    for path in (core.root, core.shards_dir, core.wal_dir):
        path.mkdir(parents=True, exist_ok=True)
    fsync_dir(core.data_dir)
    core.store_id = new_store_id()
    write_meta(core, SCHEMA_VERSION)
    core.wal = WalWriter(core.wal_dir, 1, 1)
    catalog = core.shard(CATALOG)
    catalog.live = True
    with core.write():
        catalog.table("store").put("store", {"store_id": core.store_id, "schema": SCHEMA_VERSION})
    checkpoint(core, wait=10.0)
    write_file_synced(core.data_dir / MARKER, f"{core.store_id}\n".encode())
    fsync_dir(core.data_dir)


def _read_meta(core: Core) -> int:
    for path, label in ((meta_path(core), None), (core.root / ("store" + PREV_SUFFIX), "previous")):
        try:
            meta = json.loads(path.read_bytes())
            if meta.get("format") != META_FORMAT:
                raise ValueError("not a store record")
            schema = int(meta["schema_version"])
            core.store_id = str(meta["store_id"])
        except FileNotFoundError:
            continue
        except (OSError, ValueError, KeyError, TypeError) as err:
            core.note(Severity.WARNING, "meta-damaged", path.name, f"unreadable ({err})")
            continue
        if label:
            core.note(
                Severity.WARNING, "meta-recovered", "store.json", "restored from its previous generation"
            )
            write_meta(core, schema)
        return schema
    schemas = []
    for path in _files(core.shards_dir):
        if path.name.endswith(SUFFIX):
            try:
                schemas.append(read_header(path).schema)
            except (OSError, ShardFileError):
                continue
    if not schemas:
        raise StoreCorrupt(
            f"{core.root} holds files but no readable store.json or shard; refusing to start empty over it"
        )
    core.store_id = new_store_id()
    schema = max(schemas)
    core.note(Severity.WARNING, "meta-rebuilt", "store.json", f"rebuilt from shard headers (schema {schema})")
    write_meta(core, schema)
    return schema


def _scan_shards(core: Core) -> dict[str, str]:
    """Read every shard header; return the damaged ones with the reason. Removes unfinished temp files."""
    damaged: dict[str, str] = {}
    base = core.shards_dir
    for path in _files(base):
        rel = path.relative_to(base).as_posix()
        if rel.endswith(".tmp"):
            path.unlink()
            continue
        if rel.endswith(PREV_SUFFIX):
            name = rel[: -len(PREV_SUFFIX)]
            if is_shard_name(name) and not path.with_name(path.name[: -len(".prev")]).exists():
                damaged.setdefault(name, "the file is missing (only its previous generation is there)")
            continue
        name = rel[: -len(SUFFIX)] if rel.endswith(SUFFIX) else rel
        if not rel.endswith(SUFFIX) or not is_shard_name(name):
            core.note(Severity.WARNING, "foreign-file", f"shards/{rel}", "not a shard file; left alone")
            continue
        shard = core.shard(name)
        try:
            header = read_header(path, name)
        except (OSError, ShardFileError) as err:
            damaged[name] = str(err)
            continue
        if header.schema > SCHEMA_VERSION:
            raise SchemaTooNew(
                f"shard {name} was written with schema {header.schema}; this appliance reads "
                f"up to {SCHEMA_VERSION}. Upgrade the appliance or restore a backup."
            )
        damaged.pop(name, None)
        shard.on_disk = True
        shard.disk_lsn = header.lsn
        shard.disk_size = header.file_size
        shard.schema = header.schema
        shard.summary = freeze(header.summary)
    return damaged


def _open_existing(core: Core) -> None:
    stored_schema = _read_meta(core)
    if stored_schema > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"the store has schema {stored_schema}; this appliance reads up to {SCHEMA_VERSION}. "
            "Upgrade the appliance or restore a backup made by this version."
        )
    core.schema = stored_schema
    core.shards_dir.mkdir(exist_ok=True)
    core.wal_dir.mkdir(exist_ok=True)
    damaged = _scan_shards(core)
    scans, records, coverage = scan_journal(core, report=True)
    recovery = Recovery(core, records, coverage)
    core.recover_hook = recovery.recover_now
    lost_journal = journal_damaged(scans)
    if lost_journal and not core.options.accept_loss:
        recovery.unrecoverable.extend(f"{w}: damaged journal records" for w in lost_journal)
    catalog = core.shard(CATALOG)
    catalog.live = True
    if CATALOG in damaged or not catalog.on_disk:
        reason = damaged.pop(CATALOG, "the file is missing")
        if recovery.recover(catalog, reason) is None:
            _rebuild_catalog(core, recovery)
    try:
        listed = catalog.committed().get("shards", {})
    except StoreCorrupt:
        _rebuild_catalog(core, recovery)
        listed = catalog.committed().get("shards", {})
    for name in listed:
        core.shard(name).live = True
    for name, reason in sorted(damaged.items()):
        shard = core.shard(name)
        if shard.live:
            recovery.recover(shard, reason)
        elif reason.startswith("the file is missing"):
            os.unlink(core.shards_dir / (name + PREV_SUFFIX))  # left over from removing the shard
        else:
            core.note(Severity.WARNING, "unlisted-shard", name, f"damaged ({reason}) but not in the catalog")
    dropped = recovery.replay()
    for shard in core.shards():
        if not shard.on_disk and shard.data is None:
            recovery.recover(shard, "the file is missing")
    for shard in core.all_shards():
        if shard.on_disk and not shard.live and shard.kind != "catalog":
            if shard.name in dropped:
                shard.publish({}, False, {})
                core.dirty.add(shard)
            else:
                core.note(Severity.WARNING, "unlisted-shard", shard.name, "not in the catalog; left alone")
    if recovery.unrecoverable:
        raise StoreCorrupt(
            "the store is damaged and cannot be opened without losing data:\n  "
            + "\n  ".join(recovery.unrecoverable)
            + "\nRestore a backup (appliance restore), or open with accept_loss to keep what is left."
        )
    for shard in core.shards("outbox/"):
        core.outbox_last = max(core.outbox_last, int(shard.summary.get("last", 0)))
    last = max([r["lsn"] for r in records] + [s.disk_lsn for s in core.all_shards()] + [0])
    core.next_lsn = last + 1
    for shard in core.dirty:
        if shard.schema == 0:
            shard.schema = stored_schema
    core.wal = WalWriter(core.wal_dir, max(wal_generations(core.wal_dir), default=0) + 1, core.next_lsn)
    core.wal.written_lsn = core.wal.synced_lsn = last  # everything before start-up is on disk
    for shard in core.all_shards():
        if shard.live and shard.kind in PINNED:
            shard.committed()  # the small hot shards are loaded (and so fully checked) at start-up
    recovery.opening = False
    if stored_schema < SCHEMA_VERSION:
        migrate(core, stored_schema, lambda: checkpoint(core, purge_history=True, wait=30.0))
    elif recovery.rebuilt:
        checkpoint(core, wait=10.0)


def _rebuild_catalog(core: Core, recovery: Recovery) -> None:
    catalog = core.shard(CATALOG)
    names = {s.name: {"created": None} for s in core.all_shards() if s.on_disk and s.kind != "catalog"}
    if not names and not core.options.accept_loss:
        raise StoreCorrupt(
            f"the catalog and every shard file of {core.root} are gone; refusing to start empty. Restore a backup."
        )
    tables = {"shards": names}
    recovery.unrecoverable = [u for u in recovery.unrecoverable if not u.startswith(CATALOG)]
    core.findings = [f for f in core.findings if f.where != CATALOG or f.code != "shard-unrecoverable"]
    core.note(
        Severity.WARNING,
        "catalog-rebuilt",
        CATALOG,
        f"rebuilt from the {len(names)} shard files on disk; a missing shard can no longer be noticed",
    )
    catalog.publish(tables, True, {"count": len(names)})
    core.dirty.add(catalog)
    recovery.rebuilt.add(CATALOG)


def close_core(core: Core) -> None:
    """Checkpoint (when the files are free within a few seconds), sync the journal and release the lock."""
    if core.closed:
        return
    try:
        if core.failed is None and core.wal is not None:
            checkpoint(core, wait=5.0)
    finally:
        core.closed = True
        if core.wal is not None:
            core.wal.close()
        core.lock.release()
