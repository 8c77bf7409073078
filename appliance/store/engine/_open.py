"""Opening a store: lock, read ``store.json``, scan shard headers, replay the journal, recover, migrate.

Start-up reads only the one-line header of each shard file (its size is checked against the header, so a
truncated file is caught here); bodies are read, checksummed and parsed when first used.

Start-up needs no free space: journal files whose header never reached the disk (left by a start or a
rotation on a full disk) are removed, and the newest sound generation is appended to (cut back to its
last whole record) rather than a new one created. A store opened on a full disk serves reads and
refuses writes with ``DiskFull`` until space is freed.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
from pathlib import Path

from appliance.store.engine._checkpoint import checkpoint
from appliance.store.engine._core import Core, StoreOptions
from appliance.store.engine._errors import SchemaTooNew, StoreCorrupt, StoreIOError, StoreLocked
from appliance.store.engine._fileformat import (
    PREV_SUFFIX,
    SUFFIX,
    ShardFileError,
    fsync_dir,
    read_header,
    write_file_synced,
)
from appliance.store.engine._layout import CATALOG, Layout, freeze
from appliance.store.engine._lock import FileLock
from appliance.store.engine._migrations import META_FORMAT, meta_path, migrate, new_store_id, write_meta
from appliance.store.engine._recovery import Recovery, journal_damaged, scan_journal
from appliance.store.engine._reports import Severity
from appliance.store.engine._space import io_error
from appliance.store.engine._wal import WalScan, WalWriter, wal_generations

log = logging.getLogger("appliance.store")

MARKER = "store.created"
"""Left in the data folder when a store is created: its absence of files is then noticed."""


def open_core(data_dir: Path, options: StoreOptions, layout: Layout) -> Core:
    """Open (or create) the store in ``data_dir`` for writing, with the records' ``layout``.

    :raises StoreLocked: another process has it open.
    :raises StoreCorrupt: damage that cannot be recovered without loss.
    :raises SchemaTooNew: written by a newer appliance.
    """
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(data_dir / "store.lock")
    if not lock.acquire():
        raise StoreLocked(f"{data_dir} is open in another process (is the appliance running?); stop it first")
    with contextlib.suppress(OSError):  # only a note for people; a full disk must not stop start-up
        lock.write_note(f"pid {os.getpid()}\n")
    core: Core | None = None
    try:
        core = Core(data_dir, options, lock, layout)
        if _has_data(core):
            _open_existing(core)
        elif (data_dir / MARKER).exists() and not options.accept_loss:
            raise StoreCorrupt(
                f"{data_dir} held a store ({MARKER} is there) but its files are gone; refusing to start empty. "
                f"Restore a backup, or delete {MARKER} to start a new, empty store."
            )
        else:
            _create(core)
    except OSError as err:
        _abandon(core, lock)
        raise io_error(err, f"could not open the store in {data_dir}") from err
    except BaseException:
        _abandon(core, lock)
        raise
    return core


def _abandon(core: Core | None, lock: FileLock) -> None:
    if core is not None and core.wal is not None:
        core.wal.close()
    lock.release()


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
    try:
        for path in (core.root, core.shards_dir, core.wal_dir):
            path.mkdir(parents=True, exist_ok=True)
        fsync_dir(core.data_dir)
        core.store_id = new_store_id()
        write_meta(core, core.layout.schema_version)
        core.wal = WalWriter(core.wal_dir, 1, 1)
        catalog = core.shard(CATALOG)
        catalog.live = True
        with core.write():
            catalog.table("store").put(
                "store", {"store_id": core.store_id, "schema": core.layout.schema_version}
            )
        checkpoint(core, wait=10.0)
        write_file_synced(core.data_dir / MARKER, f"{core.store_id}\n".encode())
        fsync_dir(core.data_dir)
    except BaseException:
        # A store that never finished being created held nothing: remove it, so that the next start
        # creates it afresh instead of finding a half-made store (e.g. after a first start on a full disk).
        if core.wal is not None:
            core.wal.close()
            core.wal = None
        if not (core.data_dir / MARKER).exists():
            shutil.rmtree(core.root, ignore_errors=True)
        raise


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
            if core.layout.is_shard_name(name) and not path.with_name(path.name[: -len(".prev")]).exists():
                damaged.setdefault(name, "the file is missing (only its previous generation is there)")
            continue
        name = rel[: -len(SUFFIX)] if rel.endswith(SUFFIX) else rel
        if not rel.endswith(SUFFIX) or not core.layout.is_shard_name(name):
            core.note(Severity.WARNING, "foreign-file", f"shards/{rel}", "not a shard file; left alone")
            continue
        shard = core.shard(name)
        try:
            header = read_header(path, name)
        except (OSError, ShardFileError) as err:
            damaged[name] = str(err)
            continue
        if header.schema > core.layout.schema_version:
            raise SchemaTooNew(
                f"shard {name} was written with schema {header.schema}; this appliance reads "
                f"up to {core.layout.schema_version}. Upgrade the appliance or restore a backup."
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
    if stored_schema > core.layout.schema_version:
        raise SchemaTooNew(
            f"the store has schema {stored_schema}; this appliance reads up to {core.layout.schema_version}. "
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
    last = max([r["lsn"] for r in records] + [s.disk_lsn for s in core.all_shards()] + [0])
    core.next_lsn = last + 1
    for shard in core.dirty:
        if shard.schema == 0:
            shard.schema = stored_schema
    core.wal = _journal_writer(core, scans)
    core.wal.written_lsn = core.wal.synced_lsn = last  # everything before start-up is on disk
    for shard in core.all_shards():
        if shard.live and shard.kind in core.pinned:
            shard.committed()  # the small hot shards are loaded (and so fully checked) at start-up
    recovery.opening = False
    if stored_schema < core.layout.schema_version:
        migrate(core, stored_schema, lambda: checkpoint(core, purge_history=True, wait=30.0))
    elif recovery.rebuilt:
        try:
            checkpoint(core, wait=10.0)
        except StoreIOError as err:  # the journal still holds everything; the next checkpoint retries
            log.warning("could not write the recovered shards yet: %s", err)


def _journal_writer(core: Core, scans: list[WalScan]) -> WalWriter:
    """Continue the newest sound journal generation; remove trailing files that never got a header."""
    scans = list(scans)
    while scans and not scans[-1].header_ok and not scans[-1].records and not scans[-1].bad_lines:
        unfinished = scans.pop()
        unfinished.path.unlink()
        core.note(
            Severity.INFO,
            "journal-unfinished",
            f"wal/{unfinished.path.name}",
            "removed a journal file whose header never reached the disk (it held nothing)",
        )
    fsync_dir(core.wal_dir)
    last = scans[-1] if scans else None
    if last is not None and last.header_ok and not last.bad_lines:
        core.next_lsn = max(core.next_lsn, last.start_lsn)
        writer = WalWriter.reopen(core.wal_dir, last.gen, last.valid_bytes)
    else:
        writer = WalWriter(core.wal_dir, (last.gen if last else 0) + 1, core.next_lsn)
    core.old_journal_bytes = sum(s.path.stat().st_size for s in scans if s.gen != writer.gen)
    return writer


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
    """Checkpoint (when the files are free within a few seconds), sync the journal and release the lock.

    A checkpoint the disk refuses is skipped: the journal keeps every acknowledged change for next time.
    """
    if core.closed:
        return
    try:
        if core.wal is not None:
            checkpoint(core, wait=5.0)
    except StoreIOError as err:
        log.warning("no checkpoint at close (%s); the journal keeps every change", err)
    finally:
        core.closed = True
        if core.wal is not None:
            core.wal.close()
        core.lock.release()
