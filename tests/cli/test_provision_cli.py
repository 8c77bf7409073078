"""``appliance provision``: one code path with the setup page, no default accounts, clean errors."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from appliance.auth import verify_pin
from appliance.cli import cli
from appliance.store import Store

ARGS = ["provision", "--site-name", "NICU", "--staff-id", "A100", "--name", "Ada Admin"]


def test_provision_creates_the_site_and_admin(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, [*ARGS, "--data-dir", str(tmp_path)], input="402917\n402917\n")
    assert result.exit_code == 0, result.output
    with Store.open(tmp_path) as store:
        admin = store.users.by_staff_id("A100")
        assert admin is not None and "admin" in admin.roles and verify_pin(admin.pin_hash, "402917")
        assert store.settings.get("site_name") == "NICU"


def test_provision_twice_or_with_a_weak_pin_fails_cleanly(tmp_path: Path) -> None:
    weak = CliRunner().invoke(cli, [*ARGS, "--data-dir", str(tmp_path)], input="111111\n111111\n")
    assert weak.exit_code == 1 and "one digit repeated" in weak.output
    CliRunner().invoke(cli, [*ARGS, "--data-dir", str(tmp_path)], input="402917\n402917\n")
    again = CliRunner().invoke(cli, [*ARGS, "--data-dir", str(tmp_path)], input="402917\n402917\n")
    assert again.exit_code == 1 and "already set up" in again.output and "Traceback" not in again.output
