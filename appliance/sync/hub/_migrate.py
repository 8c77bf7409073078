"""Versioned SQL migrations: ``migrations/<dialect>/NNNN_name.sql``, applied in order, each once.

Applied versions are kept in ``hub_schema``. Migrating takes a database-wide lock (PostgreSQL advisory
lock; SQLite's write lock), so hub processes starting together do not race; a database newer than this
code is refused rather than guessed at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

from appliance.sync._errors import HubStoreError
from appliance.sync.hub._db import Database


@dataclass(frozen=True)
class Migration:
    """One migration file."""

    version: int
    name: str
    sql: str


def migrations(dialect: str) -> tuple[Migration, ...]:
    """The migrations shipped for a dialect, in order."""
    folder = resources.files("appliance.sync.hub") / "migrations" / dialect
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            number, _, name = entry.name.removesuffix(".sql").partition("_")
            found.append(Migration(int(number), name, entry.read_text()))
    return tuple(sorted(found, key=lambda m: m.version))


def _statements(sql: str) -> list[str]:
    text = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in text.split(";") if s.strip()]


def migrate(db: Database) -> int:
    """Bring the schema up to date; return its version.

    :raises HubStoreError: the database has a version this code does not know.
    """
    shipped = migrations(db.dialect)
    with db.transaction() as tx:
        tx.lock("ward-hub-migrate")
        tx.execute(
            "CREATE TABLE IF NOT EXISTS hub_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
            "applied_at TEXT NOT NULL)"
        )
        applied = {row[0] for row in tx.execute("SELECT version FROM hub_schema")}
        known = {m.version for m in shipped}
        if applied - known:
            raise HubStoreError(
                f"the hub database is at schema {max(applied)}, newer than this hub ({max(known)}): upgrade it"
            )
        for migration in shipped:
            if migration.version in applied:
                continue
            for statement in _statements(migration.sql):
                tx.execute(statement.replace("{", "{{").replace("}", "}}"))
            tx.execute(
                "INSERT INTO hub_schema (version, name, applied_at) VALUES (%s, %s, %s)",
                (migration.version, migration.name, datetime.now(UTC).isoformat()),
            )
    return max(known)
