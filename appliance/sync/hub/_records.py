"""The hub's records as typed, frozen values."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class Site(BaseModel):
    """An enrolled site (one appliance) and what the hub has heard from it."""

    model_config = ConfigDict(frozen=True)

    site_id: str
    name: str
    public_key: str
    issuer_key: str | None
    store_id: str
    enrolled_at: datetime
    revoked_at: datetime | None
    revoked_reason: str | None
    last_seen: datetime | None
    clock_skew_s: float | None


class SiteStatus(BaseModel):
    """A site's line in ``appliance hub status``."""

    model_config = ConfigDict(frozen=True)

    site_id: str
    name: str
    revoked: bool
    revoked_reason: str | None
    last_seen: datetime | None
    clock_skew_s: float | None
    events_received: int
    cursors: dict[str, int]
