"""Two hub processes on one PostgreSQL, two sites: enroll, publish, install, play, sync, see it all on the hub."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

import httpx

from appliance.config import load_settings
from appliance.engine import ChoiceRating, DecisionNode, current_node
from appliance.services import Services, open_services
from appliance.sync import Installer, async_enroll, async_sync, sync_status
from appliance.sync.hub import HubRepository, open_database
from tests.sync.conftest import HubProcess, bumped_module, cli, curriculum_files, open_site


def _play_and_pass(data_dir: Path, module_id: str) -> list[str]:
    """Provision the site and pass every scenario of a module with the best choices (lexical grader)."""
    settings = load_settings(data_dir=data_dir, grader_backend="lexical", grader_warm_up=False)
    services: Services = open_services(settings)
    try:
        admin = services.auth.provision("Ward", "A100", "Ada Admin", "402917")
        nurse = services.auth.create_user(
            admin.user_id, "N200", "Nia Nurse", ("learner",), "nicu-nurse", "583920"
        )
        awarded: list[str] = []
        module = services.curriculum.module(module_id)
        for scenario in module.scenarios:
            view = services.player.open(nurse.user_id, module_id, scenario.id, new=True)
            while not view.state.finished:
                node = current_node(view.scenario, view.state)
                if isinstance(node, DecisionNode):
                    best = next(c for c in node.choices if c.rating is ChoiceRating.BEST)
                    assert node.rubric is not None
                    text = max(node.rubric.exemplars, key=lambda e: e.score).text
                    view = services.player.submit(
                        nurse.user_id, view.attempt_id, view.revision, best.id, text
                    )
                else:
                    view = services.player.advance(nurse.user_id, view.attempt_id, view.revision)
            awarded += view.awarded
        return awarded
    finally:
        services.close()


async def _sync(folder: Path, url: str | None = None, token: str | None = None) -> int | None:
    """Enroll (when given a token) and sync in this process, against ``url`` when given."""
    store = open_site(folder)
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            if token is not None and url is not None:
                await async_enroll(store, client, url, token)
            report = await async_sync(store, client, urls=(url,) if url else (), discover=False)
        return report.installed_bundle
    finally:
        store.close()


def test_two_sites_two_hub_processes_one_postgresql(
    pg_url: str, hubs: Callable[..., HubProcess], tmp_path: Path
) -> None:
    hub_a, hub_b = hubs(pg_url), hubs(pg_url)
    db = ["--database", pg_url, "--key-file", str(hub_a.key_file)]
    assert "bundle 1" in cli("hub", "publish", *map(str, curriculum_files()), *db).stdout
    north_token = cli("hub", "enroll-token", "--site-name", "North NICU", *db).stdout.strip()
    south_token = cli("hub", "enroll-token", "--site-name", "South NICU", *db).stdout.strip()
    north, south = tmp_path / "north", tmp_path / "south"

    # North through the CLI against hub A, South through the library against hub B.
    assert (
        "enrolled as North NICU"
        in cli("sync", "enroll", hub_a.url, north_token, "--data-dir", str(north)).stdout
    )
    assert "installed bundle 1" in cli("sync", "now", "--no-discover", "--data-dir", str(north)).stdout
    assert asyncio.run(_sync(south, hub_b.url, south_token)) == 1
    for folder in (north, south):
        assert Installer(folder).installed().version == 1  # type: ignore[union-attr]

    # Each site loads the installed curriculum, plays and passes a module, and syncs (now via the other hub).
    assert _play_and_pass(north, "ai-safety-sepsis")
    assert _play_and_pass(south, "nursing-ai-workflows")
    asyncio.run(_sync(north, hub_b.url))
    asyncio.run(_sync(south, hub_a.url))

    status = json.loads(cli("hub", "status", "--json", *db).stdout)
    sites = {s["name"]: s for s in status["sites"]}
    for name, folder in (("North NICU", north), ("South NICU", south)):
        store = open_site(folder)
        try:
            last, epoch = store.outbox.last_seq, store.store_id
            assert store.outbox.acknowledged == last > 0
        finally:
            store.close()
        assert sites[name]["events_received"] == last and sites[name]["cursors"] == {epoch: last}
        site_status = json.loads(cli("sync", "status", "--json", "--data-dir", str(folder)).stdout)
        assert site_status["state"] == "ok" and site_status["pending_events"] == 0

    db_conn = open_database(pg_url)
    try:
        repo = HubRepository(db_conn)
        for name in ("North NICU", "South NICU"):
            types = [t for _, _, t in repo.events(sites[name]["site_id"])]
            assert (
                "credential.awarded" in types and "attempt.finished" in types and "rationale.graded" in types
            )
    finally:
        db_conn.close()

    # A curriculum update reaches both sites; the store keeps the old version for attempts started on it.
    cli("hub", "publish", str(bumped_module(tmp_path)), *db)
    for folder in (north, south):
        assert asyncio.run(_sync(folder)) == 2
        installed = Installer(folder).installed()
        assert installed is not None and installed.modules["ai-safety-sepsis"] == "1.1.0"
        store = open_site(folder)
        try:
            assert [v.version for v in store.curriculum.versions("ai-safety-sepsis")] == ["1.0.0", "1.1.0"]
        finally:
            store.close()
    assert sync_status(north).installed_bundle == 2
