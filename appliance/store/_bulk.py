"""Bulk loading: write shard files of a new store directly, without a journal record per document.

For seeding, imports and benchmarks only: the store must not be open. Documents are the records'
``model_dump(mode="json")``; they are written as they are (run ``check_store(deep=True)`` to validate).
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from appliance.store._layout import (
    USERS,
    attempt_of_grade,
    attempt_shard,
    credential_learner,
    learner_credentials,
    outbox_segment,
)
from appliance.store._migrations import SCHEMA_VERSION
from appliance.store._summaries import summarize
from appliance.store.engine import (
    CATALOG,
    META_FORMAT,
    SUFFIX,
    FileLock,
    StoreError,
    StoreLocked,
    dumps,
    encode_shard,
    fsync_dir,
    new_store_id,
    utcnow,
    write_file_synced,
)

_BULK_LSN = 1


class BulkLoader:
    """Buffers documents per shard and writes each shard file once."""

    def __init__(
        self,
        data_dir: str | os.PathLike[str],
        *,
        schema: int = SCHEMA_VERSION,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        """Start a new store in ``data_dir``.

        :raises StoreError: ``data_dir`` already holds a store.
        :raises StoreLocked: the folder is open in another process.
        """
        self.data_dir = Path(data_dir)
        self.root = self.data_dir / "store"
        if (self.root / "store.json").exists():
            raise StoreError(f"{self.data_dir} already holds a store; bulk loading needs a new one")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._lock = FileLock(self.data_dir / "store.lock")
        if not self._lock.acquire():
            raise StoreLocked(f"{self.data_dir} is open in another process")
        self.schema = schema
        self._clock = clock
        self._buffer: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        self._written: list[str] = []
        self._next_seq = 1
        self.bytes_written = 0

    def put(self, shard: str, table: str, key: str, doc: dict[str, Any]) -> None:
        """Add one document to a shard's table."""
        self._buffer[shard].setdefault(table, {})[key] = doc

    def user(self, doc: dict[str, Any]) -> None:
        """Add a user document."""
        self.put(USERS, "users", doc["user_id"], doc)

    def attempt(self, doc: dict[str, Any]) -> None:
        """Add an attempt document (its id must come from the store's id scheme)."""
        self.put(attempt_shard(doc["attempt_id"])[1], "attempts", doc["attempt_id"], doc)

    def grade(self, doc: dict[str, Any]) -> None:
        """Add a grade document."""
        self.put(attempt_shard(attempt_of_grade(doc["grade_id"]))[1], "grades", doc["grade_id"], doc)

    def credential(self, doc: dict[str, Any]) -> None:
        """Add a credential document."""
        self.put(
            learner_credentials(credential_learner(doc["record_id"])), "credentials", doc["record_id"], doc
        )

    def event(self, type: str, payload: dict[str, Any], *, subject: str | None, created_at: datetime) -> int:
        """Add an outbox event with the next sequence number; return the number."""
        seq = self._next_seq
        self._next_seq += 1
        doc = {
            "seq": seq,
            "type": type,
            "subject": subject,
            "payload": payload,
            "created_at": created_at.isoformat(),
            "redacted": False,
            "_lsn": _BULK_LSN,
        }
        self.put(outbox_segment(seq), "events", f"{seq:012d}", doc)
        return seq

    def flush(self, prefix: str = "") -> None:
        """Write (and forget) the buffered shards whose name starts with ``prefix``."""
        for name in [n for n in self._buffer if n.startswith(prefix)]:
            self._write(name, self._buffer.pop(name))

    def _write(self, name: str, tables: dict[str, dict[str, Any]]) -> None:
        path = self.root / "shards" / (name + SUFFIX)
        path.parent.mkdir(parents=True, exist_ok=True)
        blob = encode_shard(
            name, self.schema, _BULK_LSN, tables, summarize(name, tables), self._clock().isoformat()
        )
        write_file_synced(path, blob)
        self.bytes_written += len(blob)
        if name != CATALOG:
            self._written.append(name)

    def close(self) -> None:
        """Write the remaining shards, the catalog and ``store.json``; the store can then be opened."""
        try:
            self.flush()
            now = self._clock().isoformat()
            catalog = {"shards": {name: {"created": now} for name in self._written}}
            self._write(CATALOG, catalog)
            for folder, _dirs, _files in os.walk(self.root / "shards"):
                fsync_dir(Path(folder))
            (self.root / "wal").mkdir(exist_ok=True)
            meta = {
                "format": META_FORMAT,
                "schema_version": self.schema,
                "store_id": new_store_id(),
                "created": now,
            }
            write_file_synced(self.root / "store.json", dumps(meta) + b"\n")
            fsync_dir(self.root)
            write_file_synced(self.data_dir / "store.created", f"{meta['store_id']}\n".encode())
            fsync_dir(self.data_dir)
        finally:
            self._lock.release()

    def __enter__(self) -> BulkLoader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
