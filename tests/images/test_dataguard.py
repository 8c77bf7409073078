"""Rollback and the data partition: a slot always opens the store, or refuses with the reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from appliance.store import SchemaTooNew, Store, StoreOptions
from appliance.store.migrations import SCHEMA_VERSION
from appliance.update import DataTooNew, backup_before_update, guard_data, stored_schema


def _store_with(data_dir: Path, *staff: str) -> None:
    with Store.open(data_dir, options=StoreOptions(background=False)) as store:
        for staff_id in staff:
            store.users.create(staff_id, f"Nurse {staff_id}")


def _staff(data_dir: Path) -> set[str]:
    with Store.open(data_dir, options=StoreOptions(background=False)) as store:
        return {u.staff_id for u in store.users.list()}


def _newer_slot_migrates(data_dir: Path) -> None:
    """What a newer appliance would leave behind: the same records under a schema this one cannot read."""
    meta = data_dir / "store" / "store.json"
    doc = json.loads(meta.read_text())
    doc["schema_version"] = SCHEMA_VERSION + 1
    meta.write_text(json.dumps(doc))


def test_store_this_slot_reads_is_left_alone(tmp_path: Path) -> None:
    data, backups = tmp_path / "data", tmp_path / "backups"
    assert guard_data(data, backups).stored_schema is None  # first boot: no store yet
    _store_with(data, "A100")
    outcome = guard_data(data, backups)
    assert outcome.restored_from is None and outcome.stored_schema == SCHEMA_VERSION
    assert _staff(data) == {"A100"}


def test_rollback_after_a_migration_restores_the_pre_update_backup(tmp_path: Path) -> None:
    data, backups = tmp_path / "data", tmp_path / "backups"
    _store_with(data, "A100", "B200")
    taken = backup_before_update(data, backups, "1.0.0")
    assert taken is not None and taken.is_file()
    _newer_slot_migrates(data)
    with pytest.raises(SchemaTooNew):
        _staff(data)  # the old slot cannot open what the new one wrote
    outcome = guard_data(data, backups)
    assert outcome.restored_from == taken and outcome.set_aside is not None
    assert json.loads((outcome.set_aside / "store.json").read_text())["schema_version"] == SCHEMA_VERSION + 1
    assert _staff(data) == {"A100", "B200"} and stored_schema(data) == SCHEMA_VERSION
    assert "restored" in outcome.message


def test_rollback_after_a_migration_without_a_backup_is_refused(tmp_path: Path) -> None:
    data, backups = tmp_path / "data", tmp_path / "backups"
    _store_with(data, "A100")
    _newer_slot_migrates(data)
    with pytest.raises(DataTooNew, match="no pre-update backup"):
        guard_data(data, backups)
    assert stored_schema(data) == SCHEMA_VERSION + 1  # nothing was touched


def test_damaged_backup_is_skipped_for_an_older_good_one(tmp_path: Path) -> None:
    data, backups = tmp_path / "data", tmp_path / "backups"
    _store_with(data, "A100")
    good = backup_before_update(data, backups, "1.0.0")
    assert good is not None
    (backups / "pre-update-99991231T000000-from-1.1.0.wardbackup").write_bytes(b"not a backup")
    _newer_slot_migrates(data)
    assert guard_data(data, backups).restored_from == good


def test_no_store_means_no_backup_before_an_update(tmp_path: Path) -> None:
    assert backup_before_update(tmp_path / "data", tmp_path / "backups", "1.0.0") is None
