"""An attempt started before a curriculum update carries on with the version it started on."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from appliance.config import load_settings
from appliance.services import open_services
from appliance.sync import Installer, SigningKey, build_bundle
from tests.sync.conftest import bumped_module
from tests.sync.test_bundles import _files


def test_an_attempt_in_progress_keeps_its_module_version(tmp_path: Path) -> None:
    key, now = SigningKey.generate(), datetime.now(UTC)
    settings = load_settings(data_dir=tmp_path / "ward", grader_backend="lexical", grader_warm_up=False)
    installer = Installer(settings.data_dir)
    services = open_services(settings)
    try:
        admin = services.auth.provision("Ward", "A100", "Ada Admin", "402917")
        nurse = services.auth.create_user(
            admin.user_id, "N2", "Nia Nurse", ("learner",), "nicu-nurse", "583920"
        )
        scenario = services.curriculum.module("ai-safety-sepsis").scenarios[0].id
        started = services.player.open(nurse.user_id, "ai-safety-sepsis", scenario)
        old_title = started.module.title
        installer.install(
            build_bundle(key, 1, _files(bumped_module(tmp_path)), now=now), key.public_key, now=now
        )
    finally:
        services.close()
    services = open_services(settings)  # restarts on the installed bundle (module 1.1.0)
    try:
        assert services.curriculum.module("ai-safety-sepsis").version == "1.1.0"
        resumed = services.player.get(nurse.user_id, started.attempt_id)
        assert (resumed.module.version, resumed.module.title) == ("1.0.0", old_title)
        fresh = services.player.open(nurse.user_id, "ai-safety-sepsis", scenario, new=True)
        assert fresh.module.version == "1.1.0" and fresh.module.title != old_title
    finally:
        services.close()
