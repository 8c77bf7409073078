"""The cohort dashboard: completion and pass rates by module, hospital role and competency over time, score
distributions per decision, the most-missed key points and the review backlog.

Built from the store's header summaries only (no learner's records are opened), so it stays fast at a
ward-year. Pass rates are rationale pass rates after review; completion is finished attempts over started.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from appliance.engine import DecisionNode
from appliance.services._curriculum import CurriculumService
from appliance.store import Store
from appliance.store.reports import DashboardCounts


@dataclass(frozen=True)
class Rate:
    """Counts for one group (a module, a role, a competency, in one month or overall)."""

    key: str
    label: str
    attempts: int = 0
    finished: int = 0
    graded: int = 0
    passed: int = 0
    score_sum: float = 0.0

    @property
    def completion(self) -> float | None:
        """Finished attempts over started ones."""
        return self.finished / self.attempts if self.attempts else None

    @property
    def pass_rate(self) -> float | None:
        """Passed rationales over graded ones (after review)."""
        return self.passed / self.graded if self.graded else None

    @property
    def mean_score(self) -> float | None:
        """Mean rationale score (after review)."""
        return self.score_sum / self.graded if self.graded else None


@dataclass(frozen=True)
class Series:
    """One line over months: pass and completion rate per month (None where nothing happened)."""

    key: str
    label: str
    completion: tuple[float | None, ...]
    pass_rate: tuple[float | None, ...]


@dataclass(frozen=True)
class DecisionScores:
    """The score distribution at one decision."""

    module_id: str
    node_id: str
    label: str
    bins: tuple[int, ...]
    graded: int
    passed: int


@dataclass(frozen=True)
class MissedPoint:
    """A key point and how often it was missed."""

    module_id: str
    node_id: str
    key_point_id: str
    text: str
    missed: int
    graded: int

    @property
    def rate(self) -> float:
        """Share of graded answers that missed it."""
        return self.missed / self.graded if self.graded else 0.0


@dataclass(frozen=True)
class Dashboard:
    """Everything the dashboard page draws."""

    months: tuple[str, ...]
    modules: tuple[Rate, ...]
    roles: tuple[Rate, ...]
    competencies: tuple[Rate, ...]
    module_series: tuple[Series, ...]
    role_series: tuple[Series, ...]
    competency_series: tuple[Series, ...]
    decisions: tuple[DecisionScores, ...]
    missed: tuple[MissedPoint, ...]
    pending: int
    reviewed: int
    pending_by_month: dict[str, int]
    reviewed_by_month: dict[str, int]

    @property
    def empty(self) -> bool:
        """True when there is nothing to draw yet."""
        return not self.modules and not self.pending and not self.reviewed


def _add(into: dict[str, list[float]], key: str, c: tuple[int, int, int, int, float]) -> None:
    row = into[key]
    for i, v in enumerate(c):
        row[i] += v


def _rates(groups: dict[str, list[float]], labels: dict[str, str]) -> tuple[Rate, ...]:
    return tuple(
        Rate(k, labels.get(k, k), int(v[0]), int(v[1]), int(v[2]), int(v[3]), v[4])
        for k, v in sorted(groups.items())
    )


class DashboardService:
    """Adds up the store's summaries into the dashboard's figures."""

    def __init__(self, store: Store, curriculum: CurriculumService) -> None:
        self._store = store
        self._curriculum = curriculum

    def build(
        self, since_month: str | None = None, until_month: str | None = None, module_id: str | None = None
    ) -> Dashboard:
        """The dashboard for a range of months (``YYYY-MM``, inclusive) and optionally one module."""
        counts = self._store.reviews.dashboard(
            since_month=since_month, until_month=until_month, module_id=module_id
        )
        return self.from_counts(counts)

    def from_counts(self, counts: DashboardCounts) -> Dashboard:
        """The dashboard for counts already read."""
        curriculum = self._curriculum.curriculum
        module_titles = {m.id: m.title for m in curriculum.modules}
        competencies_of = {m.id: m.competencies for m in curriculum.modules}
        taxonomy = curriculum.taxonomy
        role_titles = {r.id: r.title for r in taxonomy.roles} | {"unassigned": "No hospital role"}
        competency_titles = {c.id: c.title for c in taxonomy.competencies}
        months = tuple(sorted({m.month for m in counts.monthly} | set(counts.pending_by_month)))
        totals: dict[str, dict[str, list[float]]] = {
            k: defaultdict(lambda: [0, 0, 0, 0, 0.0]) for k in ("m", "r", "c")
        }
        monthly: dict[str, dict[tuple[str, str], list[float]]] = {
            k: defaultdict(lambda: [0, 0, 0, 0, 0.0]) for k in ("m", "r", "c")
        }
        for row in counts.monthly:
            c = (row.attempts, row.finished, row.graded, row.graded_passed, row.score_sum)
            groups = {
                "m": [row.module_id],
                "r": [row.job_role],
                "c": list(competencies_of.get(row.module_id, ())),
            }
            for kind, keys in groups.items():
                for key in keys:
                    _add(totals[kind], key, c)
                    row_m = monthly[kind][(key, row.month)]
                    for i, v in enumerate(c):
                        row_m[i] += v

        def series(kind: str, labels: dict[str, str]) -> tuple[Series, ...]:
            out = []
            for key in sorted(totals[kind]):
                comp, rate = [], []
                for month in months:
                    v = monthly[kind].get((key, month))
                    comp.append(v[1] / v[0] if v and v[0] else None)
                    rate.append(v[3] / v[2] if v and v[2] else None)
                out.append(Series(key, labels.get(key, key), tuple(comp), tuple(rate)))
            return tuple(out)

        titles = self._decision_titles()
        return Dashboard(
            months=months,
            modules=_rates(totals["m"], module_titles),
            roles=_rates(totals["r"], role_titles),
            competencies=_rates(totals["c"], competency_titles),
            module_series=series("m", module_titles),
            role_series=series("r", role_titles),
            competency_series=series("c", competency_titles),
            decisions=tuple(
                DecisionScores(
                    d.module_id, d.node_id, titles.get((d.module_id, d.node_id), (d.node_id, {}))[0], d.bins,
                    d.graded, d.passed,
                )
                for d in counts.decisions
            ),
            missed=tuple(
                sorted(
                    (
                        MissedPoint(
                            k.module_id, k.node_id, k.key_point_id,
                            titles.get((k.module_id, k.node_id), ("", {}))[1].get(k.key_point_id, k.key_point_id),
                            k.missed, k.graded,
                        )
                        for k in counts.missed
                    ),
                    key=lambda p: (-p.rate, -p.missed),
                )[:15]
            ),
            pending=counts.pending,
            reviewed=counts.reviewed,
            pending_by_month=counts.pending_by_month,
            reviewed_by_month=counts.reviewed_by_month,
        )  # fmt: skip

    def _decision_titles(self) -> dict[tuple[str, str], tuple[str, dict[str, str]]]:
        found = {}
        for module in self._curriculum.curriculum.modules:
            for scenario in module.scenarios:
                for node in scenario.nodes:
                    if isinstance(node, DecisionNode) and node.rubric is not None:
                        kps = {kp.id: kp.text for kp in node.rubric.key_points}
                        found[(module.id, node.id)] = (node.title, kps)
        return found
