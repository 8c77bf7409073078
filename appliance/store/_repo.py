"""What every repository shares: the core, the clock and a way to reach a shard's table."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime

from appliance.store.engine import Core, KeyedTable, Tx


class Repository:
    """Base of the typed repositories; holds the open store's core."""

    def __init__(self, core: Core) -> None:
        self._core = core

    def _now(self) -> datetime:
        return self._core.options.clock()

    def _table(self, shard: str, table: str) -> KeyedTable:
        return self._core.shard(shard).table(table)

    def _write(self) -> AbstractContextManager[Tx]:
        return self._core.write()
