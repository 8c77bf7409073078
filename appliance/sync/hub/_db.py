"""Two databases behind one small interface: PostgreSQL (psycopg 3, pooled) and SQLite (stdlib).

Queries are written once with ``%s`` placeholders and three dialect words, ``{json}`` (JSONB or TEXT),
``{greatest}`` (GREATEST or MAX) and ``{for_update}`` (row lock or nothing: SQLite transactions take the
write lock up front with ``BEGIN IMMEDIATE``). Driver errors become :class:`HubStoreError` here.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import psycopg
import psycopg_pool

from appliance.sync._errors import HubStoreError

_WORDS = {
    "postgresql": {"json": "JSONB", "greatest": "GREATEST", "for_update": "FOR UPDATE"},
    "sqlite": {"json": "TEXT", "greatest": "MAX", "for_update": ""},
}


class Tx(Protocol):
    """One transaction."""

    dialect: str

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one statement; the rows it returns (empty for none)."""
        ...

    def lock(self, name: str) -> None:
        """Serialise with other transactions taking the same named lock (until this one ends)."""
        ...

    def relax_durability(self) -> None:
        """Let this transaction commit without waiting for its WAL flush (for data that may be lost)."""
        ...


class Database(Protocol):
    """A hub database."""

    dialect: str
    url: str

    def transaction(self) -> Any:
        """A context manager yielding a :class:`Tx` that commits on success, rolls back on error."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


def as_datetime(value: Any) -> datetime | None:
    """A timestamp column as an aware datetime (SQLite keeps ISO text)."""
    if value is None or isinstance(value, datetime):
        return value
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class _PgTx:
    dialect = "postgresql"

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._conn.cursor() as cur:
            cur.execute(sql.format(**_WORDS["postgresql"]).encode(), params)
            return cur.fetchall() if cur.description else []

    def lock(self, name: str) -> None:
        self.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (name,))

    def relax_durability(self) -> None:
        self.execute("SET LOCAL synchronous_commit = off")


class PostgresDatabase:
    """PostgreSQL through a psycopg 3 connection pool; any number of hub processes may share it."""

    dialect = "postgresql"

    def __init__(self, url: str, *, max_size: int = 8) -> None:
        self.url = url
        try:
            self._pool = psycopg_pool.ConnectionPool(
                url, min_size=1, max_size=max_size, open=True, timeout=10, kwargs={"connect_timeout": 5}
            )
            self._pool.wait(timeout=10)
        except (psycopg.Error, psycopg_pool.PoolTimeout) as err:
            raise HubStoreError(f"cannot connect to the hub database: {err}") from err

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        try:
            with self._pool.connection() as conn, conn.transaction():
                yield _PgTx(conn)
        except (psycopg.Error, psycopg_pool.PoolTimeout) as err:
            raise HubStoreError(f"hub database error: {err}") from err

    def close(self) -> None:
        self._pool.close()


def _sqlite_param(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


class _SqliteTx:
    dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        text = re.sub(r"%s", "?", sql.format(**_WORDS["sqlite"]))
        cur = self._conn.execute(text, [_sqlite_param(p) for p in params])
        return cur.fetchall()

    def lock(self, name: str) -> None:
        """Nothing to do: ``BEGIN IMMEDIATE`` already holds the database's write lock."""

    def relax_durability(self) -> None:
        """Nothing to do: one SQLite connection commits in order anyway."""


class SqliteDatabase:
    """An embedded SQLite file for a one-box trial (one hub process; WAL, synchronous=FULL)."""

    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        self.url = f"sqlite:///{path}"
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        try:
            self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as err:
            raise HubStoreError(f"cannot open the hub database {path}: {err}") from err

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield _SqliteTx(self._conn)
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
                self._conn.execute("COMMIT")
            except sqlite3.Error as err:
                raise HubStoreError(f"hub database error: {err}") from err

    def close(self) -> None:
        self._conn.close()


def open_database(url: str) -> Database:
    """Open ``postgresql://...`` or ``sqlite:///path`` (a bare path means SQLite).

    :raises HubStoreError: cannot connect or open.
    """
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresDatabase(url)
    return SqliteDatabase(Path(url.removeprefix("sqlite:///").removeprefix("sqlite://")))
