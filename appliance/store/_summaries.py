"""Small per-shard summaries kept in each shard's header, so start-up and dashboards need no full scan.

A learner-month summary holds, per module, ``[attempts, finished, passed, grades, score_sum,
grades_passed]``, the learner's active attempts and the grades waiting for review. An outbox summary holds
its sequence range and the learners its events are about.
"""

from __future__ import annotations

from typing import Any

from appliance.store._layout import LEARNER_MONTH, kind_of
from appliance.store._review_summary import review_summary
from appliance.store.engine import Tables, freeze

FINISHED = frozenset({"ended", "stopped"})

# Positions in a module counter list.
ATTEMPTS, FINISHED_, PASSED, GRADES, SCORE_SUM, GRADES_PASSED = range(6)


def empty_counts() -> list[float]:
    """A zeroed module counter list."""
    return [0, 0, 0, 0, 0.0, 0]


def grade_outcome(doc: dict[str, Any]) -> tuple[float, bool]:
    """Score and pass of a stored grade document, after any review override."""
    override = doc.get("override")
    if override:
        return float(override["score"]), bool(override["passed"])
    grade = doc["grade"]
    return float(grade["score"]), bool(grade["passed"])


def _learner_month(tables: Tables) -> dict[str, Any]:
    modules: dict[str, list[float]] = {}
    active = []
    for doc in tables.get("attempts", {}).values():
        counts = modules.setdefault(doc["module_id"], empty_counts())
        counts[ATTEMPTS] += 1
        if doc["status"] in FINISHED:
            counts[FINISHED_] += 1
        if doc.get("passed"):
            counts[PASSED] += 1
        if doc["status"] == "active":
            active.append([doc["attempt_id"], doc["scenario_id"], doc["updated_at"]])
    review = []
    for doc in tables.get("grades", {}).values():
        counts = modules.setdefault(doc["module_id"], empty_counts())
        score, passed = grade_outcome(doc)
        counts[GRADES] += 1
        counts[SCORE_SUM] += score
        counts[GRADES_PASSED] += int(passed)
        if doc["grade"].get("needs_review") and not doc.get("override"):
            review.append([doc["grade_id"], doc["created_at"]])
    return {"m": modules, "active": active, "review": review, **review_summary(tables)}


def _outbox(tables: Tables) -> dict[str, Any]:
    events = tables.get("events", {})
    seqs = [doc["seq"] for doc in events.values()]
    subjects = sorted({doc["subject"] for doc in events.values() if doc.get("subject")})
    return {"first": min(seqs, default=0), "last": max(seqs, default=0), "subjects": subjects}


def summarize(name: str, tables: Tables) -> dict[str, Any]:
    """The header summary of a shard's contents."""
    kind = kind_of(name)
    if kind == LEARNER_MONTH:
        return freeze(_learner_month(tables))
    if kind == "outbox":
        return freeze(_outbox(tables))
    return {"count": sum(len(t) for t in tables.values())}
