"""The review queue: what the grader was unsure of, a reviewer's confirm or override, and what follows.

A decision is stored on the grade, audited, and sent to the outbox (a ``rationale.reviewed`` event and an
xAPI statement) in one transaction. Then the learner's module is judged again with reviewed scores, and a
module passed only after review earns its credential at that moment. A reviewed answer can become one of
its rubric's exemplars (a new overlay version the grader uses from the next answer on).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field

from appliance.engine import Band, DecisionNode, Module, PlayState, Rubric
from appliance.engine.curriculum import module_result
from appliance.services._credentials import CredentialAwarder
from appliance.services._curriculum import CurriculumService
from appliance.services._errors import PlayerError, ReviewInvalid, ReviewNotFound
from appliance.services._records import RecordsService
from appliance.services._reviewed import reviewed_states
from appliance.services._rubrics import RubricSource
from appliance.store import GradeRecord, InvalidInput, Store
from appliance.store.records import OverlayExemplar, QueueEntry, ReviewOverride


@dataclass(frozen=True)
class ReviewFilter:
    """Narrow the queue: by module, decision, review reason (words in it) and the learner's hospital role."""

    module_id: str | None = None
    node_id: str | None = None
    reason: str | None = None
    job_role: str | None = None


class ReviewDecision(BaseModel):
    """A reviewer's decision: confirm the grader, or override with a reason."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    confirm: bool = False
    passed: bool | None = None
    band: Band | None = None
    score: float | None = Field(default=None, ge=0.0, le=1.0)
    key_points_met: tuple[str, ...] | None = None
    red_flags: tuple[str, ...] | None = None
    reason: str = Field(default="", max_length=2000)
    feedback: str = Field(default="", max_length=4000)
    add_as_exemplar: bool = False


@dataclass(frozen=True)
class ReviewItem:
    """One queued (or reviewed) rationale with everything a reviewer needs to judge it."""

    record: GradeRecord
    urgency: int
    reason: str
    module_title: str
    scenario_title: str
    decision: DecisionNode
    choice_label: str
    rubric: Rubric
    learner_role: str


@dataclass(frozen=True)
class ReviewOutcome:
    """What a decision did: the updated grade, credentials it awarded, and any exemplar it added."""

    record: GradeRecord
    awarded: tuple[str, ...] = ()
    exemplar: OverlayExemplar | None = None


def _band(score: float, passed: bool, threshold: float, red_flags: bool) -> Band:
    if red_flags:
        return Band.UNSAFE
    if not passed:
        return Band.INSUFFICIENT
    return Band.STRONG if score >= threshold + (1 - threshold) / 2 else Band.ADEQUATE


def fitted_score(rubric: Rubric, met: tuple[str, ...], band: Band) -> float:
    """The share of key-point weight met, moved into the band's range (the reviewer's band wins)."""
    threshold = rubric.pass_threshold
    strong = threshold + (1 - threshold) / 2
    score = sum(kp.weight for kp in rubric.key_points if kp.id in met) / rubric.total_weight
    low, high = {
        Band.STRONG: (strong, 1.0),
        Band.ADEQUATE: (threshold, strong - 0.0001),
        Band.INSUFFICIENT: (0.0, threshold - 0.01),
        Band.UNSAFE: (0.0, threshold - 0.01),
    }[band]
    return min(max(score, low), high)


class ReviewService:
    """The reviewer's side, over the store, the curriculum, the credential awarder and the records."""

    def __init__(
        self,
        store: Store,
        curriculum: CurriculumService,
        awarder: CredentialAwarder,
        rubrics: RubricSource,
        records: RecordsService,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._clock = clock
        self._store = store
        self._curriculum = curriculum
        self._awarder = awarder
        self._rubrics = rubrics
        self._records = records

    def queue(self, where: ReviewFilter = ReviewFilter(), limit: int = 200) -> tuple[QueueEntry, ...]:
        """Grades waiting for review: red flags and possible injections first, then newest first."""
        return self._store.reviews.queue(
            module_id=where.module_id, node_id=where.node_id, reason=where.reason, job_role=where.job_role,
            limit=limit,
        )  # fmt: skip

    def items(self, where: ReviewFilter = ReviewFilter(), limit: int = 50) -> tuple[ReviewItem, ...]:
        """The first ``limit`` queued grades with their decisions and rubrics."""
        found = []
        for entry in self.queue(where, limit):
            try:
                found.append(self.item(entry.grade_id, entry))
            except ReviewNotFound:
                continue  # the module left the curriculum: nothing to judge it against here
        return tuple(found)

    def _record(self, grade_id: str) -> GradeRecord:
        try:
            record = self._store.grades.get(grade_id)
        except InvalidInput:
            record = None
        if record is None:
            raise ReviewNotFound(f"There is no graded answer '{grade_id}'.")
        return record

    def _decision(self, record: GradeRecord) -> DecisionNode:
        try:
            node = self._curriculum.scenario(record.module_id, record.scenario_id).node(record.node_id)
        except (PlayerError, KeyError) as err:
            raise ReviewNotFound(
                f"The decision of grade '{record.grade_id}' is not in the curriculum."
            ) from err
        if not isinstance(node, DecisionNode) or node.rubric is None:
            raise ReviewNotFound(f"'{record.node_id}' is not a graded decision.")
        return node

    def item(self, grade_id: str, entry: QueueEntry | None = None) -> ReviewItem:
        """One grade with its decision, choice and the rubric it is judged against.

        :raises ReviewNotFound: no such grade, or its decision is not in the curriculum.
        """
        record = self._record(grade_id)
        node = self._decision(record)
        module = self._curriculum.module(record.module_id)
        rubric = self._rubrics.rubric_for(record.module_id, node)
        assert rubric is not None
        choice = next((c.label for c in node.choices if c.id == record.choice_id), record.choice_id or "")
        user = self._store.users.get(record.learner_id)
        return ReviewItem(
            record=record,
            urgency=entry.urgency if entry else 0,
            reason=entry.reason if entry else (record.grade.review_reason or ""),
            module_title=module.title,
            scenario_title=module.scenario(record.scenario_id).title,
            decision=node,
            choice_label=choice,
            rubric=rubric,
            learner_role=(user.job_role if user else None) or "unassigned",
        )

    def _override(
        self, reviewer_id: str, record: GradeRecord, rubric: Rubric, d: ReviewDecision
    ) -> ReviewOverride:
        grade = record.grade
        kp_ids = {kp.id for kp in rubric.key_points}
        rf_ids = {rf.id for rf in rubric.red_flags}
        if d.confirm:
            return ReviewOverride(
                reviewer_id=reviewer_id, score=grade.score, band=grade.band, passed=grade.passed,
                reason=d.reason.strip() or "confirmed", at=self._clock(), confirmed=True,
                key_points_met=grade.met_ids, red_flags=grade.red_flags, feedback=d.feedback.strip(),
            )  # fmt: skip
        if d.passed is None:
            raise ReviewInvalid("Say whether the answer passes.")
        if not d.reason.strip():
            raise ReviewInvalid("An override needs a reason (it goes to the audit log).")
        met = d.key_points_met if d.key_points_met is not None else grade.met_ids
        flags = d.red_flags if d.red_flags is not None else grade.red_flags
        unknown = sorted((set(met) - kp_ids) | (set(flags) - rf_ids))
        if unknown:
            raise ReviewInvalid(f"Not in this rubric: {', '.join(unknown)}.")
        if d.passed and flags:
            raise ReviewInvalid("An answer with a red flag cannot pass; clear the red flag or fail it.")
        threshold = rubric.pass_threshold
        weight = sum(kp.weight for kp in rubric.key_points if kp.id in met) / rubric.total_weight
        band = d.band or _band(weight, d.passed, threshold, bool(flags))
        if (band in (Band.STRONG, Band.ADEQUATE)) != d.passed:
            raise ReviewInvalid(f"The band '{band.value}' contradicts the verdict: choose a band that fits.")
        score = d.score if d.score is not None else fitted_score(rubric, met, band)
        return ReviewOverride(
            reviewer_id=reviewer_id, score=round(score, 4), band=band, passed=d.passed, reason=d.reason.strip(),
            at=self._clock(), confirmed=False, key_points_met=tuple(sorted(met)),
            red_flags=tuple(sorted(flags)), feedback=d.feedback.strip(),
        )  # fmt: skip

    def decide(self, reviewer_id: str, grade_id: str, decision: ReviewDecision) -> ReviewOutcome:
        """Confirm or override a grade; audit it, queue it for sync, and award what the review earns.

        :raises ReviewNotFound: no such grade.
        :raises ReviewInvalid: an override without a verdict or reason, or labels not in the rubric.
        """
        record = self._record(grade_id)
        node = self._decision(record)
        rubric = self._rubrics.rubric_for(record.module_id, node)
        assert rubric is not None
        override = self._override(reviewer_id, record, rubric, decision)
        action = "review.confirm" if override.confirmed else "review.override"
        with self._store.transaction():
            updated = self._store.reviews.decide(grade_id, override)
            self._store.audit.record(
                reviewer_id, action, grade_id,
                {
                    "grader": {"score": record.grade.score, "passed": record.grade.passed, "band": record.grade.band.value},
                    "reviewer": {"score": override.score, "passed": override.passed, "band": override.band.value},
                    "reason": override.reason,
                },
            )  # fmt: skip
            self._store.outbox.append(
                "rationale.reviewed",
                {
                    "grade_id": grade_id, "reviewer_id": reviewer_id, "confirmed": override.confirmed,
                    "score": override.score, "passed": override.passed, "band": override.band.value,
                    "key_points_met": list(override.key_points_met or ()), "reason": override.reason,
                },
                subject=record.learner_id,
            )  # fmt: skip
            reviewed = self._records.xapi.reviewed(updated)
            if reviewed is not None:
                self._records.queue(reviewed, record.learner_id)
        awarded = self._award_after_review(record.learner_id, record.module_id)
        exemplar = self.add_exemplar(reviewer_id, grade_id) if decision.add_as_exemplar else None
        return ReviewOutcome(updated, awarded, exemplar)

    def reviewed_states(self, learner_id: str, module: Module) -> dict[str, PlayState]:
        """The learner's latest finished play state per scenario, with reviewed scores in place."""
        return reviewed_states(self._store, learner_id, module)

    def _award_after_review(self, learner_id: str, module_id: str) -> tuple[str, ...]:
        module = self._curriculum.module(module_id)
        result = module_result(module, self.reviewed_states(learner_id, module))
        if not result.passed:
            return ()
        evidence = {
            "module_id": module.id, "module_version": module.version, "average_score": result.average_score,
            "reviewed": True,
        }  # fmt: skip
        return tuple(s.title for s in self._awarder.award_for_module(learner_id, module, evidence))

    def add_exemplar(self, reviewer_id: str, grade_id: str) -> OverlayExemplar:
        """Add a reviewed answer to its rubric's exemplars, with the reviewer's labels (a new rubric version).

        :raises ReviewNotFound: no such grade.
        :raises ReviewInvalid: the answer was not reviewed yet, or its text was purged.
        """
        record = self._record(grade_id)
        review = record.override
        if review is None:
            raise ReviewInvalid("Review the answer first: the exemplar takes the reviewer's labels.")
        if not record.rationale:
            raise ReviewInvalid("The text of this answer was removed under the retention policy.")
        existing = self._store.overlays.for_decision(record.module_id, record.node_id)
        if any(e.source_grade_id == grade_id for e in existing):
            raise ReviewInvalid("This answer is already one of the rubric's exemplars.")
        with self._store.transaction():
            exemplar = self._store.overlays.add(
                record.module_id, record.node_id, text=record.rationale, score=review.score,
                met=review.key_points_met if review.key_points_met is not None else record.grade.met_ids,
                red_flags=review.red_flags or (), added_by=reviewer_id, source_grade_id=grade_id,
                note=f"reviewed answer: {review.reason}"[:300],
            )  # fmt: skip
            self._store.audit.record(
                reviewer_id, "rubric.exemplar_added", f"{record.module_id}/{record.node_id}",
                {"grade_id": grade_id, "overlay_version": exemplar.seq},
            )  # fmt: skip
            self._store.outbox.append(
                "rubric.exemplar_added",
                {"module_id": record.module_id, "node_id": record.node_id, "overlay_version": exemplar.seq,
                 "grade_id": grade_id, "score": exemplar.score, "met": list(exemplar.met)},
            )  # fmt: skip
        self._rubrics.forget(record.module_id, record.node_id)
        return exemplar

    def for_learner(self, learner_id: str) -> tuple[GradeRecord, ...]:
        """A learner's graded answers, newest first, with any review on each."""
        return self._store.grades.for_learner(learner_id)
