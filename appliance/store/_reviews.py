"""Reviews: the queue of flagged grades, reviewers' decisions, and what the educator's pages add up.

The queue, the comparisons and the dashboard counts come from shard header summaries (see
``_review_summary``), so listing them opens no learner's shard. A decision is written into the grade
record itself (its ``override``), so deleting a learner or purging rationales covers reviews too.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from appliance.store._dashboard_index import DashboardIndex
from appliance.store._errors import NotFound
from appliance.store._layout import AGGREGATES, USERS, attempt_of_grade, attempt_shard, learner_of, month_of
from appliance.store._records import Attempt, GradeRecord, ReviewOverride
from appliance.store._repo import Repository
from appliance.store._review_records import (
    DashboardCounts,
    DecisionCounts,
    KeyPointMisses,
    MonthlyCounts,
    QueueEntry,
    ReviewComparison,
)
from appliance.store._review_summary import REVIEW_KEYS, review_summary
from appliance.store.engine import Core, Shard

UNASSIGNED = "unassigned"


class Reviews(Repository):
    """The reviewer's view of graded rationales."""

    def __init__(self, core: Core) -> None:
        super().__init__(core)
        self._index = DashboardIndex()

    def _learner_shards(self, since_month: str | None = None, until_month: str | None = None) -> list[Shard]:
        found = []
        for shard in self._core.shards("learners/"):
            if shard.kind != "learner_month":
                continue
            month = shard.name.rsplit("/", 1)[1]
            if (since_month and month < since_month) or (until_month and month > until_month):
                continue
            found.append(shard)
        return found

    def _summary(self, shard: Shard) -> dict[str, Any]:
        summary = shard.summary
        if all(key in summary for key in REVIEW_KEYS):
            return summary
        return review_summary(shard.committed())  # a header from before these keys existed

    def job_roles(self) -> dict[str, str]:
        """Each user's hospital role (``unassigned`` when none)."""
        docs = self._table(USERS, "users").docs()
        return {doc["user_id"]: doc.get("job_role") or UNASSIGNED for doc in docs}

    def queue(
        self,
        *,
        module_id: str | None = None,
        node_id: str | None = None,
        reason: str | None = None,
        job_role: str | None = None,
        limit: int = 500,
    ) -> tuple[QueueEntry, ...]:
        """Grades waiting for a reviewer, most urgent first, newest first within the same urgency."""
        roles = self.job_roles() if job_role else {}
        entries = []
        for shard in self._learner_shards():
            learner = learner_of(shard.name) or ""
            if job_role and roles.get(learner, UNASSIGNED) != job_role:
                continue
            for grade_id, created, level, module, node, why in self._summary(shard)["rq"]:
                if (module_id and module != module_id) or (node_id and node != node_id):
                    continue
                if reason and reason.lower() not in why.lower():
                    continue
                entries.append((level, created, grade_id, learner, module, node, why))
        entries.sort(reverse=True)
        return tuple(
            QueueEntry(
                grade_id=grade_id, learner_id=learner, module_id=module, node_id=node,
                created_at=datetime.fromisoformat(created), urgency=level, reason=why,
            )
            for level, created, grade_id, learner, module, node, why in entries[:limit]
        )  # fmt: skip

    def decide(self, grade_id: str, decision: ReviewOverride) -> GradeRecord:
        """Record a reviewer's decision on a grade (replacing an earlier one), in the caller's transaction.

        :raises NotFound: no such grade.
        """
        table = self._table(attempt_shard(attempt_of_grade(grade_id))[1], "grades")
        with self._write():
            doc = table.doc(grade_id)
            if doc is None:
                raise NotFound(f"no grade {grade_id!r}")
            record = GradeRecord.model_validate({**doc, "override": decision.model_dump(mode="json")})
            table.put(grade_id, record.model_dump(mode="json"))
        return record

    def comparisons(self, module_id: str | None = None) -> tuple[ReviewComparison, ...]:
        """Every reviewed grade: the grader's verdict beside the reviewer's, oldest review first."""
        found = []
        for shard in self._learner_shards():
            learner = learner_of(shard.name) or ""
            for row in self._summary(shard)["rv"]:
                grade_id, module, node, at, rubric_hash, g_passed, r_passed, g_met, r_met, confirmed = row
                if module_id and module != module_id:
                    continue
                found.append(
                    ReviewComparison(
                        grade_id=grade_id, learner_id=learner, module_id=module, node_id=node,
                        reviewed_at=datetime.fromisoformat(at), rubric_hash=rubric_hash,
                        grader_passed=g_passed, reviewer_passed=r_passed, grader_met=tuple(g_met),
                        reviewer_met=tuple(r_met) if r_met is not None else None, confirmed=confirmed,
                    )
                )  # fmt: skip
        found.sort(key=lambda c: c.reviewed_at)
        return tuple(found)

    def dashboard(
        self, *, since_month: str | None = None, until_month: str | None = None, module_id: str | None = None
    ) -> DashboardCounts:
        """Monthly counts per module and role, score bins per decision, missed key points, review backlog."""
        self._index.refresh(self._learner_shards(), self.job_roles(), UNASSIGNED)
        monthly, bins, missed, pending, reviewed = self._index.collect(since_month, until_month, module_id)
        for doc in self._core.shard(AGGREGATES).table("modules").docs():  # deleted learners, anonymised
            if (since_month and doc["month"] < since_month) or (until_month and doc["month"] > until_month):
                continue
            if module_id and doc["module_id"] != module_id:
                continue
            c = doc["counts"]
            total = monthly.setdefault(
                (doc["month"], doc["module_id"], doc["job_role"]), [0, 0, 0, 0, 0, 0.0]
            )
            for i, j in enumerate((0, 1, 2, 3, 5, 4)):
                total[i] += c[j]
        return DashboardCounts(
            monthly=tuple(
                MonthlyCounts(
                    month=month, module_id=module, job_role=role, attempts=int(t[0]), finished=int(t[1]),
                    passed_attempts=int(t[2]), graded=int(t[3]), graded_passed=int(t[4]), score_sum=t[5],
                )
                for (month, module, role), t in sorted(monthly.items())
            ),
            decisions=tuple(
                DecisionCounts(
                    module_id=key.split("|")[0], node_id=key.split("|")[1], bins=tuple(c[:10]),
                    graded=c[10], passed=c[11],
                )
                for key, c in sorted(bins.items())
            ),
            missed=tuple(
                KeyPointMisses(
                    module_id=m, node_id=n, key_point_id=k, missed=value, graded=bins.get(f"{m}|{n}", [0] * 12)[10],
                )
                for (m, n, k), value in sorted((tuple(key.split("|")), v) for key, v in missed.items())
            ),
            pending_by_month=dict(sorted(pending.items())),
            reviewed_by_month=dict(sorted(reviewed.items())),
            pending=sum(pending.values()),
            reviewed=sum(reviewed.values()),
        )  # fmt: skip

    def graded(
        self, *, since: datetime | None = None, until: datetime | None = None, module_id: str | None = None
    ) -> Iterator[GradeRecord]:
        """Every graded rationale (for exports), learner by learner, oldest first within each month."""
        low = month_of(since) if since else None
        high = month_of(until) if until else None
        for shard in self._learner_shards(low, high):
            docs = sorted(shard.committed().get("grades", {}).values(), key=lambda d: d["created_at"])
            for doc in docs:
                if module_id and doc["module_id"] != module_id:
                    continue
                record = GradeRecord.model_validate(doc)
                if (since and record.created_at < since) or (until and record.created_at > until):
                    continue
                yield record

    def attempts(
        self, *, since: datetime | None = None, until: datetime | None = None, module_id: str | None = None
    ) -> Iterator[Attempt]:
        """Every attempt (for exports), learner by learner, oldest first within a month."""
        low = month_of(since) if since else None
        high = month_of(until) if until else None
        for shard in self._learner_shards(low, high):
            docs = sorted(shard.committed().get("attempts", {}).values(), key=lambda d: d["started_at"])
            for doc in docs:
                if module_id and doc["module_id"] != module_id:
                    continue
                attempt = Attempt.model_validate(doc)
                if (since and attempt.started_at < since) or (until and attempt.started_at > until):
                    continue
                yield attempt
