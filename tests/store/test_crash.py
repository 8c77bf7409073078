"""Really kill a writing process with SIGKILL, again and again: every acknowledged write must survive."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from appliance.store import Store
from appliance.store.reports import Severity
from tests.store.conftest import options

ROOT = Path(__file__).resolve().parents[2]
KILLS = 25


class Acks:
    """Everything the children reported as acknowledged, over all rounds."""

    def __init__(self) -> None:
        self.ids: dict[str, set[str]] = {k: set() for k in ("user", "grade", "event", "credential", "audit")}
        self.revisions: dict[str, int] = {}

    def add(self, line: str) -> None:
        kind, *rest = line.split()
        if kind == "attempt":
            self.revisions[rest[0]] = max(self.revisions.get(rest[0], 0), int(rest[1]))
        else:
            self.ids[kind].add(rest[0])


def _run_and_kill(data_dir: Path, seed: int, delay: float) -> list[str]:
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.store.crash_child", str(data_dir), str(seed)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None
    chunks: list[bytes] = []
    started = threading.Event()

    def read() -> None:
        assert child.stdout is not None
        while chunk := child.stdout.read1(65536):
            chunks.append(chunk)
            started.set()

    reader = threading.Thread(target=read)
    reader.start()
    if not started.wait(timeout=30):
        child.kill()
        reader.join()
        pytest.fail(f"the writer never acknowledged anything: {child.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.wait()
    reader.join()
    assert child.returncode == -signal.SIGKILL, child.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
    text = b"".join(chunks).decode()
    lines = text.split("\n")
    return lines[:-1]  # the last piece is an unfinished line (or empty)


def _verify(data_dir: Path, acks: Acks) -> None:
    with Store.open(data_dir, options=options()) as store:
        assert all(f.severity is Severity.INFO for f in store.findings), store.findings
        report = store.check()
        assert report.ok, report.findings
        for user_id in acks.ids["user"]:
            assert store.users.get(user_id) is not None, user_id
        for attempt_id, revision in acks.revisions.items():
            attempt = store.attempts.get(attempt_id)
            assert attempt is not None and attempt.revision >= revision, (attempt_id, revision)
        for grade_id in acks.ids["grade"]:
            assert store.grades.get(grade_id) is not None, grade_id
        seqs = {e.seq for e in store.outbox.after(0, limit=10**9)}
        assert {int(s) for s in acks.ids["event"]} <= seqs
        assert sorted(seqs) == list(range(1, len(seqs) + 1))  # no holes: numbers only grow
        for record_id in acks.ids["credential"]:
            assert store.credentials.get(record_id) is not None, record_id
        entries = {e.entry_id for e in store.audit.entries(limit=10**9)}
        assert acks.ids["audit"] <= entries


@pytest.mark.slow
def test_every_acknowledged_write_survives_sigkill(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    rng = random.Random(20261123)
    acks = Acks()
    acknowledged = 0
    for seed in range(KILLS):
        lines = _run_and_kill(data_dir, seed, rng.uniform(0.0, 0.7))
        for line in lines:
            acks.add(line)
        acknowledged += len(lines)
        _verify(data_dir, acks)
    assert acknowledged > KILLS * 20  # the children really wrote between the kills
