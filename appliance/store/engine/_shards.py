"""Shards as TinyDB databases: a durable storage class, keyed tables and the transaction that stages writes.

Each shard is a small TinyDB database whose :class:`ShardStorage` never touches the disk on ``write``:
it stages the new state in the current transaction. Readers get the last committed state, an immutable
dict that is replaced (never mutated) on commit, so a reader never sees a half-written record.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from appliance.store.engine._errors import StoreError
from appliance.store.engine._layout import Tables

Op = list[Any]


def apply_op(tables: Tables, op: Op) -> None:
    """Apply one journal operation (``put``, ``del`` or ``drop``) to a shard's tables in place."""
    kind = op[0]
    if kind == "put":
        tables.setdefault(op[2], {})[op[3]] = op[4]
    elif kind == "del":
        tables.get(op[2], {}).pop(op[3], None)
    elif kind == "drop":
        tables.clear()
    else:
        raise StoreError(f"unknown journal operation {kind!r}")


def copy_tables(tables: Tables) -> Tables:
    """A copy whose tables may be changed; documents are shared and are never mutated in place."""
    return {name: dict(docs) for name, docs in tables.items()}


class ShardHost(Protocol):
    """What a shard needs from the store that holds it (the core implements it; shards never import it)."""

    def committed(self, shard: Shard) -> Tables:
        """The shard's last committed state, loaded on first use."""
        ...

    def current_tx(self) -> Tx | None:
        """The calling thread's open transaction, if any."""
        ...

    def record_op(self, shard: Shard, op: Op) -> None:
        """Note one journal operation on a shard in the current transaction."""
        ...


class _NoQueryCache(dict[Any, Any]):
    """TinyDB's query cache is not thread-safe and would go stale across threads: keep nothing."""

    def __init__(self, capacity: int | None = None) -> None:
        super().__init__()

    def get(self, key: Any, default: Any = None) -> Any:
        return None

    def __setitem__(self, key: Any, value: Any) -> None:
        pass


class KeyedTable(Table):
    """A TinyDB table keyed by the record's own id (a string), written through journal operations."""

    document_id_class = str  # type: ignore[assignment]
    query_cache_class = _NoQueryCache  # type: ignore[assignment]

    @property
    def _shard(self) -> Shard:
        storage = self.storage
        assert isinstance(storage, ShardStorage)
        return storage.shard

    def doc(self, key: str) -> dict[str, Any] | None:
        """The stored document with this key, or None (read-only: do not mutate)."""
        return self._read_table().get(key)  # type: ignore[return-value]

    def docs(self) -> Iterator[dict[str, Any]]:
        """Every stored document (read-only: do not mutate)."""
        yield from self._read_table().values()  # type: ignore[misc]

    def put(self, key: str, doc: dict[str, Any]) -> None:
        """Insert or replace the document with this key (inside a transaction)."""
        shard = self._shard
        shard.core.record_op(shard, ["put", shard.name, self.name, key, doc])
        self._update_table(lambda table: table.__setitem__(key, doc))  # type: ignore[index]

    def delete(self, key: str) -> bool:
        """Remove the document with this key; False when there was none (inside a transaction)."""
        if self.doc(key) is None:
            return False
        shard = self._shard
        shard.core.record_op(shard, ["del", shard.name, self.name, key])
        self._update_table(lambda table: table.pop(key, None))  # type: ignore[call-overload]
        return True


class ShardStorage(Storage):
    """TinyDB storage over a shard: reads the committed state, stages writes in the caller's transaction."""

    def __init__(self, shard: Shard) -> None:
        self.shard = shard

    def read(self) -> Tables:
        tx = self.shard.core.current_tx()
        if tx is not None:
            return tx.view(self.shard)
        return self.shard.committed()

    def write(self, data: Tables) -> None:
        tx = self.shard.core.current_tx()
        if tx is None:
            raise StoreError("a shard was written outside a transaction")
        tx.stage(self.shard, data)


class _ShardDB(TinyDB):
    table_class = KeyedTable


class Shard:
    """One shard: its file, its committed state (loaded lazily) and its header summary."""

    __slots__ = (
        "_db",
        "core",
        "data",
        "dirty",
        "disk_lsn",
        "disk_size",
        "kind",
        "live",
        "lock",
        "name",
        "no_history",
        "on_disk",
        "path",
        "schema",
        "summary",
        "version",
    )

    def __init__(self, core: ShardHost, name: str, path: Path, kind: str) -> None:
        self.core = core
        self.name = name
        self.kind = kind
        self.path = path
        self.live = False  # listed in the catalog
        self.on_disk = False
        self.disk_lsn = 0
        self.disk_size = 0
        self.schema = 0
        self.summary: dict[str, Any] = {}
        self.dirty = False
        self.no_history = False
        self.version = 0
        self.data: Tables | None = None
        self.lock = threading.Lock()
        self._db: _ShardDB | None = None

    def __repr__(self) -> str:
        return f"Shard({self.name!r})"

    def committed(self) -> Tables:
        """The last committed state (loading it from disk when needed)."""
        return self.core.committed(self)

    def table(self, name: str) -> KeyedTable:
        """One TinyDB table of this shard."""
        db = self._db
        if db is None:  # created on first use: most shards are only ever seen through their summary
            db = self._db = _ShardDB(storage=ShardStorage, shard=self)
        table = db.table(name)
        assert isinstance(table, KeyedTable)
        return table

    def publish(self, data: Tables, live: bool, summary: dict[str, Any]) -> None:
        """Make a committed state visible to readers (the caller holds the write lock)."""
        with self.lock:
            self.data = data
            self.live = live
            self.summary = summary
            self.dirty = True
            self.version += 1


class Tx:
    """A transaction: private copies of the shards it touches and the journal operations it made."""

    def __init__(self, owner: int) -> None:
        self.owner = owner
        self.staged: dict[Shard, Tables] = {}
        self.written: dict[Shard, bool] = {}  # shard -> live after the transaction
        self.ops: list[Op] = []
        self.no_history: set[Shard] = set()
        self.outbox_last: int | None = None
        self.broken = False

    def view(self, shard: Shard) -> Tables:
        """This transaction's (changeable) copy of a shard."""
        tables = self.staged.get(shard)
        if tables is None:
            tables = copy_tables(shard.committed())
            self.staged[shard] = tables
        return tables

    def stage(self, shard: Shard, tables: Tables) -> None:
        """Keep a shard's new state until commit."""
        self.staged[shard] = tables
        self.written.setdefault(shard, True)

    def live(self, shard: Shard) -> bool:
        """Whether the shard exists as seen from inside this transaction."""
        return self.written.get(shard, shard.live)
