"""The background loop backs off with jitter when the hub is away and reports honestly; the core has no UI."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from appliance.sync import (
    BundleSignatureInvalid,
    Notice,
    SigningKey,
    SiteFiles,
    SyncLoop,
    SyncState,
    async_enroll,
    async_sync,
    backoff_delay,
    sync_status,
)
from appliance.sync._stages import verify_notice
from appliance.sync.hub import open_hub, publish_files
from appliance.sync.hub._settings import load_hub_settings
from tests.sync.conftest import ROOT, HubProcess, add_events, curriculum_files, open_site


def test_backoff_grows_exponentially_within_jitter_and_stops_at_the_cap() -> None:
    low = [backoff_delay(n, base=5, cap=600, rand=lambda: 0.0) for n in range(1, 10)]
    high = [backoff_delay(n, base=5, cap=600, rand=lambda: 1.0) for n in range(1, 10)]
    assert high[:4] == [10, 20, 40, 80] and low[:4] == [5, 10, 20, 40]
    assert max(high) == 600 and all(lo <= hi for lo, hi in zip(low, high, strict=True))


def test_the_loop_reports_offline_then_catches_up(hubs: Callable[..., HubProcess], tmp_path: Path) -> None:
    database, key_file = f"sqlite:///{tmp_path / 'hub.db'}", tmp_path / "hub.key"
    hub_state = open_hub(load_hub_settings(database=database, key_file=key_file))
    token = hub_state.repo.create_token(hub_state.key, "Ward")
    publish_files(hub_state.repo, hub_state.key, curriculum_files())
    hub_state.close()
    hub = hubs(database, key_file, light=True)
    store = open_site(tmp_path / "site")
    try:

        async def scenario() -> None:
            async with httpx.AsyncClient(timeout=10) as client:
                await async_enroll(store, client, hub.url, token)
            hub.stop()
            add_events(store, 30)
            async with SyncLoop(store, base=0.05, cap=0.2, interval=30, discover=False) as loop:
                for _ in range(100):
                    await asyncio.sleep(0.05)
                    if loop.failures >= 2:
                        break
                status = loop.status()
                assert status.state is SyncState.OFFLINE and status.pending_events == 30
                assert status.last_success is None and status.next_attempt is not None
                hubs(database, key_file, light=True, port=hub.port)
                loop.trigger()
                for _ in range(200):
                    await asyncio.sleep(0.05)
                    if loop.status().state is SyncState.OK:
                        break

        asyncio.run(scenario())
        status = sync_status(store.data_dir, store)
        assert status.state is SyncState.OK and status.pending_events == 0 and status.installed_bundle == 1
    finally:
        store.close()


@pytest.mark.parametrize("package", ["appliance.sync", "appliance.sync.hub"])
def test_sync_packages_do_not_import_nicegui(package: str) -> None:
    code = f"import sys, {package}; assert 'nicegui' not in sys.modules"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_an_enrolled_issuer_key_comes_back_as_a_signed_endorsement(
    hubs: Callable[..., HubProcess], tmp_path: Path
) -> None:
    database, key_file = f"sqlite:///{tmp_path / 'hub.db'}", tmp_path / "hub.key"
    hub_state = open_hub(load_hub_settings(database=database, key_file=key_file))
    token = hub_state.repo.create_token(hub_state.key, "Ward")
    publish_files(hub_state.repo, hub_state.key, curriculum_files())
    hub_state.close()
    hub = hubs(database, key_file, light=True)
    issuer = SigningKey.generate().public_key
    store = open_site(tmp_path / "site")
    seen: list[Notice] = []
    try:

        async def scenario() -> None:
            async with httpx.AsyncClient(timeout=10) as client:
                await async_enroll(store, client, hub.url, token, issuer_key=issuer)
                await async_sync(store, client, discover=False, on_notice=seen.append)
                await async_sync(store, client, discover=False, on_notice=seen.append)  # nothing new

        asyncio.run(scenario())
    finally:
        store.close()
    assert [(n.kind, n.body["issuer_key"]) for n in seen] == [("endorsement", issuer)]
    assert len(list(SiteFiles(tmp_path / "site").notices_dir().glob("*.json"))) == 1
    forged = seen[0].model_copy(update={"body": {**seen[0].body, "issuer_key": "someone-else"}})
    with pytest.raises(BundleSignatureInvalid):
        verify_notice(forged, SiteFiles(tmp_path / "site").identity().hub_key)
