"""Schema migrations, from a fixture written in the previous schema version (v1)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from appliance.auth import Role
from appliance.store import Store
from appliance.store.migrations import MIGRATIONS, SCHEMA_VERSION
from tests.store.conftest import FIXTURES, options

USER = "u0000000001"
ATTEMPT = f"{USER}-202602-aaaaaaaaaa"


@pytest.fixture
def v1_dir(tmp_path: Path) -> Path:
    target = tmp_path / "v1"
    shutil.copytree(FIXTURES / "v1_store", target)
    return target


def test_migrations_lead_from_version_one_to_the_current_schema() -> None:
    assert [m.from_version for m in MIGRATIONS] == list(range(1, SCHEMA_VERSION))
    assert len({m.name for m in MIGRATIONS}) == len(MIGRATIONS)


def test_a_v1_store_is_upgraded_at_open_with_its_journal_replayed_first(v1_dir: Path) -> None:
    with Store.open(v1_dir, options=options()) as store:
        assert store.schema_version == SCHEMA_VERSION
        user = store.users.get(USER)
        assert user is not None and user.display_name == "Ada Nurse"
        assert user.roles == (Role.LEARNER, Role.REVIEWER) and user.job_role is None
        grades = store.grades.for_attempt(ATTEMPT)
        assert len(grades) == 2  # one from a shard file, one only in the v1 journal
        assert {(g.model_id, g.model_version, g.override) for g in grades} == {("lexical", "1", None)}
        assert store.attempts.get(ATTEMPT).revision == 1  # type: ignore[union-attr]
        assert [e.seq for e in store.outbox.after(0)] == [1, 2]
        assert store.settings.device_id == "fixture00device01"
        assert store.check(deep=True).ok
        codes = [f.code for f in store.findings]
        assert codes == ["migrating", "migrated"]
    meta = json.loads((v1_dir / "store" / "store.json").read_text())
    assert meta["schema_version"] == SCHEMA_VERSION


def test_the_files_before_the_migration_are_kept(v1_dir: Path) -> None:
    original = (v1_dir / "store" / "shards" / "hot" / "users.json").read_bytes()
    Store.open(v1_dir, options=options()).close()
    kept = next((v1_dir / "store").glob("pre-migration-v1-*"))
    assert (kept / "shards" / "hot" / "users.json").read_bytes() == original
    assert json.loads((kept / "store.json").read_text())["schema_version"] == 1
    assert (kept / "wal" / "0000000001.wal").exists()


def test_an_interrupted_migration_resumes_at_the_next_start(
    v1_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import appliance.store.engine._migrations as migrations
    import appliance.store.engine._open as opener

    monkeypatch.setattr(migrations, "_BATCH", 1)
    real = opener.checkpoint
    calls = {"n": 0}

    def dies_on_second_batch(*args: object, **kwargs: object) -> bool:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt("power cut during the migration")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(opener, "checkpoint", dies_on_second_batch)
    with pytest.raises(KeyboardInterrupt):
        Store.open(v1_dir, options=options())
    assert json.loads((v1_dir / "store" / "store.json").read_text())["schema_version"] == 1
    monkeypatch.setattr(opener, "checkpoint", real)
    with Store.open(v1_dir, options=options()) as store:
        user = store.users.get(USER)
        assert user is not None and user.roles == (Role.LEARNER, Role.REVIEWER)
        assert len(store.grades.for_attempt(ATTEMPT)) == 2
        assert store.check(deep=True).ok
