"""Running dashboard totals per month, kept current by re-adding only the shards whose summary changed.

A shard's header summary object is replaced on every commit, so "same object as last time" means "nothing
changed": a refresh checks ~3,600 identities at a ward-year and unpacks only the shards written since. A
shard that changed is taken out of its month's totals (from the summary it was added with) and added again.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from appliance.store._review_summary import REVIEW_KEYS, review_summary, unpack
from appliance.store.engine import Shard


def _counts() -> list[float]:
    return [0, 0, 0, 0, 0, 0.0]


def _bins() -> list[int]:
    return [0] * 12


@dataclass
class MonthTotals:
    """Everything added up for the shards of one month."""

    modules: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(_counts))
    """(module, role) -> attempts, finished, passed attempts, graded, graded passed, score sum."""
    decisions: dict[str, list[int]] = field(default_factory=lambda: defaultdict(_bins))
    missed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    pending: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    """(module, month flagged) -> waiting."""
    reviewed: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    """(module, month reviewed) -> reviewed."""


def _review_part(shard: Shard, summary: dict[str, Any]) -> dict[str, Any]:
    if all(key in summary for key in REVIEW_KEYS):
        return summary
    return review_summary(shard.committed())  # a header from before these keys existed


class DashboardIndex:
    """Per-month totals over learner-month shards, refreshed incrementally."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[str, tuple[dict[str, Any], str, str, dict[str, Any]]] = {}
        self.months: dict[str, MonthTotals] = defaultdict(MonthTotals)

    def _apply(self, summary: dict[str, Any], part: dict[str, Any], role: str, month: str, sign: int) -> None:
        totals = self.months[month]
        for module, c in summary.get("m", {}).items():
            row = totals.modules[(module, role)]
            # shard counters: attempts, finished, passed, grades, score_sum, grades_passed
            row[0] += sign * c[0]
            row[1] += sign * c[1]
            row[2] += sign * c[2]
            row[3] += sign * c[3]
            row[4] += sign * c[5]
            row[5] += sign * c[4]
        decisions, missed = unpack(part["dk"])
        for key, counts in decisions.items():
            into = totals.decisions[key]
            for i, value in enumerate(counts):
                into[i] += sign * value
        for key, value in missed.items():
            totals.missed[key] += sign * value
        for row in part["rq"]:
            totals.pending[(row[3], row[1][:7])] += sign
        for row in part["rv"]:
            totals.reviewed[(row[1], row[3][:7])] += sign

    def refresh(self, shards: Iterable[Shard], roles: dict[str, str], unassigned: str) -> None:
        """Bring the totals up to date with the shards' current summaries."""
        with self._lock:
            live = set()
            for shard in shards:
                name = shard.name
                live.add(name)
                summary = shard.summary
                role = roles.get(name.split("/")[1], unassigned)
                seen = self._seen.get(name)
                if seen is not None and seen[0] is summary and seen[1] == role:
                    continue
                if seen is not None:
                    self._apply(seen[0], seen[3], seen[1], seen[2], -1)
                month = name.rsplit("/", 1)[1]
                part = _review_part(shard, summary)
                self._apply(summary, part, role, month, 1)
                self._seen[name] = (summary, role, month, part)
            for name in [n for n in self._seen if n not in live]:
                summary, role, month, part = self._seen.pop(name)
                self._apply(summary, part, role, month, -1)

    def collect(
        self, since_month: str | None, until_month: str | None, module_id: str | None
    ) -> tuple[
        dict[tuple[str, str, str], list[float]],
        dict[str, list[int]],
        dict[str, int],
        dict[str, int],
        dict[str, int],
    ]:
        """Totals for a month range and module: monthly counts, score bins, misses, waiting and reviewed."""
        monthly: dict[tuple[str, str, str], list[float]] = {}
        bins: dict[str, list[int]] = defaultdict(_bins)
        missed: dict[str, int] = defaultdict(int)
        pending: dict[str, int] = defaultdict(int)
        reviewed: dict[str, int] = defaultdict(int)
        prefix = f"{module_id}|" if module_id else ""
        with self._lock:
            for month, totals in self.months.items():
                if (since_month and month < since_month) or (until_month and month > until_month):
                    continue
                for (module, role), counts in totals.modules.items():
                    if (not module_id or module == module_id) and any(counts):
                        monthly[(month, module, role)] = list(counts)
                for key, counts in totals.decisions.items():  # type: ignore[assignment]
                    if key.startswith(prefix) and counts[10]:
                        into = bins[key]
                        for i, value in enumerate(counts):
                            into[i] += value  # type: ignore[call-overload]
                for key, value in totals.missed.items():
                    if key.startswith(prefix) and value:
                        missed[key] += value
                for (module, when), n in totals.pending.items():
                    if (not module_id or module == module_id) and n:
                        pending[when] += n
                for (module, when), n in totals.reviewed.items():
                    if (not module_id or module == module_id) and n:
                        reviewed[when] += n
        return monthly, dict(bins), dict(missed), dict(pending), dict(reviewed)
