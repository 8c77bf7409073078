"""Read-side queries the UI needs fast: a learner's progress and the cohort summary.

The cohort summary never opens a learner's shard: it adds up the per-shard summaries read from shard
headers at start-up (kept current on every commit) and the anonymised counts left by deleted learners
and expired rationales.
"""

from __future__ import annotations

from collections import defaultdict

from appliance.store._attempts import summary_of
from appliance.store._layout import AGGREGATES, LEARNER_MONTH, USERS, learner_credentials, learner_of
from appliance.store._records import Credential, GradeRecord, User
from appliance.store._reports import CohortSummary, LearnerProgress, ModuleStats
from appliance.store._summaries import (
    ATTEMPTS,
    FINISHED_,
    GRADES,
    GRADES_PASSED,
    PASSED,
    SCORE_SUM,
    empty_counts,
)
from appliance.store.engine import Core

UNASSIGNED = "unassigned"


def progress(core: Core, user_id: str) -> LearnerProgress:
    """Everything on a learner's progress page: attempts (without state), grades and credentials."""
    user_doc = core.shard(USERS).table("users").doc(user_id)
    attempts, grades = [], []  # type: ignore[var-annotated]
    for shard in core.shards(f"learners/{user_id}/"):
        if shard.kind != LEARNER_MONTH:
            continue
        tables = shard.committed()
        attempts.extend(tables.get("attempts", {}).values())
        grades.extend(tables.get("grades", {}).values())
    attempts.sort(key=lambda d: d["started_at"], reverse=True)
    grades.sort(key=lambda d: d["created_at"], reverse=True)
    credentials = sorted(
        core.shard(learner_credentials(user_id)).table("credentials").docs(),
        key=lambda d: d["issued_at"],
        reverse=True,
    )
    return LearnerProgress(
        user=User.model_validate(user_doc) if user_doc else None,
        attempts=tuple(summary_of(d) for d in attempts),
        grades=tuple(GradeRecord.model_validate(d) for d in grades),
        credentials=tuple(Credential.model_validate(d) for d in credentials),
    )


def _stats(module_id: str, role: str | None, counts: list[float], learners: int) -> ModuleStats:
    graded = int(counts[GRADES])
    return ModuleStats(
        module_id=module_id,
        job_role=role,
        learners=learners,
        attempts=int(counts[ATTEMPTS]),
        finished=int(counts[FINISHED_]),
        passed_attempts=int(counts[PASSED]),
        graded_rationales=graded,
        rationales_passed=int(counts[GRADES_PASSED]),
        mean_score=counts[SCORE_SUM] / graded if graded else None,
    )


def cohort_summary(core: Core, since_month: str | None = None) -> CohortSummary:
    """Per module, and per module and hospital role: attempts, pass rates and mean rationale score."""
    roles = {
        doc["user_id"]: doc.get("job_role") or UNASSIGNED for doc in core.shard(USERS).table("users").docs()
    }
    counts: dict[tuple[str, str], list[float]] = defaultdict(empty_counts)
    learners: dict[tuple[str, str], set[str] | int] = defaultdict(set)
    extra_learners: dict[tuple[str, str], int] = defaultdict(int)
    active_learners: set[str] = set()
    for shard in core.shards("learners/"):
        if shard.kind != LEARNER_MONTH or (since_month and shard.name.rsplit("/", 1)[1] < since_month):
            continue
        learner = learner_of(shard.name) or ""
        role = roles.get(learner, UNASSIGNED)
        for module_id, module_counts in shard.summary.get("m", {}).items():
            key = (module_id, role)
            total = counts[key]
            for i, value in enumerate(module_counts):
                total[i] += value
            learner_set = learners[key]
            assert isinstance(learner_set, set)
            learner_set.add(learner)
            active_learners.add(learner)
    aggregates = core.shard(AGGREGATES)
    for doc in aggregates.table("modules").docs():
        if since_month and doc["month"] < since_month:
            continue
        total = counts[(doc["module_id"], doc["job_role"])]
        for i, value in enumerate(doc["counts"]):
            total[i] += value
    for doc in aggregates.table("learners").docs():
        extra_learners[(doc["module_id"], doc["job_role"])] += doc["learners"]
    by_role = []
    per_module: dict[str, list[float]] = defaultdict(empty_counts)
    per_module_learners: dict[str, int] = defaultdict(int)
    for (module_id, role), total in sorted(counts.items()):
        learner_set = learners.get((module_id, role), set())
        n = (len(learner_set) if isinstance(learner_set, set) else 0) + extra_learners[(module_id, role)]
        by_role.append(_stats(module_id, role, total, n))
        for i, value in enumerate(total):
            per_module[module_id][i] += value
        per_module_learners[module_id] += n
    deleted = (aggregates.table("people").doc("deleted") or {}).get("count", 0)
    return CohortSummary(
        modules=tuple(_stats(m, None, c, per_module_learners[m]) for m, c in sorted(per_module.items())),
        by_role=tuple(by_role),
        learners=len(active_learners),
        deleted_learners=deleted,
    )
