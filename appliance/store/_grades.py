"""Graded rationales: kept beside their attempt (same shard), so grade and attempt commit together."""

from __future__ import annotations

from appliance.engine import Band, Grade
from appliance.store._errors import NotFound
from appliance.store._layout import LEARNER_MONTH, attempt_of_grade, attempt_shard, new_grade_id
from appliance.store._records import GradeRecord, ReviewOverride
from appliance.store._repo import Repository


class Grades(Repository):
    """One record per graded rationale."""

    def add(
        self,
        attempt_id: str,
        *,
        node_id: str,
        choice_id: str | None,
        rationale: str,
        grade: Grade,
        rubric_hash: str,
    ) -> GradeRecord:
        """Record a graded rationale of an attempt (learner, module and scenario come from the attempt).

        :raises NotFound: no such attempt.
        """
        _learner, shard_name = attempt_shard(attempt_id)
        shard = self._core.shard(shard_name)
        with self._write():
            attempt = shard.table("attempts").doc(attempt_id)
            if attempt is None:
                raise NotFound(f"no attempt {attempt_id!r}")
            record = GradeRecord(
                grade_id=new_grade_id(attempt_id),
                attempt_id=attempt_id,
                learner_id=attempt["learner_id"],
                module_id=attempt["module_id"],
                scenario_id=attempt["scenario_id"],
                node_id=node_id,
                choice_id=choice_id,
                rationale=rationale,
                grade=grade,
                rubric_hash=rubric_hash,
                model_id=grade.model_id,
                model_version=grade.model_version,
                created_at=self._now(),
            )
            shard.table("grades").put(record.grade_id, record.model_dump(mode="json"))
        return record

    def get(self, grade_id: str) -> GradeRecord | None:
        """The grade with this id, or None."""
        doc = self._table(attempt_shard(attempt_of_grade(grade_id))[1], "grades").doc(grade_id)
        return GradeRecord.model_validate(doc) if doc else None

    def for_attempt(self, attempt_id: str) -> tuple[GradeRecord, ...]:
        """An attempt's grades, oldest first."""
        docs = [
            d
            for d in self._table(attempt_shard(attempt_id)[1], "grades").docs()
            if d["attempt_id"] == attempt_id
        ]
        docs.sort(key=lambda d: d["created_at"])
        return tuple(GradeRecord.model_validate(d) for d in docs)

    def for_learner(self, learner_id: str) -> tuple[GradeRecord, ...]:
        """A learner's grades, newest first."""
        docs = [
            doc
            for shard in self._core.shards(f"learners/{learner_id}/")
            if shard.kind == LEARNER_MONTH
            for doc in shard.table("grades").docs()
        ]
        docs.sort(key=lambda d: d["created_at"], reverse=True)
        return tuple(GradeRecord.model_validate(d) for d in docs)

    def review_queue(self, limit: int = 100) -> tuple[GradeRecord, ...]:
        """Grades the grader flagged for review and no reviewer has decided yet, oldest first."""
        waiting = sorted(
            (created, grade_id)
            for shard in self._core.shards("learners/")
            if shard.kind == LEARNER_MONTH
            for grade_id, created in shard.summary.get("review", ())
        )
        found = (self.get(grade_id) for _created, grade_id in waiting[:limit])
        return tuple(g for g in found if g is not None and g.override is None)

    def override(
        self, grade_id: str, *, reviewer_id: str, score: float, band: Band, passed: bool, reason: str
    ) -> GradeRecord:
        """Record a reviewer's decision on a grade (replacing an earlier override).

        :raises NotFound: no such grade.
        """
        table = self._table(attempt_shard(attempt_of_grade(grade_id))[1], "grades")
        with self._write():
            doc = table.doc(grade_id)
            if doc is None:
                raise NotFound(f"no grade {grade_id!r}")
            override = ReviewOverride(
                reviewer_id=reviewer_id, score=score, band=band, passed=passed, reason=reason, at=self._now()
            )
            record = GradeRecord.model_validate({**doc, "override": override.model_dump(mode="json")})
            table.put(grade_id, record.model_dump(mode="json"))
        return record
