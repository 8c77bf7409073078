"""The v2-to-v3 migration: each rationale ends up once, in its grade record, and steps refer to it.

The v2 store is written here as the v2 code wrote it: shard files (TinyDB tables of ``model_dump`` JSON,
through the bulk loader at schema 2) plus one committed transaction still in the journal.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from appliance.store import Store
from appliance.store.engine._wal import WalWriter, encode_record
from appliance.store.maintenance import check_store
from appliance.store.migrations import MIGRATIONS, SCHEMA_VERSION, BulkLoader
from tests.store.conftest import options

WHEN = datetime(2026, 2, 3, 10, 0, tzinfo=UTC)
ISO = "2026-02-03T10:00:00Z"
LATER = "2026-02-03T11:00:00Z"
USER = "u0000000002"
SHARD = f"learners/{USER}/2026-02"
BOTH, EMPTIED, ORPHAN, PURGED, JOURNAL = (f"{USER}-202602-{c * 10}" for c in "bcdef")
TEXTS = {
    "first": "first zebra rationale: assess at the bedside",
    "again": "second zebra rationale after the recovery loop",
    "emptied": "quartz rationale whose record had lost its text",
    "orphan": "onyx rationale graded but never given a record",
    "journal": "jade rationale only in the v2 journal",
}
UNGRADED = "free text sent to a decision that asks for none"


def _grade(score: float, quote: str | None) -> dict[str, Any]:
    return {
        "score": score,
        "band": "strong" if score >= 0.6 else "insufficient",
        "passed": score >= 0.6,
        "key_points": [
            {"key_point_id": "assess", "met": True, "critical": True, "evidence": quote, "similarity": 0.8}
        ],
        "red_flags": [],
        "confidence": 0.9,
        "needs_review": False,
        "review_reason": None,
        "feedback": "",
        "model_id": "lexical",
        "model_version": "2",
        "latency_ms": 3.0,
    }


def _step(node: str, text: str | None, grade: dict[str, Any] | None) -> dict[str, Any]:
    """A step as v2's ``Step.model_dump(mode="json")`` wrote it: the text beside the grade."""
    return {
        "node_id": node,
        "kind": "decision",
        "choice_id": "escalate",
        "choice_rating": "best",
        "rationale": text,
        "grade": grade,
    }


def _attempt(attempt_id: str, steps: list[dict[str, Any]], redacted: bool = False) -> dict[str, Any]:
    graded = [s["grade"] for s in steps if s["grade"]]
    state = {
        "scenario_id": "sepsis-1",
        "node_id": "d9",
        "status": "active",
        "variables": {},
        "steps": steps,
        "last_grade": graded[-1] if graded else None,
        "fail_states": [],
        "outcome": None,
    }
    return {
        "attempt_id": attempt_id,
        "learner_id": USER,
        "module_id": "sepsis",
        "scenario_id": "sepsis-1",
        "module_version": None,
        "revision": len(steps) + 1,
        "state": state,
        "status": "active",
        "score": None,
        "passed": None,
        "started_at": ISO,
        "updated_at": LATER,
        "redacted_at": LATER if redacted else None,
    }


def _record(attempt_id: str, n: int, node: str, text: str | None, score: float) -> dict[str, Any]:
    return {
        "grade_id": f"{attempt_id}-{n:08x}",
        "attempt_id": attempt_id,
        "learner_id": USER,
        "module_id": "sepsis",
        "scenario_id": "sepsis-1",
        "node_id": node,
        "choice_id": "escalate",
        "rationale": text,
        "grade": _grade(score, text and text[:12]),
        "rubric_hash": "sha256:" + "2" * 64,
        "model_id": "lexical",
        "model_version": "2",
        "created_at": f"2026-02-03T10:0{n}:00Z",
        "override": None,
        "redacted_at": None,
    }


def _write_v2_store(data_dir: Path) -> None:
    first, again = TEXTS["first"], TEXTS["again"]
    with BulkLoader(data_dir, schema=2, clock=lambda: WHEN) as bulk:
        bulk.user(
            {
                "user_id": USER,
                "staff_id": "N0002",
                "display_name": "Grace Nurse",
                "roles": ["learner"],
                "job_role": "nicu-nurse",
                "pin_hash": "$argon2id$v=19$fixture",
                "failed_attempts": 0,
                "locked_until": None,
                "active": True,
                "revision": 1,
                "created_at": ISO,
                "updated_at": ISO,
            }
        )
        # Two answers at the same decision (a recovery loop back to it), each with its grade record.
        bulk.attempt(
            _attempt(
                BOTH,
                [_step("d0", first, _grade(0.9, first[:12])), _step("d0", again, _grade(0.4, again[:12]))],
            )
        )
        bulk.grade(_record(BOTH, 1, "d0", first, 0.9))
        bulk.grade(_record(BOTH, 2, "d0", again, 0.4))
        # A record whose text is gone while the step still has it.
        emptied = TEXTS["emptied"]
        bulk.attempt(_attempt(EMPTIED, [_step("d0", emptied, _grade(0.7, emptied[:12]))]))
        bulk.grade(_record(EMPTIED, 1, "d0", None, 0.7))
        # A graded step with no record at all, and an ungraded free text.
        orphan = TEXTS["orphan"]
        bulk.attempt(
            _attempt(ORPHAN, [_step("d0", orphan, _grade(0.8, orphan[:12])), _step("d1", UNGRADED, None)])
        )
        # Purged by retention under v2: the texts are gone from the step, the record is deleted.
        bulk.attempt(_attempt(PURGED, [_step("d0", None, _grade(0.5, None))], redacted=True))
    # One committed transaction still in the journal: a v2 appliance stopped before its checkpoint.
    text = TEXTS["journal"]
    ops = [
        ["put", SHARD, "attempts", JOURNAL, _attempt(JOURNAL, [_step("d0", text, _grade(0.6, text[:12]))])],
        ["put", SHARD, "grades", f"{JOURNAL}-00000001", _record(JOURNAL, 1, "d0", text, 0.6)],
    ]
    wal = WalWriter(data_dir / "store" / "wal", 1, 2)
    wal.append(encode_record({"lsn": 2, "at": ISO, "schema": 2, "ops": ops}), 2)
    wal.close()


def _current_shard_bytes(data_dir: Path) -> bytes:
    shards = data_dir / "store" / "shards"
    return b"".join(p.read_bytes() for p in shards.rglob("*.json") if p.is_file())


def test_the_v3_migration_is_the_last_one() -> None:
    assert SCHEMA_VERSION == 3 and MIGRATIONS[-1].from_version == 2


def test_every_v2_rationale_survives_once_in_its_grade_record(tmp_path: Path) -> None:
    data_dir = tmp_path / "v2"
    _write_v2_store(data_dir)
    with Store.open(data_dir, options=options()) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert [f.code for f in store.findings] == ["migrating", "migrated"]
        assert store.check(deep=True).ok
        attempts = {a.attempt_id: store.attempts.get(a.attempt_id) for a in store.attempts.for_learner(USER)}
        assert set(attempts) == {BOTH, EMPTIED, ORPHAN, PURGED, JOURNAL}
        records = store.grades.for_learner(USER)
        texts = [r.rationale for r in records if r.rationale is not None]
        assert sorted(texts) == sorted(TEXTS.values())  # every rationale, each once
        states = "".join(a.state.model_dump_json() for a in attempts.values() if a is not None)
        for text in (*TEXTS.values(), UNGRADED):
            assert text[:12] not in states  # neither the text nor a quote of it stays in a play state
        by_id = {r.grade_id: r for r in records}
        for attempt in attempts.values():
            assert attempt is not None
            for step in attempt.state.steps:
                if step.rationale_id is not None:
                    record = by_id[step.rationale_id]
                    assert (record.attempt_id, record.node_id) == (attempt.attempt_id, step.node_id)
                    assert step.grade is not None and step.grade.score == record.grade.score
        both = attempts[BOTH]
        assert both is not None
        assert [by_id[s.rationale_id].rationale for s in both.state.steps if s.rationale_id] == [
            TEXTS["first"],
            TEXTS["again"],
        ]
        orphan = store.grades.for_attempt(ORPHAN)
        assert len(orphan) == 1 and orphan[0].rationale == TEXTS["orphan"]
        assert orphan[0].grade.key_points[0].evidence == TEXTS["orphan"][:12]  # the quote went with it
        assert orphan[0].created_at == datetime.fromisoformat(LATER)
        purged = attempts[PURGED]
        assert purged is not None and purged.state.steps[0].rationale_id is None
        assert store.grades.for_attempt(PURGED) == ()
        store.checkpoint()
    disk = _current_shard_bytes(data_dir)
    for text in TEXTS.values():
        assert disk.count(text.encode()) == 1
    assert UNGRADED.encode() not in disk
    assert json.loads((data_dir / "store" / "store.json").read_text())["schema_version"] == 3


def test_a_migrated_store_opens_again_unchanged(tmp_path: Path) -> None:
    data_dir = tmp_path / "v2"
    _write_v2_store(data_dir)
    with Store.open(data_dir, options=options()) as store:
        before = sorted((g.grade_id, g.rationale or "") for g in store.grades.for_learner(USER))
    with Store.open(data_dir, options=options()) as store:
        assert store.findings == () or "migrating" not in [f.code for f in store.findings]
        assert sorted((g.grade_id, g.rationale or "") for g in store.grades.for_learner(USER)) == before


def test_a_deep_check_flags_a_v3_play_state_that_quotes_the_learner(tmp_path: Path) -> None:
    data_dir = tmp_path / "v3"
    text = TEXTS["first"]
    with BulkLoader(data_dir, schema=SCHEMA_VERSION, clock=lambda: WHEN) as bulk:
        for attempt_id, quote in ((BOTH, None), (EMPTIED, text[:12])):
            doc = _attempt(attempt_id, [_step("d0", None, _grade(0.9, quote))])
            doc["state"]["steps"] = [
                {**{k: v for k, v in step.items() if k != "rationale"}, "rationale_id": None}
                for step in doc["state"]["steps"]
            ]
            doc["state"]["last_grade"] = None
            bulk.attempt(doc)
    report = check_store(data_dir, deep=True)
    flagged = [f for f in report.findings if f.code == "record-invalid"]
    assert len(flagged) == 1 and EMPTIED in flagged[0].where and "no learner text" in flagged[0].message
