"""USB packs carry records and bundles with the same checks; every sync and hub command has help."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from appliance.cli import cli as root
from appliance.sync import BundleSignatureInvalid, SigningKey, async_enroll, export_records, import_hub_pack
from appliance.sync._pack import write_pack
from appliance.sync.hub import open_hub, publish_files
from appliance.sync.hub._settings import load_hub_settings
from appliance.sync.hub._sneakernet import export_hub_pack, import_records
from tests.sync.conftest import HubProcess, add_events, cli, curriculum_files, open_site


@pytest.mark.parametrize("group", ["hub", "sync"])
def test_every_command_has_help_with_an_example(group: str) -> None:
    runner = CliRunner()
    commands = root.commands[group].commands  # type: ignore[attr-defined]
    assert commands
    for name in commands:
        result = runner.invoke(root, [group, name, "--help"])
        assert result.exit_code == 0 and "Example:" in result.output, name


def test_status_before_enrollment_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(root, ["sync", "status", "--json", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0 and json.loads(result.output)["state"] == "not-enrolled"
    result = CliRunner().invoke(
        root, ["sync", "export", str(tmp_path / "x.json"), "--data-dir", str(tmp_path)]
    )
    assert result.exit_code == 1 and "not enrolled" in result.output


def test_a_usb_round_trip_carries_records_up_and_curriculum_down_once(
    hubs: Callable[..., HubProcess], tmp_path: Path
) -> None:
    database, key_file = f"sqlite:///{tmp_path / 'hub.db'}", tmp_path / "hub.key"
    db = ["--database", database, "--key-file", str(key_file)]
    hub_state = open_hub(load_hub_settings(database=database, key_file=key_file))
    try:
        token = hub_state.repo.create_token(hub_state.key, "Island ward")
        publish_files(hub_state.repo, hub_state.key, curriculum_files())
    finally:
        hub_state.close()
    hub = hubs(database, key_file, light=True)
    store = open_site(tmp_path / "site")
    try:

        async def enroll() -> None:
            async with httpx.AsyncClient(timeout=30) as client:
                await async_enroll(store, client, hub.url, token)

        asyncio.run(enroll())  # enrolled once while on the network; then the ward is air-gapped
        hub.stop()
        add_events(store, 1200)
        assert export_records(store, tmp_path / "up.json") == 1200
    finally:
        store.close()

    # Hub side, through the CLI: importing the same pack twice stores it once.
    assert "1200 new events, cursor 1200" in cli("hub", "import", str(tmp_path / "up.json"), *db).stdout
    hub_state = open_hub(load_hub_settings(database=database, key_file=key_file))
    try:
        assert import_records(hub_state.repo, tmp_path / "up.json")[1:] == (0, 1200)
    finally:
        hub_state.close()
    assert "bundle 1" in cli("hub", "export", str(tmp_path / "down.json"), *db).stdout

    assert (
        "bundle 1, 0 notices, cursor 1200"
        in cli("sync", "import", str(tmp_path / "down.json"), "--data-dir", str(tmp_path / "site")).stdout
    )
    store = open_site(tmp_path / "site")
    try:
        assert store.outbox.acknowledged == 1200
        assert export_records(store, tmp_path / "up2.json") == 0
        report = import_hub_pack(store, tmp_path / "down.json")  # importing again changes nothing
        assert report.installed_bundle is None and report.acknowledged == 1200
    finally:
        store.close()


def test_packs_signed_by_the_wrong_key_or_changed_are_refused(tmp_path: Path) -> None:
    hub = open_hub(
        load_hub_settings(database=f"sqlite:///{tmp_path / 'hub.db'}", key_file=tmp_path / "hub.key")
    )
    try:
        token = hub.repo.create_token(hub.key, "Ward")
        site_key = SigningKey.generate()
        site = hub.repo.enroll(token, site_key.public_key, "store-1", None)
        body = {"site_id": site.site_id, "epoch": "store-1", "chunks": []}
        write_pack(tmp_path / "forged.json", SigningKey.generate(), "records", site.site_id, body)
        with pytest.raises(BundleSignatureInvalid, match="not signed by the expected key"):
            import_records(hub.repo, tmp_path / "forged.json")
        write_pack(tmp_path / "good.json", site_key, "records", site.site_id, body)
        changed = (tmp_path / "good.json").read_text().replace("store-1", "store-2")
        (tmp_path / "changed.json").write_text(changed)
        with pytest.raises(BundleSignatureInvalid):
            import_records(hub.repo, tmp_path / "changed.json")
        export_hub_pack(hub.repo, hub.key, tmp_path / "down.json")
        with pytest.raises(BundleSignatureInvalid, match="records pack"):
            import_records(hub.repo, tmp_path / "down.json")
    finally:
        hub.close()
