"""Faults between a site and a real hub process on PostgreSQL: after each, nothing lost, nothing twice,
and the status tells the truth."""

from __future__ import annotations

import asyncio
import json
import secrets
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from appliance.store import Store
from appliance.sync import (
    DeviceRevoked,
    EventChunk,
    HubClient,
    HubImpostor,
    HubUnreachable,
    Installer,
    SiteFiles,
    SyncState,
    async_enroll,
    async_sync,
    sync_status,
)
from appliance.sync._stages import wire_event
from appliance.sync.hub import HubRepository, open_database, publish_files
from appliance.sync.hub._service import open_hub
from appliance.sync.hub._settings import load_hub_settings
from tests.sync.conftest import HubProcess, PgCluster, add_events, cli, curriculum_files, open_site
from tests.sync.faults import Relay


@dataclass
class Site:
    """One enrolled site with a store open in this process, and the hub it talks to."""

    store: Store
    hub: HubProcess
    site_id: str
    database: str

    def hub_seqs(self, epoch: str | None = None) -> list[int]:
        db = open_database(self.database)
        try:
            return [seq for _, seq, _ in HubRepository(db).events(self.site_id, epoch)]
        finally:
            db.close()

    def assert_complete(self) -> None:
        """The hub holds every event of the store exactly once and both cursors agree."""
        last = self.store.outbox.last_seq
        assert self.hub_seqs() == list(range(1, last + 1))
        assert self.store.outbox.acknowledged == last
        status = sync_status(self.store.data_dir, self.store)
        assert status.state is SyncState.OK and status.pending_events == 0 and status.last_error is None


@dataclass
class Fleet:
    """One hub process on one PostgreSQL database, shared by the tests of this module (restarted if killed)."""

    database: str
    key_file: Path
    hub: HubProcess
    sites: int = 0

    def ensure_running(self) -> HubProcess:
        if self.hub.proc is None or self.hub.proc.poll() is not None:
            self.hub = HubProcess(self.database, self.key_file, port=self.hub.port, light=True).start()
        return self.hub

    def restart(self) -> HubProcess:
        self.hub.kill()
        return self.ensure_running()


def _enroll(database: str, key_file: Path, folder: Path, hub: HubProcess, name: str) -> Site:
    hub_state = open_hub(load_hub_settings(database=database, key_file=key_file))
    try:
        token = hub_state.repo.create_token(hub_state.key, name)
    finally:
        hub_state.close()
    store = open_site(folder)

    async def enroll() -> str:
        async with httpx.AsyncClient(timeout=30) as client:
            return (await async_enroll(store, client, hub.url, token)).site_id

    return Site(store, hub, asyncio.run(enroll()), database)


def _publish(database: str, key_file: Path) -> None:
    hub_state = open_hub(load_hub_settings(database=database, key_file=key_file))
    try:
        publish_files(hub_state.repo, hub_state.key, curriculum_files())
    finally:
        hub_state.close()


@pytest.fixture(scope="module")
def fleet(pg_cluster: PgCluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fleet]:
    name = "faults_" + secrets.token_hex(3)
    pg_cluster.sql(f"CREATE DATABASE {name}")
    database, key_file = pg_cluster.url(name), tmp_path_factory.mktemp("hub") / "hub.key"
    _publish(database, key_file)
    fleet = Fleet(database, key_file, HubProcess(database, key_file, light=True).start())
    try:
        yield fleet
    finally:
        fleet.hub.stop()


@pytest.fixture
def site(fleet: Fleet, tmp_path: Path) -> Iterator[Site]:
    fleet.sites += 1
    s = _enroll(
        fleet.database, fleet.key_file, tmp_path / "site", fleet.ensure_running(), f"Ward {fleet.sites}"
    )
    try:
        yield s
    finally:
        s.store.close()


async def _sync(store: Store, relay: Relay | None = None, **kw: object) -> object:
    client = relay.client() if relay is not None else httpx.AsyncClient(timeout=30)
    try:
        async with client:
            return await async_sync(store, client, discover=False, **kw)  # type: ignore[arg-type]
    finally:
        if relay is not None:
            await relay.aclose()


def test_killing_the_hub_mid_push_loses_nothing(site: Site, fleet: Fleet) -> None:
    add_events(site.store, 3000)
    relay = Relay()

    async def kill_on_sixth_chunk(request: httpx.Request, count: int) -> None:
        if request.url.path == "/v1/events" and count == 6:
            site.hub.kill()

    relay.before = kill_on_sixth_chunk
    with pytest.raises(HubUnreachable):
        asyncio.run(_sync(site.store, relay, chunk_events=200))
    status = sync_status(site.store.data_dir, site.store)
    assert (
        status.state is SyncState.OFFLINE
        and status.pending_events == 2000
        and "did not answer" in status.last_error
    )
    assert site.hub_seqs() == list(range(1, 1001))
    site.hub = fleet.ensure_running()
    asyncio.run(_sync(site.store, chunk_events=200))
    site.assert_complete()


def test_killing_the_hub_mid_download_installs_nothing_then_installs(site: Site, fleet: Fleet) -> None:
    relay = Relay()

    async def kill_on_bundle(request: httpx.Request, count: int) -> None:
        if request.url.path == "/v1/bundle":
            site.hub.kill()

    relay.before = kill_on_bundle
    with pytest.raises(HubUnreachable):
        asyncio.run(_sync(site.store, relay))
    assert Installer(site.store.data_dir).installed() is None
    assert sync_status(site.store.data_dir).stage == "curriculum"
    site.hub = fleet.ensure_running()
    asyncio.run(_sync(site.store))
    assert Installer(site.store.data_dir).installed().version == 1  # type: ignore[union-attr]
    site.assert_complete()


def test_lost_acks_and_chunks_delivered_twice_are_stored_once(site: Site) -> None:
    add_events(site.store, 1000)
    relay = Relay()

    async def twice_and_lose(request: httpx.Request, response: httpx.Response, count: int) -> httpx.Response:
        if request.url.path != "/v1/events":
            return response
        await relay.forward(request)  # the same chunk again (a retry by a proxy): a fresh nonce is not needed
        if count == 2:
            raise httpx.ReadError("connection dropped before the ack arrived")
        return response

    relay.after = twice_and_lose
    with pytest.raises(HubUnreachable):
        asyncio.run(_sync(site.store, relay, chunk_events=250))
    assert site.store.outbox.acknowledged == 250  # the second chunk's ack never arrived
    report = asyncio.run(_sync(site.store, chunk_events=250))
    assert report.pushed == 500 and report.duplicates == 0  # resumed from the hub's cursor (500)
    site.assert_complete()


def test_a_request_cut_off_mid_chunk_stores_nothing_of_it(site: Site) -> None:
    add_events(site.store, 300)
    body = b'{"epoch": "x", "events": [' + b"{" * 2000
    with socket.create_connection(("127.0.0.1", site.hub.port)) as raw:
        raw.sendall(b"POST /v1/events HTTP/1.1\r\nHost: hub\r\nContent-Length: 100000\r\n\r\n" + body)
    assert site.hub_seqs() == []
    asyncio.run(_sync(site.store, chunk_events=100))
    site.assert_complete()


def test_reordered_chunks_end_complete(site: Site) -> None:
    add_events(site.store, 600)
    identity = SiteFiles(site.store.data_dir).identity()

    async def late_chunk_first() -> int:
        async with httpx.AsyncClient(timeout=30) as client:
            hub = HubClient(
                client,
                site.hub.url,
                identity.hub_key,
                key=SiteFiles(site.store.data_dir).key(),
                site_id=site.site_id,
            )
            events = site.store.outbox.after(300, 300)
            ack = await hub.async_push(
                EventChunk(epoch=site.store.store_id, events=tuple(map(wire_event, events)))
            )
            return ack.acknowledged

    assert asyncio.run(late_chunk_first()) == 0  # stored, but the cursor waits for 1..300
    report = asyncio.run(_sync(site.store, chunk_events=300))
    assert (report.chunks, report.pushed, report.acknowledged) == (1, 300, 600)  # 1..300 closed the gap
    site.assert_complete()


def test_a_tampered_answer_is_refused_and_nothing_is_installed(site: Site) -> None:
    relay = Relay()

    async def tamper(request: httpx.Request, response: httpx.Response, count: int) -> httpx.Response:
        if request.url.path == "/v1/bundle":
            body = response.content.replace(b"NICU", b"NlCU")
            return httpx.Response(response.status_code, headers=response.headers, content=body)
        return response

    relay.after = tamper
    with pytest.raises(HubImpostor):
        asyncio.run(_sync(site.store, relay))
    assert Installer(site.store.data_dir).installed() is None
    assert sync_status(site.store.data_dir).state is SyncState.ERROR


def test_an_impostor_hub_at_the_configured_url_is_refused(
    site: Site, hubs: Callable[..., HubProcess], tmp_path: Path
) -> None:
    other_db, other_key = f"sqlite:///{tmp_path / 'impostor.db'}", tmp_path / "impostor.key"
    _publish(other_db, other_key)
    impostor = hubs(other_db, other_key, light=True)
    identity = SiteFiles(site.store.data_dir).identity()
    SiteFiles(site.store.data_dir).save_identity(identity.model_copy(update={"hub_url": impostor.url}))
    add_events(site.store, 10)
    with pytest.raises(HubUnreachable, match="no hub proved the trusted key"):
        asyncio.run(_sync(site.store))
    assert Installer(site.store.data_dir).installed() is None
    assert site.store.outbox.acknowledged == 0 and site.hub_seqs() == []
    assert sync_status(site.store.data_dir).state is SyncState.OFFLINE


def test_a_revoked_device_is_refused_and_says_why(site: Site) -> None:
    add_events(site.store, 20)
    asyncio.run(_sync(site.store))
    cli(
        "hub",
        "revoke",
        site.site_id,
        "--reason",
        "reported stolen",
        "--database",
        site.database,
        "--key-file",
        str(site.hub.key_file),
    )
    add_events(site.store, 5)
    with pytest.raises(DeviceRevoked, match="reported stolen"):
        asyncio.run(_sync(site.store))
    status = json.loads(cli("sync", "status", "--json", "--data-dir", str(site.store.data_dir)).stdout)
    assert status["state"] == "revoked" and status["revoked_reason"] == "reported stolen"
    assert status["pending_events"] == 5
    assert site.hub_seqs() == list(range(1, 21))


def test_a_hub_restored_behind_the_cursor_is_refilled(
    pg_url: str, hubs: Callable[..., HubProcess], pg_cluster: PgCluster, tmp_path: Path
) -> None:
    _publish(pg_url, tmp_path / "hub.key")
    hub = hubs(pg_url, light=True)
    site = _enroll(pg_url, hub.key_file, tmp_path / "site", hub, "Ward R")
    add_events(site.store, 800)
    asyncio.run(_sync(site.store))
    site.hub.stop()
    source = site.database.split("@/")[1].split("?")[0]
    pg_cluster.sql(f"CREATE DATABASE {source}_bak TEMPLATE {source}")  # the nightly backup
    site.hub = hubs(site.database, light=True, port=site.hub.port)
    add_events(site.store, 700)
    asyncio.run(_sync(site.store))
    site.hub.stop()
    site.database = site.database.replace(f"/{source}?", f"/{source}_bak?")  # restored from that backup
    site.hub = hubs(site.database, light=True, port=site.hub.port)
    assert site.hub_seqs() == list(range(1, 801))
    report = asyncio.run(_sync(site.store))
    assert report.refilled_from == 800 and report.pushed == 700
    assert sync_status(site.store.data_dir).refilled_from == 800
    site.assert_complete()
    site.store.close()


def test_a_day_of_clock_skew_still_syncs(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    add_events(site.store, 50)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 86400)
    asyncio.run(_sync(site.store))
    status = sync_status(site.store.data_dir, site.store)
    assert -86400 - 60 < status.clock_offset_s < -86400 + 60
    site.assert_complete()
    identity = SiteFiles(site.store.data_dir).identity()
    add_events(site.store, 10)

    async def stale_offset() -> tuple[int, int]:
        async with httpx.AsyncClient(
            timeout=30
        ) as client:  # no hello first: the hub's signed refusal corrects the clock
            hub = HubClient(
                client,
                site.hub.url,
                identity.hub_key,
                key=SiteFiles(site.store.data_dir).key(),
                site_id=site.site_id,
            )
            ack = await hub.async_cursor(site.store.store_id)
            return round(hub.clock_offset / 3600), ack.acknowledged

    assert asyncio.run(stale_offset()) == (-24, 50)
