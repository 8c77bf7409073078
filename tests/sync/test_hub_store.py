"""The hub's store keeps each event once and its cursor at the end of the contiguous run, on both databases."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from appliance.sync import HubRejected, HubStoreError, SigningKey, WireEvent
from appliance.sync.hub import HubRepository, migrate, open_database

T0 = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def repo(database_url: str) -> Iterator[HubRepository]:
    db = open_database(database_url)
    migrate(db)
    try:
        yield HubRepository(db)
    finally:
        db.close()


def _events(first: int, last: int) -> list[WireEvent]:
    return [
        WireEvent(seq=i, type="rationale.graded", subject="l-1", payload={"i": i}, created_at=T0)
        for i in range(first, last + 1)
    ]


def _site(repo: HubRepository, key: SigningKey, name: str = "Ward 7") -> str:
    token = repo.create_token(key, name)
    return repo.enroll(token, SigningKey.generate().public_key, "store-1", None).site_id


def test_migrations_apply_once_and_again_is_a_no_op(database_url: str) -> None:
    db = open_database(database_url)
    try:
        assert migrate(db) == migrate(db) == 1
    finally:
        db.close()


def test_a_token_enrolls_once(repo: HubRepository) -> None:
    key = SigningKey.generate()
    token = repo.create_token(key, "Ward 7")
    assert token.startswith(f"wt1.{key.fingerprint}.")
    repo.enroll(token, SigningKey.generate().public_key, "store-1", None)
    with pytest.raises(HubRejected, match="unknown, spent or expired"):
        repo.enroll(token, SigningKey.generate().public_key, "store-2", None)
    with pytest.raises(HubRejected, match="already enrolled"):
        repo.create_token(key, "Ward 7")


def test_a_chunk_sent_twice_is_stored_once(repo: HubRepository) -> None:
    site = _site(repo, SigningKey.generate())
    assert repo.store_events(site, "e1", _events(1, 50)) == (50, 50)
    assert repo.store_events(site, "e1", _events(1, 50)) == (0, 50)
    assert [seq for _, seq, _ in repo.events(site)] == list(range(1, 51))


def test_reordered_chunks_hold_the_cursor_until_the_gap_fills(repo: HubRepository) -> None:
    site = _site(repo, SigningKey.generate())
    assert repo.store_events(site, "e1", _events(101, 200)) == (100, 0)
    assert repo.store_events(site, "e1", _events(1, 50)) == (50, 50)
    assert repo.store_events(site, "e1", _events(51, 100)) == (50, 200)
    assert repo.cursor(site, "e1") == 200 and len(repo.events(site)) == 200


def test_epochs_are_kept_apart(repo: HubRepository) -> None:
    site = _site(repo, SigningKey.generate())
    repo.store_events(site, "old-store", _events(1, 10))
    repo.store_events(site, "new-store", _events(1, 3))
    assert (repo.cursor(site, "old-store"), repo.cursor(site, "new-store")) == (10, 3)


def test_concurrent_overlapping_chunks_store_each_event_once(repo: HubRepository) -> None:
    site = _site(repo, SigningKey.generate())
    errors: list[BaseException] = []

    def send(first: int) -> None:
        try:
            for start in range(first, 400, 50):
                repo.store_events(site, "e1", _events(start, start + 99))
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=send, args=(s,)) for s in (1, 1, 51)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    seqs = [seq for _, seq, _ in repo.events(site)]
    assert seqs == sorted(set(seqs)) and seqs[0] == 1 and repo.cursor(site, "e1") == seqs[-1]


def test_a_learner_deleted_event_redacts_that_learners_events(repo: HubRepository) -> None:
    site = _site(repo, SigningKey.generate())
    repo.store_events(site, "e1", _events(1, 3))
    deleted = WireEvent(seq=4, type="learner.deleted", payload={"learner_id": "l-1"}, created_at=T0)
    repo.store_events(site, "e1", [deleted])
    with repo.db.transaction() as tx:
        rows = tx.execute("SELECT seq, redacted FROM events WHERE subject = %s ORDER BY seq", ("l-1",))
    assert [bool(r[1]) for r in rows] == [True, True, True]


def test_a_database_bound_to_another_hub_key_is_refused(repo: HubRepository) -> None:
    repo.bind_key(SigningKey.generate())
    with pytest.raises(HubStoreError, match="another hub key"):
        repo.bind_key(SigningKey.generate())


def test_a_replayed_nonce_is_refused(repo: HubRepository) -> None:
    site = _site(repo, SigningKey.generate())
    assert repo.admit(site, "n-1", lambda s: 0.5).last_seen is None  # the row as read, before this contact
    with pytest.raises(HubRejected, match="replayed"):
        repo.admit(site, "n-1", lambda s: 0.0)
    status = next(s for s in repo.status() if s.site_id == site)
    assert status.last_seen is not None and status.clock_skew_s == 0.5


def test_a_refused_request_leaves_no_nonce(repo: HubRepository) -> None:
    site = _site(repo, SigningKey.generate())

    def refuse(found: object) -> float:
        raise HubRejected("no", code="signature")

    with pytest.raises(HubRejected, match="no"):
        repo.admit(site, "n-2", refuse)
    assert repo.admit(site, "n-2", lambda s: 0.0).site_id == site
