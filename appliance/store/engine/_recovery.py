"""Recovery: rebuild a damaged or missing shard from its previous generation plus the journal.

A shard file is replaced whole at each checkpoint and the old file is kept as ``.prev``; the journal
keeps every record after the previous checkpoint. So a damaged shard is rebuilt by loading ``.prev``
and replaying the journal records after it. When the journal does not reach back that far, the rebuild
may miss changes: that is reported as an error and the store refuses to open (unless told to accept the
loss). Damaged files are moved to ``quarantine/``, never deleted.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterable
from typing import Any

from appliance.store.engine._core import Core
from appliance.store.engine._errors import StoreCorrupt
from appliance.store.engine._fileformat import ShardFileError, prev_path, read_header, read_shard
from appliance.store.engine._reports import Severity
from appliance.store.engine._shards import Shard, Tables, apply_op, copy_tables
from appliance.store.engine._wal import WalScan, scan_wal, wal_generations, wal_path

Record = dict[str, Any]


def scan_journal(core: Core, *, report: bool) -> tuple[list[WalScan], list[Record], int]:
    """Read every journal generation: the scans, their good records in order, and the coverage.

    Coverage ``c`` means every record with a number above ``c`` is in the journal.
    """
    scans = [scan_wal(wal_path(core.wal_dir, gen), gen) for gen in wal_generations(core.wal_dir)]
    records: dict[int, Record] = {}
    for scan in scans:
        for record in scan.records:
            records.setdefault(record["lsn"], record)
        if not report:
            continue
        where = f"wal/{scan.path.name}"
        if scan.bad_lines:
            core.note(
                Severity.ERROR,
                "journal-damaged",
                where,
                f"line(s) {', '.join(map(str, scan.bad_lines))} are damaged; the records on them are lost "
                "(the good records around them were kept)",
            )
        elif scan.torn_tail:
            core.note(
                Severity.INFO,
                "journal-torn-tail",
                where,
                "an unfinished write at the end was discarded (it had not been acknowledged)",
            )
    started = [s for s in scans if s.header_ok and s.start_lsn > 0]
    coverage = (
        started[0].start_lsn - 1 if started else max((s.disk_lsn for s in core.all_shards()), default=0)
    )
    for before, after in itertools.pairwise(started):
        if after.gen != before.gen + 1 and not _empty_between(scans, before.gen, after.gen):
            coverage = max(coverage, after.start_lsn - 1)
    return scans, [records[lsn] for lsn in sorted(records)], coverage


def _empty_between(scans: list[WalScan], low: int, high: int) -> bool:
    present = {s.gen for s in scans}
    return all(gen in present for gen in range(low + 1, high))


def journal_damaged(scans: Iterable[WalScan]) -> list[str]:
    """Journal files with damage in the middle (acknowledged records lost)."""
    return [f"wal/{s.path.name}" for s in scans if s.bad_lines]


class Recovery:
    """Rebuilds shards from ``.prev`` plus journal, at open and (via ``Core.recover_hook``) later."""

    def __init__(self, core: Core, records: list[Record], coverage: int) -> None:
        self.core = core
        self.records = records
        self.coverage = coverage
        self.unrecoverable: list[str] = []
        self.rebuilt: set[str] = set()
        self.opening = True

    def _ops(self, name: str, after: int) -> list[list[Any]]:
        return [
            op for record in self.records if record["lsn"] > after for op in record["ops"] if op[1] == name
        ]

    def _quarantine(self, shard: Shard) -> None:
        if not shard.path.exists():
            return
        stamp = self.core.options.clock().strftime("%Y%m%dT%H%M%S")
        target = self.core.quarantine_dir / stamp / (shard.name + ".json")
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(shard.path, target)

    def recover(self, shard: Shard, reason: str) -> Tables | None:
        """Rebuild one shard and publish it as changed; None when that would lose data (recorded)."""
        core = self.core
        try:
            damaged_lsn: int | None = read_header(shard.path, shard.name).lsn
        except (OSError, ShardFileError):
            damaged_lsn = None
        base: Tables = {}
        base_lsn = 0
        source = "the journal alone"
        try:
            header, base = read_shard(prev_path(shard.path), shard.name)
            base_lsn, source = header.lsn, f"its previous generation (lsn {header.lsn}) and the journal"
        except FileNotFoundError:
            pass
        except (OSError, ShardFileError) as err:
            core.note(
                Severity.WARNING, "prev-damaged", shard.name, f"the previous generation is damaged: {err}"
            )
        complete = base_lsn >= self.coverage
        where = shard.name
        if not complete:
            detail = (
                f"{reason}; rebuilt from {source}, but the journal only reaches back to lsn "
                f"{self.coverage + 1}, so changes after lsn {base_lsn}"
                + (f" up to lsn {damaged_lsn}" if damaged_lsn is not None else "")
                + " may be lost"
            )
            if not core.options.accept_loss:
                self.unrecoverable.append(f"{where}: {detail}")
                core.note(Severity.ERROR, "shard-unrecoverable", where, detail)
                return None
            core.note(Severity.ERROR, "shard-recovered-with-loss", where, detail + " (accepted)")
        else:
            core.note(
                Severity.WARNING, "shard-recovered", where, f"{reason}; rebuilt from {source}, nothing lost"
            )
        self._quarantine(shard)
        tables = copy_tables(base)
        for op in self._ops(shard.name, base_lsn):
            apply_op(tables, op)
        shard.on_disk = False
        shard.disk_lsn = 0
        shard.publish(tables, shard.live, core.layout.summarize(shard.name, tables))
        core.dirty.add(shard)
        self.rebuilt.add(shard.name)
        return tables

    def recover_now(self, shard: Shard, problem: str) -> Tables:
        """Recover a shard found damaged when first loaded after start-up.

        :raises StoreCorrupt: it cannot be rebuilt without loss.
        """
        core = self.core
        if self.opening:
            result = self.recover(shard, problem)
        else:
            owner = core.current_tx() is not None
            if not owner:
                core.write_lock.acquire()
            try:
                if shard.data is not None:
                    return shard.data
                _scans, self.records, self.coverage = scan_journal(core, report=False)
                result = self.recover(shard, problem)
            finally:
                if not owner:
                    core.write_lock.release()
        if result is None:
            raise StoreCorrupt(
                f"shard {shard.name} is damaged ({problem}) and cannot be rebuilt without loss; "
                "run `appliance check` and restore a backup"
            )
        return result

    def replay(self) -> set[str]:
        """Apply journal records newer than each shard's file; return the shards the journal dropped."""
        core = self.core
        staging: dict[Shard, Tables] = {}
        dropped: set[str] = set()
        for record in self.records:
            lsn = record["lsn"]
            for op in record["ops"]:
                name = op[1]
                if name in self.rebuilt:
                    continue
                shard = core.shard(name)
                if shard.on_disk and lsn <= shard.disk_lsn:
                    continue
                tables = staging.get(shard)
                if tables is None:
                    tables = staging[shard] = copy_tables(shard.committed())
                apply_op(tables, op)
                if op[0] == "drop":
                    dropped.add(name)
        catalog = next((t for s, t in staging.items() if s.kind == "catalog"), None)
        if catalog is None:
            catalog = core.shard("_catalog").committed()
        listed = set(catalog.get("shards", {}))
        for shard, tables in staging.items():
            live = shard.kind == "catalog" or shard.name in listed
            shard.publish(tables, live, core.layout.summarize(shard.name, tables) if live else {})
            core.dirty.add(shard)
        for shard in core.all_shards():
            shard.live = shard.kind == "catalog" or shard.name in listed
        return dropped


def copy_tree_links(source: os.PathLike[str], target: os.PathLike[str], skip: set[str]) -> None:
    """Copy a folder as hard links where possible (files here are replaced, never changed in place)."""

    def link(src: str, dst: str) -> None:
        if os.path.basename(src) in skip:
            return
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link, dirs_exist_ok=True)
