"""What a site remembers about its hub, in ``<data_dir>/sync/`` (separate from the store, so the CLI can
read the status while the appliance holds the store's lock)::

    site.key       the site's Ed25519 key, mode 0600, its own file
    hub.json       the enrolled identity: hub URL, hub key, site id and name
    status.json    the honest status of the last sync attempt (rewritten after every stage)
    notices/       verified notices from the hub (endorsements, revocations), one file each
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from pathlib import Path

from pydantic import AwareDatetime, BaseModel, ConfigDict

from appliance.sync._crypto import SigningKey
from appliance.sync._errors import NotEnrolled
from appliance.sync._files import read_json, write_atomic


class SiteIdentity(BaseModel):
    """This site's enrollment with a hub."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    hub_url: str
    hub_key: str
    hub_id: str
    site_id: str
    site_name: str
    enrolled_at: AwareDatetime


class SyncState(StrEnum):
    """Where sync stands, in one word."""

    NEVER = "never"
    OK = "ok"
    OFFLINE = "offline"
    REVOKED = "revoked"
    ERROR = "error"
    NOT_ENROLLED = "not-enrolled"


class SyncStatus(BaseModel):
    """The status shown on ``/healthz``, the admin page and ``appliance sync status --json``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    state: SyncState = SyncState.NOT_ENROLLED
    hub_url: str | None = None
    hub_id: str | None = None
    site_id: str | None = None
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    stage: str | None = None
    pending_events: int | None = None
    acknowledged: int = 0
    last_seq: int | None = None
    hub_cursor: int | None = None
    refilled_from: int | None = None
    installed_bundle: int | None = None
    notices_seen: int = 0
    clock_offset_s: float = 0.0
    revoked_reason: str | None = None
    next_attempt: datetime | None = None


class SiteFiles:
    """The files of ``<data_dir>/sync/``."""

    def __init__(self, data_dir: Path) -> None:
        self.root = Path(data_dir) / "sync"

    @property
    def key_path(self) -> Path:
        """The site key."""
        return self.root / "site.key"

    def key(self) -> SigningKey:
        """The site key, created on first use."""
        return SigningKey.load_or_create(self.key_path)

    def identity(self) -> SiteIdentity:
        """The enrollment.

        :raises NotEnrolled: none yet.
        """
        raw = read_json(self.root / "hub.json")
        if raw is None:
            raise NotEnrolled(
                "this appliance is not enrolled with a hub: run `appliance sync enroll HUB_URL TOKEN`"
            )
        return SiteIdentity.model_validate(raw)

    def save_identity(self, identity: SiteIdentity) -> None:
        """Record the enrollment."""
        write_atomic(self.root / "hub.json", identity.model_dump_json(indent=2).encode())

    def status(self) -> SyncStatus:
        """The last written status (state ``not-enrolled`` or ``never`` when there is none)."""
        raw = read_json(self.root / "status.json")
        if raw is not None:
            return SyncStatus.model_validate(raw)
        try:
            identity = self.identity()
        except NotEnrolled:
            return SyncStatus()
        return SyncStatus(
            state=SyncState.NEVER, hub_url=identity.hub_url, hub_id=identity.hub_id, site_id=identity.site_id
        )

    def save_status(self, status: SyncStatus) -> None:
        """Replace the status file."""
        write_atomic(self.root / "status.json", status.model_dump_json(indent=2).encode())

    def notices_dir(self) -> Path:
        """Where verified notices are kept."""
        return self.root / "notices"
