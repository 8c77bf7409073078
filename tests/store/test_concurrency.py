"""Threads write at once, readers never see half a transaction, and one process owns a data folder."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from appliance.store import Store, StoreError, StoreLocked
from tests.store.conftest import Clock, grade, learner, options, state, submit

ROOT = Path(__file__).resolve().parents[2]


def test_concurrent_writers_lose_nothing_and_readers_see_whole_transactions(
    data_dir: Path, clock: Clock
) -> None:
    with Store.open(data_dir, options=options(clock, background=True, checkpoint_bytes=8192)) as store:
        users = [learner(store, f"N{i}") for i in range(4)]
        done: list[str] = []
        errors: list[BaseException] = []
        stop = threading.Event()

        def write(user_id: str) -> None:
            try:
                attempt = store.attempts.start(user_id, "sepsis", "sepsis-1", state())
                revision = attempt.revision
                for _ in range(40):
                    record, saved, _event = submit(store, attempt.attempt_id, revision)
                    revision = saved.revision
                    done.append(record.grade_id)
            except BaseException as err:  # pragma: no cover - reported below
                errors.append(err)

        def read() -> None:
            while not stop.is_set():
                for user in users:
                    progress = store.progress(user.user_id)
                    for attempt in progress.attempts:
                        grades = [g for g in progress.grades if g.attempt_id == attempt.attempt_id]
                        if attempt.revision != 1 + len(grades):
                            errors.append(
                                AssertionError(f"half a transaction: {attempt.revision} {len(grades)}")
                            )

        writers = [threading.Thread(target=write, args=(u.user_id,)) for u in users]
        reader = threading.Thread(target=read)
        reader.start()
        for thread in writers:
            thread.start()
        for thread in writers:
            thread.join()
        stop.set()
        reader.join()
        assert errors == []
        assert len(done) == 160
        assert sorted(e.seq for e in store.outbox.after(0, 10**6)) == list(range(1, 161))
    with Store.open(data_dir, options=options(clock)) as store:
        assert {g.grade_id for u in users for g in store.grades.for_learner(u.user_id)} == set(done)


def test_a_failed_transaction_leaves_nothing_behind(store: Store) -> None:
    user = learner(store)
    attempt = store.attempts.start(user.user_id, "sepsis", "sepsis-1", state())
    with pytest.raises(RuntimeError), store.transaction():
        store.outbox.append("x", {})
        store.grades.add(
            attempt.attempt_id,
            node_id="d0",
            choice_id=None,
            rationale="r",
            grade=grade(),
            rubric_hash="h",
        )
        raise RuntimeError("the grader crashed")
    assert store.grades.for_attempt(attempt.attempt_id) == () and store.outbox.last_seq == 0
    assert store.outbox.append("y", {}).seq == 1


def test_a_swallowed_error_halfway_through_a_transaction_aborts_it(store: Store) -> None:
    user = learner(store)
    with pytest.raises(StoreError, match="halfway"), store.transaction():
        store.settings.set("a", 1)
        try:
            with store.transaction():
                store.settings.set("b", 2)
                raise ValueError("oops")
        except ValueError:
            pass
    assert store.settings.get("a") is None and store.users.get(user.user_id) is not None


def test_a_data_folder_is_opened_by_one_process_only(data_dir: Path, clock: Clock) -> None:
    with Store.open(data_dir, options=options(clock)):
        with pytest.raises(StoreLocked):
            Store.open(data_dir, options=options(clock))
        code = f"from appliance.store import Store; Store.open({str(data_dir)!r})"
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        assert result.returncode != 0 and "StoreLocked" in result.stderr
    Store.open(data_dir, options=options(clock)).close()  # released on close


def test_a_closed_store_refuses_writes(data_dir: Path, clock: Clock) -> None:
    store = Store.open(data_dir, options=options(clock))
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.settings.set("a", 1)
