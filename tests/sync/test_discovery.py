"""Discovery on 127.0.0.1 (IPv4 only): the real hub is found, an impostor advertising the same name is not."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from appliance.sync import HubUnreachable, SigningKey, async_advertise, async_browse, async_find_hub
from appliance.sync.hub import open_hub
from appliance.sync.hub._settings import load_hub_settings
from tests.sync.conftest import HubProcess

LOOPBACK = ["127.0.0.1"]


async def _find(hub_key: str, *, urls: tuple[str, ...] = ()) -> str:
    async with httpx.AsyncClient(timeout=10) as client:
        found = await async_find_hub(client, hub_key, urls=urls, interfaces=LOOPBACK, browse_seconds=1.5)
    return found.url


def test_an_advertised_hub_is_found_and_an_impostor_with_its_id_is_rejected(
    hubs: Callable[..., HubProcess], tmp_path: Path
) -> None:
    tag = secrets.token_hex(3)
    advertise = ("--advertise", "--advertise-address", "127.0.0.1", "--advertise-interface", "127.0.0.1")
    real_hub = hubs(
        f"sqlite:///{tmp_path / 'hub.db'}", tmp_path / "hub.key", *advertise, "--name", f"real-{tag}"
    )
    impostor = hubs(f"sqlite:///{tmp_path / 'other.db'}", tmp_path / "other.key", light=True)
    real_key = SigningKey.load(tmp_path / "hub.key")

    async def scenario() -> tuple[list[str], str, str | None]:
        # The impostor advertises the real hub's id in its TXT record, but cannot prove the key.
        async with async_advertise(
            f"impostor-{tag}", "127.0.0.1", impostor.port, real_key.fingerprint, "0.1.0", interfaces=LOOPBACK
        ):
            seen = [c.url for c in await async_browse(seconds=1.5, interfaces=LOOPBACK)]
            found = await _find(real_key.public_key)
        real_hub.stop()  # `hub serve` withdraws its advertisement; the impostor alone is never trusted
        async with async_advertise(
            f"impostor-{tag}", "127.0.0.1", impostor.port, real_key.fingerprint, "0.1.0", interfaces=LOOPBACK
        ):
            alone: str | None
            try:
                alone = await _find(real_key.public_key)
            except HubUnreachable:
                alone = None
        return seen, found, alone

    seen, found, alone = asyncio.run(scenario())
    assert impostor.url in seen and real_hub.url in seen
    assert found == real_hub.url
    assert alone is None


def test_a_configured_url_goes_through_the_same_check(
    hubs: Callable[..., HubProcess], tmp_path: Path
) -> None:
    hub = hubs(f"sqlite:///{tmp_path / 'hub.db'}", tmp_path / "hub.key", light=True)
    key = SigningKey.load(tmp_path / "hub.key")
    assert asyncio.run(_find(key.public_key, urls=(hub.url,))) == hub.url
    with pytest.raises(HubUnreachable, match="no hub proved"):
        asyncio.run(_find(SigningKey.generate().public_key, urls=(hub.url,)))


def test_the_status_page_lists_sites_without_learner_data(
    hubs: Callable[..., HubProcess], tmp_path: Path
) -> None:
    database, key_file = f"sqlite:///{tmp_path / 'hub.db'}", tmp_path / "hub.key"
    hub = hubs(database, key_file, light=True)
    state = open_hub(load_hub_settings(database=database, key_file=key_file))
    try:
        site = state.repo.enroll(
            state.repo.create_token(state.key, "Ward <7>"), SigningKey.generate().public_key, "s", None
        )
        state.repo.revoke(site.site_id, "lost")
    finally:
        state.close()
    page = httpx.get(f"{hub.url}/", timeout=10)
    assert page.status_code == 200 and "Curriculum bundle: none" in page.text
    assert "<td>Ward &lt;7&gt;</td><td>revoked: lost</td><td>0</td><td>0</td><td>never</td>" in page.text
