"""AI-human agreement: per rubric and per key point, raw agreement and Cohen's kappa with their counts.

Kappa corrects agreement for chance: ``(p_o - p_e) / (1 - p_e)``. When both raters gave one label only it
is undefined (None): the counts say why. Key points are compared only on reviews that judged them one by one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from appliance.store.records import ReviewComparison

MIN_FLAG_COUNT = 3
"""Key points judged fewer times than this are never flagged (too few to say)."""


@dataclass(frozen=True)
class Agreement:
    """Agreement between the grader and reviewers on one binary judgement."""

    n: int
    agreed: int
    both_yes: int
    grader_only: int
    reviewer_only: int
    both_no: int

    @property
    def rate(self) -> float | None:
        """Share of judgements where they agreed."""
        return self.agreed / self.n if self.n else None

    @property
    def kappa(self) -> float | None:
        """Cohen's kappa, or None when it is undefined (no data, or one label only on both sides)."""
        if not self.n:
            return None
        n = self.n
        grader_yes = (self.both_yes + self.grader_only) / n
        reviewer_yes = (self.both_yes + self.reviewer_only) / n
        expected = grader_yes * reviewer_yes + (1 - grader_yes) * (1 - reviewer_yes)
        if expected >= 1.0:
            return None
        return (self.agreed / n - expected) / (1 - expected)


def agreement(pairs: Iterable[tuple[bool, bool]]) -> Agreement:
    """Count (grader, reviewer) label pairs."""
    counts = [0, 0, 0, 0]
    for grader, reviewer in pairs:
        counts[(0 if grader else 2) + (0 if reviewer else 1)] += 1
    both_yes, grader_only, reviewer_only, both_no = counts
    return Agreement(
        n=sum(counts), agreed=both_yes + both_no, both_yes=both_yes, grader_only=grader_only,
        reviewer_only=reviewer_only, both_no=both_no,
    )  # fmt: skip


@dataclass(frozen=True)
class KeyPointAgreement:
    """Agreement on one key point of one decision."""

    module_id: str
    node_id: str
    key_point_id: str
    agreement: Agreement
    flagged: bool = False


@dataclass(frozen=True)
class RubricAgreement:
    """Agreement on pass/fail at one decision, with the key points' agreement."""

    module_id: str
    node_id: str
    passed: Agreement
    overrides: int
    confirmations: int
    key_points: tuple[KeyPointAgreement, ...]


def rubric_agreement(
    comparisons: Iterable[ReviewComparison], key_points: dict[tuple[str, str], tuple[str, ...]]
) -> tuple[RubricAgreement, ...]:
    """Agreement per decision (``key_points`` gives each decision's key point ids), worst key points flagged.

    A key point is flagged when it was judged at least ``MIN_FLAG_COUNT`` times and its kappa is below 0.4
    (or, kappa undefined, its agreement is below 80 %).
    """
    by_decision: dict[tuple[str, str], list[ReviewComparison]] = defaultdict(list)
    for c in comparisons:
        by_decision[(c.module_id, c.node_id)].append(c)
    out = []
    for (module_id, node_id), items in sorted(by_decision.items()):
        kp_rows = []
        judged = [c for c in items if c.reviewer_met is not None]
        for kp in key_points.get((module_id, node_id), ()):
            a = agreement((kp in c.grader_met, kp in (c.reviewer_met or ())) for c in judged)
            kappa, rate = a.kappa, a.rate
            weak = a.n >= MIN_FLAG_COUNT and (
                (kappa is not None and kappa < 0.4) or (kappa is None and rate is not None and rate < 0.8)
            )
            kp_rows.append(KeyPointAgreement(module_id, node_id, kp, a, weak))
        out.append(
            RubricAgreement(
                module_id=module_id,
                node_id=node_id,
                passed=agreement((c.grader_passed, c.reviewer_passed) for c in items),
                overrides=sum(1 for c in items if not c.confirmed),
                confirmations=sum(1 for c in items if c.confirmed),
                key_points=tuple(kp_rows),
            )
        )
    return tuple(out)


def worst_key_points(rubrics: Iterable[RubricAgreement], limit: int = 10) -> tuple[KeyPointAgreement, ...]:
    """The flagged key points, least agreement first."""
    flagged = [kp for r in rubrics for kp in r.key_points if kp.flagged]
    flagged.sort(
        key=lambda kp: (
            kp.agreement.kappa if kp.agreement.kappa is not None else -2.0,
            kp.agreement.rate or 0,
        )
    )
    return tuple(flagged[:limit])
