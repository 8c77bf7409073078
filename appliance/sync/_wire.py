"""What travels between a site and the hub: frozen, validated records (JSON on the wire).

Every body is bounded: a chunk holds at most :data:`MAX_CHUNK_EVENTS` events and a request body at most
:data:`MAX_BODY_BYTES` on the wire, so neither side ever buffers an unbounded amount.
"""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

PROTOCOL = "ward-sync/1"
MAX_CHUNK_EVENTS = 1000
MAX_BODY_BYTES = 8 * 1024 * 1024
MAX_INFLATED_BYTES = 64 * 1024 * 1024


class _Wire(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Hello(_Wire):
    """The hub's proof of identity: its signature over the caller's challenge and its clock."""

    protocol: str = PROTOCOL
    hub_id: str
    public_key: str
    version: str
    time: float = Field(description="The hub's clock, Unix seconds.")
    challenge: str
    signature: str

    def signed_part(self) -> dict[str, Any]:
        """The fields the signature covers."""
        return self.model_dump(exclude={"signature"})


class EnrollRequest(_Wire):
    """A site asking to be enrolled with a one-time token; ``proof`` is its signature of the token."""

    token: str = Field(min_length=8, max_length=200)
    public_key: str
    store_id: str
    issuer_key: str | None = Field(default=None, description="The site's credential issuer key, if any.")
    proof: str


class Enrolled(_Wire):
    """The hub's answer to an enrollment."""

    site_id: str
    site_name: str
    hub_id: str
    hub_key: str


class WireEvent(_Wire):
    """One outbox event as the hub stores it."""

    seq: int = Field(ge=1)
    type: str = Field(min_length=1, max_length=100)
    subject: str | None = None
    payload: dict[str, Any] = Field(default_factory=dict)
    created_at: AwareDatetime
    redacted: bool = False


class EventChunk(_Wire):
    """Consecutive events of one store epoch (the store id), in sequence order, without gaps."""

    epoch: str = Field(min_length=1, max_length=100)
    events: tuple[WireEvent, ...] = Field(min_length=1, max_length=MAX_CHUNK_EVENTS)

    @model_validator(mode="after")
    def _consecutive(self) -> EventChunk:
        seqs = [e.seq for e in self.events]
        if seqs != list(range(seqs[0], seqs[0] + len(seqs))):
            raise ValueError("a chunk's events must be consecutive and in order")
        return self

    @property
    def first(self) -> int:
        """The first sequence number."""
        return self.events[0].seq

    @property
    def last(self) -> int:
        """The last sequence number."""
        return self.events[-1].seq


class Ack(_Wire):
    """The hub's cursor for a store epoch: it holds every event up to ``acknowledged``."""

    epoch: str
    acknowledged: int = Field(ge=0)
    stored: int = Field(default=0, ge=0, description="Events of this chunk that were new.")
    duplicates: int = Field(default=0, ge=0, description="Events of this chunk already held.")


class Notice(_Wire):
    """A signed message down to sites: an endorsement of a site's issuer key, a revocation, a status list."""

    seq: int = Field(ge=1)
    kind: str
    body: dict[str, Any]
    created_at: AwareDatetime
    signature: str

    def signed_part(self) -> dict[str, Any]:
        """The fields the signature covers."""
        return self.model_dump(mode="json", exclude={"signature"})


class Problem(_Wire):
    """An error answer: a machine-readable code and a sentence for people."""

    error: str
    message: str
    hub_time: float | None = None
