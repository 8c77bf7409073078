"""One sync session as explicit, ordered, resumable stages.

::

    VERIFY      find the hub (configured URL, then zeroconf) and check it proves the pinned key
    CURSOR      ask the hub's cursor for this store epoch; a hub behind ours is refilled from its cursor
    PUSH        send events after the cursor in chunks; each signed ack moves the store's cursor forward
    NOTICES     fetch signed notices (endorsements, revocations) after the last one seen
    CURRICULUM  fetch a newer bundle, verify it against the hub key, install it atomically

Every stage can be interrupted at any point: nothing is acknowledged locally before the hub's signed
ack says it is stored, and the next session starts again from the hub's cursor, so an interrupted
session loses nothing and (thanks to the hub's unique keys) duplicates nothing. The status file is
rewritten after each stage, so what it says is true even if the process is killed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import httpx

from appliance.store import Store
from appliance.store.records import OutboxEvent
from appliance.sync._client import HubClient
from appliance.sync._crypto import canonical, verify
from appliance.sync._errors import (
    BundleSignatureInvalid,
    DeviceRevoked,
    HubRejected,
    HubUnreachable,
    SiteRewound,
)
from appliance.sync._files import write_json
from appliance.sync._install import Installer
from appliance.sync._state import SiteFiles, SiteIdentity, SyncState, SyncStatus
from appliance.sync._verify import async_find_hub, async_verify_hub
from appliance.sync._wire import MAX_CHUNK_EVENTS, EventChunk, Notice, WireEvent

CHUNK_EVENTS = 500


class Stage(StrEnum):
    """The stages of a sync session, in order."""

    VERIFY = "verify"
    CURSOR = "cursor"
    PUSH = "push"
    NOTICES = "notices"
    CURRICULUM = "curriculum"
    DONE = "done"


@dataclass
class SyncReport:
    """What one session did."""

    stage: Stage = Stage.VERIFY
    pushed: int = 0
    duplicates: int = 0
    chunks: int = 0
    acknowledged: int = 0
    refilled_from: int | None = None
    installed_bundle: int | None = None
    notices: list[Notice] = field(default_factory=list)


def wire_event(event: OutboxEvent) -> WireEvent:
    """An outbox event as sent to the hub."""
    return WireEvent(
        seq=event.seq,
        type=event.type,
        subject=event.subject,
        payload=event.payload,
        created_at=event.created_at,
        redacted=event.redacted,
    )


def verify_notice(notice: Notice, hub_key: str) -> None:
    """Check a notice's signature.

    :raises BundleSignatureInvalid: not signed by the hub key.
    """
    if not verify(hub_key, notice.signature, canonical(notice.signed_part())):
        raise BundleSignatureInvalid(f"notice {notice.seq} is not signed by the trusted hub key")


def keep_notices(
    files: SiteFiles, notices: list[Notice], on_notice: Callable[[Notice], object] | None
) -> None:
    """Store verified notices (one file each) and hand them to ``on_notice`` (the credentials seam; a
    session calls it from a worker thread, never on the event loop)."""
    for notice in notices:
        write_json(files.notices_dir() / f"{notice.seq:08d}.json", notice.model_dump(mode="json"))
        if on_notice is not None:
            on_notice(notice)


class SyncSession:
    """Runs the stages for one store against one hub client."""

    def __init__(
        self,
        store: Store,
        files: SiteFiles,
        hub: HubClient,
        *,
        chunk_events: int = CHUNK_EVENTS,
        on_notice: Callable[[Notice], object] | None = None,
    ) -> None:
        self.store = store
        self.files = files
        self.hub = hub
        self.chunk_events = min(chunk_events, MAX_CHUNK_EVENTS)
        self.on_notice = on_notice
        self.report = SyncReport()
        self.status = files.status()

    async def _save(self, stage: Stage, **changes: object) -> None:
        self.report.stage = stage
        self.status = self.status.model_copy(update={"stage": stage.value, **changes})
        await asyncio.to_thread(self.files.save_status, self.status)

    async def async_run(self) -> SyncReport:
        """Run every stage after VERIFY (the caller verified the hub)."""
        await self._push()
        await self._notices()
        await self._curriculum()
        await self._save(Stage.DONE)
        return self.report

    async def _push(self) -> None:
        store = self.store
        epoch = store.store_id
        await self._save(Stage.CURSOR)
        hub_ack = (await self.hub.async_cursor(epoch)).acknowledged
        local_ack, last = await asyncio.to_thread(lambda: (store.outbox.acknowledged, store.outbox.last_seq))
        if hub_ack > last:
            raise SiteRewound(
                f"the hub holds events up to {hub_ack} of store {epoch} but this store ends at {last}: was it "
                "restored from a backup? Nothing was sent; see docs/sync.md"
            )
        if hub_ack < local_ack:
            self.report.refilled_from = hub_ack
        position = hub_ack
        await self._save(Stage.PUSH, hub_cursor=hub_ack, refilled_from=self.report.refilled_from)
        stalled = 0
        while True:
            events = await asyncio.to_thread(store.outbox.after, position, self.chunk_events)
            if not events:
                break
            ack = await self.hub.async_push(
                EventChunk(epoch=epoch, events=tuple(wire_event(e) for e in events))
            )
            self.report.chunks += 1
            self.report.pushed += ack.stored
            self.report.duplicates += ack.duplicates
            if ack.acknowledged > position:
                await asyncio.to_thread(store.outbox.acknowledge, ack.acknowledged)
                position, stalled = ack.acknowledged, 0
            else:
                stalled += 1
                if stalled > 2:
                    raise HubRejected(f"the hub keeps its cursor at {ack.acknowledged}", code="stalled")
                position = ack.acknowledged
            await self._save(
                Stage.PUSH, hub_cursor=position, acknowledged=max(position, self.status.acknowledged)
            )
        self.report.acknowledged = position

    async def _notices(self) -> None:
        await self._save(Stage.NOTICES)
        notices = await self.hub.async_notices(self.status.notices_seen)
        for notice in notices:
            verify_notice(notice, self.hub.hub_key)
        await asyncio.to_thread(keep_notices, self.files, notices, self.on_notice)
        self.report.notices = notices
        if notices:
            await self._save(Stage.NOTICES, notices_seen=notices[-1].seq)

    async def _curriculum(self) -> None:
        await self._save(Stage.CURRICULUM)
        installer = Installer(self.store.data_dir, on_module=self.store.curriculum.publish)
        installed = await asyncio.to_thread(installer.installed)
        bundle = await self.hub.async_bundle(installed.version if installed else 0)
        if bundle is not None:
            now = datetime.fromtimestamp(datetime.now(UTC).timestamp() + self.hub.clock_offset, UTC)
            result = await asyncio.to_thread(installer.install, bundle, self.hub.hub_key, now=now)
            self.report.installed_bundle = result.version
        version = await asyncio.to_thread(installer.installed) or installed
        await self._save(Stage.CURRICULUM, installed_bundle=version.version if version else None)


async def async_sync(
    store: Store,
    client: httpx.AsyncClient,
    *,
    urls: tuple[str, ...] = (),
    discover: bool = True,
    interfaces: list[str] | None = None,
    on_notice: Callable[[Notice], object] | None = None,
    chunk_events: int = CHUNK_EVENTS,
) -> SyncReport:
    """Run one sync session for ``store`` (its data folder holds the enrollment) and record the status.

    :raises NotEnrolled: no enrollment yet.
    :raises HubUnreachable: no hub that proves the key answered (the status says so too).
    :raises SyncError: any other failure, also recorded as ``last_error``.
    """
    files = SiteFiles(store.data_dir)
    identity = files.identity()
    started = datetime.now(UTC)
    status = files.status().model_copy(
        update={
            "hub_url": identity.hub_url,
            "hub_id": identity.hub_id,
            "site_id": identity.site_id,
            "last_attempt": started,
        }
    )
    await asyncio.to_thread(files.save_status, status)
    session: SyncSession | None = None
    try:
        found = await async_find_hub(
            client, identity.hub_key, urls=(*urls, identity.hub_url), discover=discover, interfaces=interfaces
        )
        hub = HubClient(
            client,
            found.url,
            identity.hub_key,
            key=files.key(),
            site_id=identity.site_id,
            clock_offset=found.clock_offset,
        )
        session = SyncSession(store, files, hub, chunk_events=chunk_events, on_notice=on_notice)
        report = await session.async_run()
    except Exception as err:
        await asyncio.to_thread(record_failure, files, err, store)
        raise
    finished = files.status().model_copy(
        update={
            "state": SyncState.OK,
            "last_success": datetime.now(UTC),
            "last_error": None,
            "revoked_reason": None,
            "hub_url": found.url,
            "clock_offset_s": round(hub.clock_offset, 3),
        }
    )
    await asyncio.to_thread(files.save_status, with_counts(finished, store))
    return report


def with_counts(status: SyncStatus, store: Store) -> SyncStatus:
    """The status with the store's live cursor and pending count."""
    acknowledged, last = store.outbox.acknowledged, store.outbox.last_seq
    return status.model_copy(
        update={"acknowledged": acknowledged, "last_seq": last, "pending_events": last - acknowledged}
    )


def record_failure(files: SiteFiles, err: BaseException, store: Store | None) -> SyncStatus:
    """Write what went wrong into the status file and return the new status."""
    state = SyncState.ERROR
    update: dict[str, object] = {"last_error": f"{type(err).__name__}: {err}"}
    if isinstance(err, DeviceRevoked):
        state = SyncState.REVOKED
        update["revoked_reason"] = err.reason
    elif isinstance(err, HubUnreachable):
        state = SyncState.OFFLINE
    status = files.status().model_copy(update={"state": state, **update})
    if store is not None:
        status = with_counts(status, store)
    files.save_status(status)
    return status


async def async_enroll(
    store: Store, client: httpx.AsyncClient, hub_url: str, token: str, *, issuer_key: str | None = None
) -> SiteIdentity:
    """Enroll this site with a hub using a one-time token (``wt1.<hub fingerprint>.<secret>``).

    The token names the hub's key fingerprint, so an impostor at ``hub_url`` is refused before the
    token is ever sent.

    :raises HubImpostor: the hub at ``hub_url`` does not prove the token's key.
    :raises HubRejected: the token is unknown, spent or expired.
    """
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != "wt1":
        raise HubRejected("that is not an enrollment token (wt1.<hub id>.<secret>)", code="token")
    hub = await async_verify_hub(client, hub_url, hub_id=parts[1])
    files = SiteFiles(Path(store.data_dir))
    key = files.key()
    enrolled = await HubClient(client, hub.url, hub.public_key, key=key).async_enroll(
        token, store.store_id, issuer_key
    )
    identity = SiteIdentity(
        hub_url=hub.url,
        hub_key=hub.public_key,
        hub_id=hub.hub_id,
        site_id=enrolled.site_id,
        site_name=enrolled.site_name,
        enrolled_at=datetime.now(UTC),
    )
    files.save_identity(identity)
    files.save_status(
        SyncStatus(state=SyncState.NEVER, hub_url=hub.url, hub_id=hub.hub_id, site_id=enrolled.site_id)
    )
    return identity


def sync_status(data_dir: Path, store: Store | None = None) -> SyncStatus:
    """The honest sync status for ``/healthz`` and admin pages (live pending count when ``store`` is given).

    Reads only files of ``<data_dir>/sync/``, so it also works while another process holds the store.
    """
    status = SiteFiles(Path(data_dir)).status()
    return with_counts(status, store) if store is not None else status
