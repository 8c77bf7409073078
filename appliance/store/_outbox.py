"""The outbox: an append-only, per-device sequence of events for the hub.

Sequence numbers are given out in commit order under the write lock, so they only grow. A reader is
only ever shown events whose journal record is already on stable storage, and never an event after a
not-yet-durable one, so a sync cursor can never skip an event that later turns up with a lower number.
After a crash, numbers of transactions that were never acknowledged may be reused; numbers of
acknowledged events never are.
"""

from __future__ import annotations

from typing import Any

from appliance.store._layout import OUTBOX_SEGMENT_EVENTS, OUTBOX_STATE, outbox_segment
from appliance.store._records import OutboxEvent
from appliance.store._repo import Repository
from appliance.store.engine import Core

_LSN = "_lsn"


def _event(doc: dict[str, Any]) -> OutboxEvent:
    return OutboxEvent.model_validate({k: v for k, v in doc.items() if k != _LSN})


def last_sequence(core: Core) -> int:
    """The highest event sequence number in the outbox shards (read from their header summaries)."""
    return max((int(shard.summary.get("last", 0)) for shard in core.shards("outbox/")), default=0)


class Outbox(Repository):
    """Events for sync, read in sequence order."""

    def append(self, type: str, payload: dict[str, Any], *, subject: str | None = None) -> OutboxEvent:
        """Add an event (in the caller's transaction when there is one, so it commits with the records).

        :param subject: the learner the event is about, so deleting the learner can redact it.
        """
        core = self._core
        with self._write() as tx:
            seq = (tx.outbox_last if tx.outbox_last is not None else core.outbox_last) + 1
            event = OutboxEvent(seq=seq, type=type, subject=subject, payload=payload, created_at=self._now())
            doc = event.model_dump(mode="json")
            doc[_LSN] = core.next_lsn  # the number this transaction's journal record will get
            self._table(outbox_segment(seq), "events").put(f"{seq:012d}", doc)
            tx.outbox_last = seq
        return event

    @property
    def last_seq(self) -> int:
        """The highest sequence number committed so far."""
        return self._core.outbox_last

    def after(self, seq: int = 0, limit: int = 500) -> tuple[OutboxEvent, ...]:
        """Durable events with a sequence number above ``seq``, in order, at most ``limit``."""
        durable = self._core.durable_lsn
        first_segment = (seq + 1) // OUTBOX_SEGMENT_EVENTS
        found: list[OutboxEvent] = []
        for shard in self._core.shards("outbox/"):
            if int(shard.name.split("/")[1]) < first_segment:
                continue
            docs = sorted((d for d in shard.table("events").docs() if d["seq"] > seq), key=lambda d: d["seq"])
            for doc in docs:
                if doc[_LSN] > durable or len(found) >= limit:
                    return tuple(found)
                found.append(_event(doc))
        return tuple(found)

    def acknowledge(self, seq: int) -> None:
        """Remember that the hub has every event up to ``seq`` (the cursor only moves forward)."""
        with self._write():
            table = self._table(OUTBOX_STATE, "cursor")
            current = (table.doc("hub") or {}).get("acknowledged", 0)
            if seq > current:
                table.put("hub", {"acknowledged": seq, "at": self._now().isoformat()})

    @property
    def acknowledged(self) -> int:
        """The highest sequence number the hub confirmed."""
        return (self._table(OUTBOX_STATE, "cursor").doc("hub") or {}).get("acknowledged", 0)
