"""The backup-key, backup, restore and check commands: help, clean errors, exit codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from appliance.cli import cli
from appliance.keys import make_key_kit
from appliance.store import Store
from appliance.store.maintenance import backup
from tests.store.conftest import Clock, learner, options


@pytest.mark.parametrize("command", ["backup-key", "backup", "restore", "check"])
def test_every_store_command_has_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output and "--data-dir" in result.output


def test_backup_key_backup_check_and_restore_from_the_command_line(tmp_path: Path, clock: Clock) -> None:
    data_dir, archive, saved = tmp_path / "data", tmp_path / "ward.zip", tmp_path / "recovery.txt"
    with Store.open(data_dir, options=options(clock)) as store:
        user = learner(store)
    runner = CliRunner()
    result = runner.invoke(cli, ["backup", str(archive), "--data-dir", str(data_dir)])
    assert result.exit_code == 1 and "appliance backup-key" in result.output  # no kit yet
    result = runner.invoke(cli, ["backup-key", "--data-dir", str(data_dir), "--save", str(saved)])
    assert result.exit_code == 0 and "AGE-SECRET-KEY-1" in result.output and "shown once" in result.output
    assert saved.stat().st_mode & 0o777 == 0o600
    result = runner.invoke(cli, ["backup-key", "--data-dir", str(data_dir)])
    assert result.exit_code == 1 and "--replace" in result.output  # never silently replaced
    result = runner.invoke(cli, ["backup", str(archive), "--data-dir", str(data_dir)])
    assert result.exit_code == 0 and "Backed up" in result.output and "ward.wardbackup" in result.output
    archive = tmp_path / "ward.wardbackup"
    result = runner.invoke(cli, ["check", "--data-dir", str(data_dir), "--deep"])
    assert result.exit_code == 0 and result.output.startswith("ok:")
    new = ["--data-dir", str(tmp_path / "new")]
    result = runner.invoke(cli, ["restore", str(archive), *new, "--key-file", str(saved)], input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output
    result = runner.invoke(cli, ["restore", str(archive), *new, "--key-file", str(saved), "--yes"])
    assert result.exit_code == 0, result.output
    with Store.open(tmp_path / "new", options=options(clock)) as store:
        assert store.users.get(user.user_id) == user


def test_restore_asks_for_the_key_and_says_clearly_when_it_is_wrong(tmp_path: Path, clock: Clock) -> None:
    data_dir = tmp_path / "data"
    with Store.open(data_dir, options=options(clock)) as store:
        learner(store)
    key = make_key_kit(data_dir)
    backup(data_dir, tmp_path / "b.wardbackup")
    runner = CliRunner()
    restore_args = ["restore", str(tmp_path / "b.wardbackup"), "--data-dir", str(tmp_path / "new"), "--yes"]
    other = make_key_kit(tmp_path / "elsewhere")
    result = runner.invoke(cli, restore_args, input=other.secret + "\n")
    assert result.exit_code == 1 and "does not open this backup" in result.output
    assert "Traceback" not in result.output and other.secret not in result.output  # hidden input
    assert not (tmp_path / "new" / "store").exists()  # nothing replaced
    result = runner.invoke(cli, restore_args, input="AGE-SECRET-KEY-1NOTAKEY\n")
    assert result.exit_code == 1 and "not a recovery key" in result.output
    result = runner.invoke(cli, restore_args, input=key.grouped().lower() + "\n")  # as typed from paper
    assert result.exit_code == 0, result.output


def test_backup_to_a_missing_folder_is_an_error_and_creates_nothing(tmp_path: Path, clock: Clock) -> None:
    data_dir = tmp_path / "data"
    Store.open(data_dir, options=options(clock)).close()
    make_key_kit(data_dir)
    target = tmp_path / "media" / "usb" / "ward.wardbackup"
    result = CliRunner().invoke(cli, ["backup", str(target), "--data-dir", str(data_dir)])
    assert result.exit_code == 1 and "does not exist (is the USB stick mounted?)" in result.output
    assert not (tmp_path / "media").exists()


def test_check_on_a_folder_with_no_store_yet_says_so_and_not_damaged(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--data-dir", str(tmp_path / "fresh")])
    assert result.exit_code == 0 and "no store here yet" in result.output and "DAMAGED" not in result.output


def test_check_where_a_store_was_but_its_files_are_gone_says_damaged(tmp_path: Path, clock: Clock) -> None:
    data_dir = tmp_path / "data"
    Store.open(data_dir, options=options(clock)).close()
    shutil.rmtree(data_dir / "store")
    result = CliRunner().invoke(cli, ["check", "--data-dir", str(data_dir)])
    assert result.exit_code == 1 and "DAMAGED" in result.output and "store-missing" in result.output


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
    assert "is not a ward backup" in result.output
    assert "tarfile" not in result.output and "compression method" not in result.output
