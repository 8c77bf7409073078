"""What reviews teach: AI-human agreement, a replay of reviewed answers as exemplars are added, clusters.

The replay grades every reviewed answer at a decision again with the published rubric (no overlay) and
with the rubric as reviewers extended it, through the grader's public ``grade`` call. An answer is never
graded with the exemplar made from itself (leave-one-out), so the "after" figure is not agreement by copy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from appliance.engine import DecisionNode
from appliance.grader import Grader, OnnxGrader
from appliance.services._agreement import Agreement, RubricAgreement, agreement, rubric_agreement
from appliance.services._clusters import Cluster, Embed, clusters
from appliance.services._curriculum import CurriculumService
from appliance.services._grading import grade_decision
from appliance.services._rubrics import RubricSource, with_exemplars
from appliance.store import GradeRecord, Store


@dataclass(frozen=True)
class ReplayPoint:
    """Agreement with reviewers on pass/fail when the rubric has ``exemplars`` overlay exemplars."""

    exemplars: int
    agreement: Agreement


@dataclass(frozen=True)
class ReplayResult:
    """The replay of one decision's reviewed answers."""

    module_id: str
    node_id: str
    answers: int
    overlay: int
    points: tuple[ReplayPoint, ...]


class InsightsService:
    """Agreement, replay and misconception clusters over reviewed and failing answers."""

    def __init__(
        self, store: Store, curriculum: CurriculumService, grader: Grader, rubrics: RubricSource
    ) -> None:
        self._store = store
        self._curriculum = curriculum
        self._grader = grader
        self._rubrics = rubrics

    def _decisions(self) -> dict[tuple[str, str], tuple[str, DecisionNode]]:
        found = {}
        for module in self._curriculum.curriculum.modules:
            for scenario in module.scenarios:
                for node in scenario.nodes:
                    if isinstance(node, DecisionNode) and node.rubric is not None:
                        found[(module.id, node.id)] = (scenario.id, node)
        return found

    def agreement(self, module_id: str | None = None) -> tuple[RubricAgreement, ...]:
        """Agreement per decision on pass/fail and per key point, from every review so far."""
        key_points = {
            k: tuple(kp.id for kp in n.rubric.key_points)
            for k, (_, n) in self._decisions().items()
            if n.rubric
        }
        return rubric_agreement(self._store.reviews.comparisons(module_id), key_points)

    def overlay_counts(self) -> dict[tuple[str, str], int]:
        """How many reviewer exemplars each decision's rubric has."""
        counts: dict[tuple[str, str], int] = {}
        for e in self._store.overlays.all():
            counts[(e.module_id, e.node_id)] = counts.get((e.module_id, e.node_id), 0) + 1
        return counts

    def replay(self, module_id: str, node_id: str, limit: int = 60) -> ReplayResult:
        """Grade the decision's reviewed answers again with 0, some and all overlay exemplars.

        :raises KeyError: no such graded decision.
        """
        _, node = self._decisions()[(module_id, node_id)]
        assert node.rubric is not None
        rows = [c for c in self._store.reviews.comparisons(module_id) if c.node_id == node_id][-limit:]
        records = [
            r for r in (self._store.grades.get(c.grade_id) for c in rows) if r is not None and r.rationale
        ]
        overlay = self._rubrics.overlay(module_id, node_id)
        steps = (
            sorted({0, len(overlay) // 2, len(overlay)}) if len(overlay) >= 4 else sorted({0, len(overlay)})
        )
        points = []
        for k in steps:
            pairs = []
            for record in records:
                assert record.override is not None and record.rationale is not None
                used = tuple(e for e in overlay[:k] if e.source_grade_id != record.grade_id)
                rubric = with_exemplars(node.rubric, used)
                choice = next((c for c in node.choices if c.id == record.choice_id), node.choices[0])
                grade = grade_decision(self._grader, node, choice, record.rationale, rubric)
                pairs.append((grade.passed, record.override.passed))
            points.append(ReplayPoint(k, agreement(pairs)))
        return ReplayResult(module_id, node_id, len(records), len(overlay), tuple(points))

    def _embed(self) -> Embed | None:
        return self._grader.embedder.embed if isinstance(self._grader, OnnxGrader) else None

    def clusters(
        self, module_id: str, node_id: str, days: int = 365, limit: int = 300
    ) -> tuple[Cluster, ...]:
        """Failing answers at one decision (after review) over the last ``days``, grouped by meaning."""
        since = datetime.now(UTC) - timedelta(days=days)
        failing: list[GradeRecord] = [
            r
            for r in self._store.reviews.graded(since=since, module_id=module_id)
            if r.node_id == node_id and not r.passed and r.rationale
        ][-limit:]
        texts: Sequence[str] = [r.rationale or "" for r in failing]
        missed = [
            tuple(
                kp.key_point_id
                for kp in r.grade.key_points
                if kp.key_point_id
                not in (
                    r.override.key_points_met
                    if r.override and r.override.key_points_met is not None
                    else r.grade.met_ids
                )
            )
            for r in failing
        ]
        return clusters(texts, missed, self._embed())
