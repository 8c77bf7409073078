"""The audit log: who did what to which record, when; sharded by month, newest read first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from appliance.store._layout import audit_month, month_of
from appliance.store._records import AuditEntry
from appliance.store._repo import Repository


class Audit(Repository):
    """Append-only audit entries."""

    def record(
        self, actor: str, action: str, target: str | None = None, details: dict[str, Any] | None = None
    ) -> AuditEntry:
        """Add an entry (in the caller's transaction when there is one)."""
        at = self._now()
        with self._write() as tx:
            entry = AuditEntry(
                entry_id=f"{at:%Y%m%dT%H%M%S%f}-{self._core.next_lsn:010d}-{len(tx.ops):04d}",
                actor=actor,
                action=action,
                target=target,
                details=details or {},
                at=at,
            )
            self._table(audit_month(month_of(at)), "entries").put(
                entry.entry_id, entry.model_dump(mode="json")
            )
        return entry

    def entries(
        self,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        actor: str | None = None,
        action: str | None = None,
        target: str | None = None,
        limit: int = 200,
    ) -> tuple[AuditEntry, ...]:
        """Entries matching every filter given, newest first."""
        found: list[AuditEntry] = []
        low = month_of(since) if since else ""
        high = month_of(until) if until else "9999-99"
        for shard in reversed(self._core.shards("audit/")):
            month = shard.name.split("/")[1]
            if not low <= month <= high:
                continue
            for doc in sorted(shard.table("entries").docs(), key=lambda d: d["entry_id"], reverse=True):
                entry = AuditEntry.model_validate(doc)
                if (since and entry.at < since) or (until and entry.at > until):
                    continue
                if (actor and entry.actor != actor) or (action and entry.action != action):
                    continue
                if target and entry.target != target:
                    continue
                found.append(entry)
                if len(found) >= limit:
                    return tuple(found)
        return tuple(found)
