"""The records' layout as the storage engine sees it: shard names and kinds, summaries, validation, schema."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from appliance.store._layout import CREDENTIALS, LEARNER_MONTH, is_shard_name, kind_of
from appliance.store._migrations import MIGRATIONS, SCHEMA_VERSION
from appliance.store._records import (
    Attempt,
    AuditEntry,
    Credential,
    Draft,
    GradeRecord,
    ModuleVersion,
    OutboxEvent,
    User,
)
from appliance.store._summaries import summarize
from appliance.store.engine import Doc, Migration, Tables

_MODELS: dict[tuple[str, str], type[BaseModel]] = {
    ("users", "users"): User,
    (LEARNER_MONTH, "attempts"): Attempt,
    (LEARNER_MONTH, "grades"): GradeRecord,
    (CREDENTIALS, "credentials"): Credential,
    ("outbox", "events"): OutboxEvent,
    ("audit", "entries"): AuditEntry,
    ("curriculum", "versions"): ModuleVersion,
    ("drafts", "drafts"): Draft,
}


def _validate(kind: str, table: str, doc: dict[str, Any]) -> str | None:
    model = _MODELS.get((kind, table))
    if model is None:
        return None
    try:
        model.model_validate({k: v for k, v in doc.items() if k != "_lsn"})
    except ValidationError as err:
        first = err.errors()[0]
        return f"{first['msg']} at {'.'.join(map(str, first['loc']))}"
    return None


class WardLayout:
    """The ward's records: learners' monthly shards, credentials, curriculum, outbox and audit."""

    schema_version: int = SCHEMA_VERSION
    migrations: Sequence[Migration] = MIGRATIONS
    pinned: frozenset[str] = frozenset({"users", "settings", "aggregates", "outbox_state"})

    def is_shard_name(self, name: str) -> bool:
        """True for names the records give a shard."""
        return is_shard_name(name)

    def kind_of(self, name: str) -> str:
        """What a shard holds."""
        return kind_of(name)

    def summarize(self, name: str, tables: Tables) -> dict[str, Any]:
        """The header summary of a shard."""
        return summarize(name, tables)

    def validate(self, kind: str, table: str, doc: Doc) -> str | None:
        """Why a stored document is not a valid record (None when it is or the table is unknown)."""
        model = _MODELS.get((kind, table))
        if model is None:
            return None
        try:
            model.model_validate({k: v for k, v in doc.items() if k != "_lsn"})
        except ValidationError as err:
            first = err.errors()[0]
            return f"{first['msg']} at {'.'.join(map(str, first['loc']))}"
        return None


WARD_LAYOUT = WardLayout()
"""The one layout the appliance's store is opened with."""
