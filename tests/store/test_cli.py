"""The backup, restore and check commands: help, clean errors, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from appliance.cli import cli
from appliance.store import Store
from tests.store.conftest import Clock, learner, options


@pytest.mark.parametrize("command", ["backup", "restore", "check"])
def test_every_store_command_has_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output and "--data-dir" in result.output


def test_backup_check_and_restore_from_the_command_line(tmp_path: Path, clock: Clock) -> None:
    data_dir, archive = tmp_path / "data", tmp_path / "backup.tar.gz"
    with Store.open(data_dir, options=options(clock)) as store:
        user = learner(store)
    runner = CliRunner()
    result = runner.invoke(cli, ["backup", str(archive), "--data-dir", str(data_dir)])
    assert result.exit_code == 0 and "Backed up" in result.output
    result = runner.invoke(cli, ["check", "--data-dir", str(data_dir), "--deep"])
    assert result.exit_code == 0 and result.output.startswith("ok:")
    result = runner.invoke(cli, ["restore", str(archive), "--data-dir", str(tmp_path / "new")], input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output
    result = runner.invoke(cli, ["restore", str(archive), "--data-dir", str(tmp_path / "new"), "--yes"])
    assert result.exit_code == 0, result.output
    with Store.open(tmp_path / "new", options=options(clock)) as store:
        assert store.users.get(user.user_id) == user


def test_a_damaged_store_fails_the_check_with_a_readable_report(tmp_path: Path, clock: Clock) -> None:
    data_dir = tmp_path / "data"
    with Store.open(data_dir, options=options(clock)) as store:
        learner(store)
    users = data_dir / "store" / "shards" / "hot" / "users.json"
    users.write_bytes(users.read_bytes()[:-10])
    result = CliRunner().invoke(cli, ["check", "--data-dir", str(data_dir)])
    assert result.exit_code == 1
    assert "ERROR shard-damaged hot/users.json" in result.output and "DAMAGED" in result.output


def test_a_bad_archive_gives_a_clean_message_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "junk.tar.gz").write_bytes(b"junk")
    result = CliRunner().invoke(
        cli, ["restore", str(tmp_path / "junk.tar.gz"), "--data-dir", str(tmp_path), "--yes"]
    )
    assert result.exit_code == 1 and "Error: " in result.output and "Traceback" not in result.output
