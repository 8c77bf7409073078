"""Dashboard benchmark: the cohort dashboard, review queue and agreement at a synthetic ward-year.

    .venv/bin/python benchmarks/bench_dashboard.py               # 300 staff, 150,000 graded rationales
    .venv/bin/python benchmarks/bench_dashboard.py --scale 0.1   # a quick run

The ward-year of ``wardyear.py`` (the storage benchmark's) is written with ``BulkLoader``; 2 % of the
grades carry a reviewer's decision (a third of them overrides), and 5 % are flagged for review. Then the
store is opened and timed: the dashboard figures (``DashboardService.build``) plus every chart's ECharts
options and their JSON (what the page sends), the first 100 queue entries, and agreement per rubric.
Each is run ``--repeat`` times; the first (the dashboard's running totals are built on first use, at
start-up in ``serve``) and the median are reported, with start-up and the size of the shard headers.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from wardyear import ward_year

from appliance.config import load_settings
from appliance.engine.curriculum import load_curriculum
from appliance.services._agreement import rubric_agreement
from appliance.services._curriculum import CurriculumService
from appliance.services.parts import DashboardService
from appliance.store import Store
from appliance.store.migrations import BulkLoader
from appliance.ui.widgets.charts import all_charts


def _reviewed(doc: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    grade = doc["grade"]
    agree = rng.random() < 0.67
    passed = grade["passed"] if agree else not grade["passed"]
    met = [
        kp["key_point_id"] for kp in grade["key_points"] if kp["met"] != (not agree and rng.random() < 0.5)
    ]
    at = datetime.fromisoformat(doc["created_at"]) + timedelta(days=rng.randint(0, 6))
    doc["override"] = {
        "reviewer_id": "u00000000299", "score": 0.8 if passed else 0.3, "band": "strong" if passed else "insufficient",
        "passed": passed, "reason": "bench", "at": at.isoformat(), "confirmed": agree, "key_points_met": met,
        "red_flags": [], "feedback": "",
    }  # fmt: skip
    return doc


def build(target: Path, scale: float) -> dict[str, int]:
    """Write the ward-year, with reviews, through ``BulkLoader``; return the counts."""
    rng = random.Random(7)
    counts: dict[str, int] = {}
    with BulkLoader(target) as bulk:
        for kind, doc in ward_year(scale):
            counts[kind] = counts.get(kind, 0) + 1
            if kind == "flush":
                bulk.flush(f"learners/{doc}/")
            elif kind == "event":
                bulk.event(doc[0], doc[1], subject=doc[2], created_at=datetime.fromisoformat(doc[3]))
            elif kind == "audit":
                bulk.put(f"audit/{doc['at'][:7]}", "entries", doc["entry_id"], doc)
            elif kind == "grade":
                if not doc["grade"]["needs_review"] and rng.random() < 0.02:
                    _reviewed(doc, rng)
                    counts["reviewed"] = counts.get("reviewed", 0) + 1
                bulk.grade(doc)
            else:
                getattr(bulk, kind)(doc)
    return counts


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """First and median wall time in ms, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return times[0], statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 300 staff, 150,000 graded rationales")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    curriculum = CurriculumService(load_curriculum(load_settings().curriculum_dir))
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as tmp:
        data = Path(tmp)
        started = time.perf_counter()
        counts = build(data, args.scale)
        print(f"built {counts.get('grade', 0):,} grades ({counts.get('reviewed', 0):,} reviewed) "
              f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
        for attempt in ("first", "second"):
            started = time.perf_counter()
            store = Store.open(data)
            print(f"store open ({attempt}): {(time.perf_counter() - started) * 1000:.0f} ms")
            if attempt == "first":
                store.close()
        learner_shards = [s for s in store._core.shards("learners/") if s.kind == "learner_month"]
        header = sum(len(json.dumps(s.summary)) for s in learner_shards)
        review = sum(
            len(json.dumps({k: s.summary.get(k) for k in ("rq", "rv", "dk")})) for s in learner_shards
        )
        print(f"learner-month header summaries: {len(learner_shards):,} shards, {header / 1e6:.1f} MB "
              f"({review / 1e6:.1f} MB of it review/dashboard keys)")  # fmt: skip
        try:
            service = DashboardService(store, curriculum)

            def dashboard() -> str:
                return json.dumps(all_charts(service.build()))

            rows = [
                ("dashboard: figures + chart options + JSON", dashboard),
                ("dashboard: figures only", service.build),
                ("review queue: first 100, most urgent first", lambda: store.reviews.queue(limit=100)),
                (
                    "agreement per rubric and key point",
                    lambda: rubric_agreement(store.reviews.comparisons(), {}),
                ),
            ]
            print(f"{'what':46} {'first ms':>9} {'median ms':>10}")
            for label, fn in rows:
                first, median, result = timed(fn, args.repeat)
                print(f"{label:46} {first:9.1f} {median:10.1f}")
                if isinstance(result, str):
                    print(f"{'  (chart JSON sent to the page)':46} {len(result) / 1000:8.1f} kB")
            board = service.build()
            print(f"checked: {sum(m.graded for m in board.modules):,} graded, {board.pending:,} waiting, "
                  f"{board.reviewed:,} reviewed, {len(board.months)} months, {len(board.decisions)} decisions")  # fmt: skip
        finally:
            store.close()


if __name__ == "__main__":
    main()
