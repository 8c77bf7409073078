"""What the engine needs to know about the records it keeps, as one small protocol.

The engine stores named shards of tables of JSON documents and knows nothing of what they mean. The
records package hands it a :class:`Layout` when it opens a store: which shard names are valid, what kind
each shard is, which kinds stay in memory, the header summary of a shard, how to validate a document,
and the schema version with the migrations that lead to it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

Tables = dict[str, dict[str, Any]]
Doc = dict[str, Any]

CATALOG = "_catalog"
"""The engine's own shard: the list of shards that exist (kind ``catalog``)."""


@dataclass(frozen=True)
class Migration:
    """Upgrade every shard from ``from_version`` to the next version: each document, then the shard."""

    from_version: int
    name: str
    upgrade: Callable[[str, str, Doc], Doc] | None = None
    """(shard kind, table, document) -> upgraded document; must leave upgraded documents alone."""
    upgrade_tables: Callable[[str, Tables], Tables] | None = None
    """(shard kind, tables) -> upgraded tables, for changes that span a shard's tables (run after
    ``upgrade``); must not change its argument, and must leave upgraded tables alone."""

    def apply(self, kind: str, tables: Tables) -> Tables:
        """The shard's tables in the next version."""
        upgrade = self.upgrade
        if upgrade is not None:
            tables = {
                table: {key: upgrade(kind, table, doc) for key, doc in docs.items()}
                for table, docs in tables.items()
            }
        return self.upgrade_tables(kind, tables) if self.upgrade_tables is not None else tables


class Layout(Protocol):
    """The records' description of their shards, given to the engine when a store is opened."""

    @property
    def schema_version(self) -> int:
        """The schema this code writes."""
        ...

    @property
    def migrations(self) -> Sequence[Migration]:
        """The upgrades from older schema versions, in order."""
        ...

    @property
    def pinned(self) -> frozenset[str]:
        """Shard kinds kept in memory once loaded (never evicted from the cache)."""
        ...

    def is_shard_name(self, name: str) -> bool:
        """True for names the records would give a shard (others found on disk are ignored)."""
        ...

    def kind_of(self, name: str) -> str:
        """What a shard holds (``catalog`` for :data:`CATALOG`)."""
        ...

    def summarize(self, name: str, tables: Tables) -> dict[str, Any]:
        """The header summary of a shard's contents (frozen: see :func:`freeze`)."""
        ...

    def validate(self, kind: str, table: str, doc: Doc) -> str | None:
        """Why a stored document is not a valid record (None when it is, or when unknown)."""
        ...


def freeze(value: Any) -> Any:
    """Lists to tuples, all the way down: thousands of summaries stay in memory, and tuples of plain
    values are not tracked by the garbage collector (so they do not slow its full collections)."""
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    if isinstance(value, dict):
        return {k: freeze(v) for k, v in value.items()}
    return value
