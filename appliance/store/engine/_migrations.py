"""Schema versions and the named migrations between them.

The store records its schema version in ``store.json`` and in every shard header. At start-up an older
store is upgraded in place by the migrations below, in order, after a hard-linked copy of every file is
kept in ``store/pre-migration-v<N>-<time>/`` (files are only ever replaced, so the links stay intact).
Each shard is rewritten with the new version in its header, so a migration interrupted by a crash
resumes with the shards not yet done; ``store.json`` is updated last.

The migrations themselves belong to the records (``Layout.migrations``); see ``appliance.store._migrations``.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

from appliance.store.engine._core import Core
from appliance.store.engine._fileformat import dumps, fsync_dir, replace_keeping_prev
from appliance.store.engine._recovery import copy_tree_links
from appliance.store.engine._reports import Severity

META_FORMAT = "ward-store/1"
_BATCH = 200


def meta_path(core: Core) -> Path:
    """Where the store's own record (schema version, id) lives."""
    return core.root / "store.json"


def write_meta(core: Core, schema: int, created: str | None = None) -> None:
    """Write ``store.json`` atomically (keeping the previous one)."""
    meta = {"format": META_FORMAT, "schema_version": schema, "store_id": core.store_id}
    meta["created"] = created or core.options.clock().isoformat()
    try:
        old = json.loads(meta_path(core).read_bytes())
        meta["created"] = created or old.get("created", meta["created"])
    except (OSError, ValueError):
        pass
    replace_keeping_prev(meta_path(core), dumps(meta) + b"\n")
    fsync_dir(core.root)


def new_store_id() -> str:
    """A random id for a new store."""
    return secrets.token_hex(8)


def migrate(core: Core, from_version: int, checkpoint: Callable[[], object]) -> None:
    """Upgrade an open store from ``from_version`` to the layout's schema version, keeping a copy first."""
    earlier = sorted(p for p in core.root.glob(f"pre-migration-v{from_version}-*") if p.suffix != ".partial")
    if earlier:  # a migration that was interrupted: its copy holds the files from before it
        keep = earlier[0]
    else:
        stamp = core.options.clock().strftime("%Y%m%dT%H%M%S")
        keep = core.root / f"pre-migration-v{from_version}-{stamp}"
        staging = keep.with_name(keep.name + ".partial")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        assert core.wal is not None
        current_wal = f"{core.wal.gen:010d}.wal"
        for part in ("shards", "wal"):
            if (core.root / part).exists():
                copy_tree_links(core.root / part, staging / part, skip={current_wal})
        if (core.wal_dir / current_wal).exists():  # still being appended to: a copy, not a link
            shutil.copyfile(core.wal_dir / current_wal, staging / "wal" / current_wal)
        if meta_path(core).exists():
            (staging / "store.json").write_bytes(meta_path(core).read_bytes())
        os.replace(staging, keep)
        fsync_dir(core.root)
    core.note(
        Severity.INFO,
        "migrating",
        "store.json",
        f"upgrading schema {from_version} to {core.layout.schema_version}; the files before are kept in {keep.name}/",
    )
    version = from_version
    for migration in core.layout.migrations:
        if migration.from_version != version:
            continue
        target = version + 1
        todo = [s for s in core.shards() if s.schema < target]
        first = [s for s in todo if s.dirty]  # a checkpoint writes every changed shard: these go first
        rest = [s for s in todo if not s.dirty]
        batches = [first] + [rest[i : i + _BATCH] for i in range(0, len(rest), _BATCH)]
        core.schema = target
        for batch in batches:
            for shard in batch:
                tables = migration.apply(shard.kind, shard.committed())
                shard.publish(tables, shard.live, core.layout.summarize(shard.name, tables))
                shard.no_history = True  # a .prev of the old schema must not be used for recovery
                core.dirty.add(shard)
            checkpoint()
            core.evict_all()
        for shard in todo:
            shard.schema = target
        write_meta(core, target)
        version = target
    core.note(Severity.INFO, "migrated", "store.json", f"now at schema {version}")
