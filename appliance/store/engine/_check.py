"""The integrity check: read every file of a store and report what is wrong, changing nothing.

It runs from any process, also while the appliance is running: it holds the checkpoint lock so the shard
files stay put while it reads them (the running appliance keeps writing to its journal meanwhile).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from appliance.store.engine._errors import StoreError
from appliance.store.engine._fileformat import PREV_SUFFIX, SUFFIX, ShardFileError, read_header, read_shard
from appliance.store.engine._layout import CATALOG, Layout
from appliance.store.engine._lock import FileLock
from appliance.store.engine._reports import Finding, IntegrityReport, Severity
from appliance.store.engine._wal import scan_wal, wal_generations, wal_path


def check_store(
    data_dir: Path, layout: Layout, *, deep: bool = False, quick: bool = False, wait: float = 60.0
) -> IntegrityReport:
    """Check every file of the store in ``data_dir``, whose records ``layout`` describes.

    :param deep: also validate every record against its model (slow on a big store).
    :param quick: only headers and sizes (catches truncation and missing files, not changed bytes);
        cheap enough for a health page.

    :raises StoreError: the files could not be frozen for reading (a checkpoint ran for ``wait`` s).
    """
    root = Path(data_dir) / "store"
    findings: list[Finding] = []

    def note(severity: Severity, code: str, where: str, message: str) -> None:
        findings.append(Finding(severity=severity, code=code, where=where, message=message))

    if not root.is_dir():
        if (Path(data_dir) / "store.created").exists():  # a store lived here: its files are gone
            note(
                Severity.ERROR, "store-missing", str(root), "a store was created here but its files are gone"
            )
        else:
            note(Severity.INFO, "no-store", str(root), "there is no store here yet")
        return IntegrityReport(
            ok=not findings or findings[0].severity is not Severity.ERROR,
            exists=False,
            schema_version=0,
            shards=0,
            documents=0,
            journal_records=0,
            bytes_on_disk=0,
            findings=tuple(findings),
        )
    lock = FileLock(Path(data_dir) / "store.checkpoint.lock")
    if not lock.acquire(timeout=wait):
        raise StoreError("a checkpoint has held the store's files for too long; try again")
    try:
        return _check(root, layout, deep, quick, note, findings)
    finally:
        lock.release()


def _check(
    root: Path,
    layout: Layout,
    deep: bool,
    quick: bool,
    note: Callable[[Severity, str, str, str], None],
    findings: list[Finding],
) -> IntegrityReport:
    schema = 0
    try:
        meta = json.loads((root / "store.json").read_bytes())
        schema = int(meta["schema_version"])
    except (OSError, ValueError, KeyError, TypeError) as err:
        note(Severity.ERROR, "meta-damaged", "store.json", f"unreadable ({err})")
    shards_dir = root / "shards"
    on_disk: dict[str, int] = {}
    documents = size = 0
    listed: set[str] | None = None
    for folder, _dirs, files in os.walk(shards_dir):
        for name in files:
            path = Path(folder) / name
            rel = path.relative_to(shards_dir).as_posix()
            size += path.stat().st_size
            if rel.endswith(".tmp"):
                note(
                    Severity.INFO,
                    "temp-file",
                    rel,
                    "left by an interrupted checkpoint; removed at next start",
                )
                continue
            shard = rel[: -len(PREV_SUFFIX)] if rel.endswith(PREV_SUFFIX) else rel[: -len(SUFFIX)]
            if not rel.endswith((SUFFIX, PREV_SUFFIX)) or not layout.is_shard_name(shard):
                note(Severity.WARNING, "foreign-file", rel, "not a shard file")
                continue
            try:
                if quick and shard != CATALOG:
                    header, tables = read_header(path, shard), {}  # type: ignore[var-annotated]
                else:
                    header, tables = read_shard(path, shard)
            except (OSError, ShardFileError) as err:
                prev = rel.endswith(PREV_SUFFIX)
                note(
                    Severity.WARNING if prev else Severity.ERROR,
                    "prev-damaged" if prev else "shard-damaged",
                    rel,
                    str(err),
                )
                continue
            if rel.endswith(PREV_SUFFIX):
                continue
            on_disk[shard] = header.lsn
            if quick:
                documents += int(header.summary.get("count", 0))
            if schema and header.schema != schema:
                note(
                    Severity.ERROR,
                    "schema-mismatch",
                    shard,
                    f"written with schema {header.schema}, the store is at {schema}",
                )
            if shard == CATALOG:
                listed = set(tables.get("shards", {}))
            for table, docs in tables.items():
                documents += len(docs)
                if not deep:
                    continue
                for key, doc in docs.items():
                    problem = layout.validate(layout.kind_of(shard), table, doc)
                    if problem:
                        note(Severity.ERROR, "record-invalid", f"{shard}/{table}/{key}", problem)
    records = 0
    created_in_journal: set[str] = set()
    for gen in wal_generations(root / "wal"):
        path = wal_path(root / "wal", gen)
        size += path.stat().st_size
        scan = scan_wal(path, gen)
        records += len(scan.records)
        for record in scan.records:
            created_in_journal.update(op[1] for op in record["ops"] if op[0] == "put")
        if scan.bad_lines:
            note(
                Severity.ERROR,
                "journal-damaged",
                f"wal/{path.name}",
                f"damaged line(s) {', '.join(map(str, scan.bad_lines))}",
            )
        elif scan.torn_tail:
            note(
                Severity.INFO, "journal-torn-tail", f"wal/{path.name}", "an unfinished, unacknowledged write"
            )
    if listed is None:
        note(Severity.ERROR, "catalog-missing", CATALOG, "the catalog of shards is missing or damaged")
    else:
        for name in sorted(listed - set(on_disk) - created_in_journal):
            note(Severity.ERROR, "shard-missing", name, "listed in the catalog but its file is missing")
    quarantine = root / "quarantine"
    if quarantine.is_dir() and any(quarantine.iterdir()):
        note(
            Severity.WARNING,
            "quarantine",
            "quarantine/",
            "damaged files from earlier recoveries are kept here",
        )
    ok = not any(f.severity is Severity.ERROR for f in findings)
    return IntegrityReport(
        ok=ok,
        schema_version=schema,
        shards=len(on_disk),
        documents=documents,
        journal_records=records,
        bytes_on_disk=size,
        findings=tuple(findings),
    )
