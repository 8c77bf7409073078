"""Storage benchmark: a synthetic ward-year in the sharded store versus plain single-file TinyDB.

    .venv/bin/python benchmarks/bench_storage.py                 # full ward-year, plain TinyDB at 1% and 10%
    .venv/bin/python benchmarks/bench_storage.py --scale 0.1     # a quick run

A ward-year is 300 staff, 30,000 attempts, 150,000 graded rationales, 2,000 credentials, an outbox event
per grade and credential and 5,000 audit entries, spread over 12 months. It is written straight into
shard files with ``BulkLoader`` (no 150k fsyncs). Then: cold and warm start-up, acknowledged-write latency
with 4 concurrent writers (a graded decision = grade + attempt state + outbox event in one transaction,
and a one-record attempt save), a learner's progress (cold and warm), the cohort summary, and disk size.
Plain TinyDB (default ``JSONStorage``, one file, a lock around it since TinyDB is not thread-safe) gets the
same documents at smaller scales, time-boxed, with a linear extrapolation to full scale.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from wardyear import grade_doc, text, ward_year

from appliance.engine import Grade, PlayState
from appliance.store import GradeRecord, Store
from appliance.store.migrations import BulkLoader


def build_sharded(target: Path, scale: float) -> dict[str, int]:
    """Write a ward-year through ``BulkLoader``; return the counts."""
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
            else:
                getattr(bulk, kind)(doc)
    return counts


def build_plain(path: Path, scale: float) -> None:
    """Write the same documents as one TinyDB file in its default JSON layout."""
    tables: dict[str, dict[str, Any]] = {
        t: {} for t in ("users", "attempts", "grades", "credentials", "outbox", "audit")
    }
    for kind, doc in ward_year(scale):
        if kind == "flush":
            continue
        if kind == "event":
            doc = {"type": doc[0], "payload": doc[1], "subject": doc[2], "created_at": doc[3]}
        table = tables["outbox" if kind == "event" else kind + ("s" if kind != "audit" else "")]
        table[str(len(table) + 1)] = doc
    path.write_text(json.dumps(tables))


def _drop_cache(root: Path) -> None:
    for folder, _dirs, files in os.walk(root):
        for name in files:
            fd = os.open(Path(folder) / name, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def _timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _du(root: Path) -> int:
    return sum((Path(f) / n).stat().st_size for f, _d, ns in os.walk(root) for n in ns)


def _writers(
    run_op: Callable[[int, random.Random], None], threads: int, seconds: float, cap: int
) -> list[float]:
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def work(index: int) -> None:
        rng = random.Random(index)
        for _ in range(cap):
            if time.monotonic() > deadline:
                return
            ms = _timed(lambda: run_op(index, rng))
            with lock:
                latencies.append(ms)

    pool = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return latencies


def check_documents(scale: float) -> None:
    """Validate a sample of the generated documents against the store's record models."""
    seen: set[str] = set()
    for kind, doc in ward_year(min(scale, 0.01)):
        if kind in ("attempt", "grade") and kind not in seen:
            (GradeRecord if kind == "grade" else PlayState).model_validate(
                doc if kind == "grade" else doc["state"]
            )
            seen.add(kind)


def _states() -> list[PlayState]:
    rng = random.Random(3)
    grade = Grade.model_validate(grade_doc(rng))
    steps: list[dict[str, Any]] = []
    states = []
    for d in range(11):
        states.append(
            PlayState.model_validate({"scenario_id": "module-00-s1", "node_id": f"d{d}", "steps": steps})
        )
        steps = [
            *steps,
            {
                "node_id": f"d{d}",
                "kind": "decision",
                "choice_id": "escalate",
                "choice_rating": "best",
                "rationale_id": None,
                "grade": grade.without_text().model_dump(mode="json"),
            },
        ]
    return states


def bench_sharded(data_dir: Path, seconds: float) -> dict[str, float]:
    """Measure the sharded store on a bulk-loaded ward-year."""
    results: dict[str, float] = {}
    _drop_cache(data_dir)
    start = time.perf_counter()
    store = Store.open(data_dir)
    results["startup_cold"] = (time.perf_counter() - start) * 1000
    store.close()
    start = time.perf_counter()
    store = Store.open(data_dir)
    results["startup_warm"] = (time.perf_counter() - start) * 1000
    rng = random.Random(9)
    learners = rng.sample([u.user_id for u in store.users.list()], 20)
    cold, warm = [], []
    for user_id in learners:
        store.evict_cache()
        _drop_cache(data_dir / "store" / "shards" / "learners" / user_id)
        cold.append(_timed(lambda u=user_id: store.progress(u)))
        warm.append(_timed(lambda u=user_id: store.progress(u)))
    results["progress_cold_p50"], results["progress_cold_max"] = statistics.median(cold), max(cold)
    results["progress_warm_p50"] = statistics.median(warm)
    # The slow outliers above are full garbage collections walking the whole heap. Long-lived start-up
    # objects can be moved out of their way with gc.freeze(), as `appliance serve` should do once started.
    gc.collect()
    gc.freeze()
    frozen = []
    for user_id in rng.sample([u.user_id for u in store.users.list()], 20):
        store.evict_cache()
        _drop_cache(data_dir / "store" / "shards" / "learners" / user_id)
        frozen.append(_timed(lambda u=user_id: store.progress(u)))
    gc.unfreeze()
    results["progress_frozen_p50"], results["progress_frozen_max"] = statistics.median(frozen), max(frozen)
    results["progress_grades"] = statistics.mean(len(store.progress(u).grades) for u in learners[:3])
    results["cohort"] = statistics.median(_timed(store.cohort_summary) for _ in range(5))
    states = _states()
    grade = Grade.model_validate(grade_doc(random.Random(4)))
    writers = 4
    mine = [[u.user_id for u in store.users.list()][i * 10 : i * 10 + 10] for i in range(writers)]
    active: dict[str, tuple[str, int, int]] = {}
    for user_id in (u for group in mine for u in group):
        attempt = store.attempts.start(user_id, "module-00", "module-00-s1", states[0])
        active[user_id] = (attempt.attempt_id, attempt.revision, 0)
    decision_ms: list[float] = []
    single_ms: list[float] = []
    lock = threading.Lock()

    def op(index: int, rng: random.Random) -> None:
        user_id = rng.choice(mine[index])
        attempt_id, revision, decisions = active[user_id]
        if decisions == 10:
            attempt = store.attempts.start(user_id, "module-00", "module-00-s1", states[0])
            attempt_id, revision, decisions = attempt.attempt_id, attempt.revision, 0
        if rng.random() < 0.5:
            ms = _timed(
                lambda: store.attempts.save(attempt_id, states[decisions], expected_revision=revision)
            )
            bucket = single_ms
        else:

            def submit() -> None:
                with store.transaction():
                    record = store.grades.add(
                        attempt_id,
                        node_id=f"d{decisions}",
                        choice_id="escalate",
                        rationale=text(rng, 40, 90),
                        grade=grade,
                        rubric_hash="sha256:ab",
                    )
                    store.attempts.save(attempt_id, states[decisions + 1], expected_revision=revision)
                    store.outbox.append("rationale.graded", {"grade_id": record.grade_id}, subject=user_id)

            ms = _timed(submit)
            decisions += 1
            bucket = decision_ms
        with lock:
            bucket.append(ms)
        active[user_id] = (attempt_id, revision + 1, decisions)

    start = time.perf_counter()
    _writers(op, writers, seconds, 10**9)
    elapsed = time.perf_counter() - start
    for name, values in (("decision", decision_ms), ("single", single_ms)):
        results[f"{name}_p50"], results[f"{name}_p95"] = _pct(values, 0.5), _pct(values, 0.95)
        results[f"{name}_p99"], results[f"{name}_max"] = _pct(values, 0.99), max(values)
    results["writes_per_s"] = (len(decision_ms) + len(single_ms)) / elapsed
    store.close()
    results["disk_mb"] = _du(data_dir / "store") / 1e6
    return results


def bench_plain(path: Path, scale: float, seconds: float) -> dict[str, float]:
    """Measure plain single-file TinyDB (default JSONStorage) on the same documents at ``scale``."""
    build_plain(path, scale)
    results: dict[str, float] = {"disk_mb": path.stat().st_size / 1e6}
    _drop_cache(path.parent)
    holder: dict[str, TinyDB] = {}
    results["startup_cold"] = _timed(lambda: holder.setdefault("db", TinyDB(path)).table("users").all())
    db = holder["db"]
    attempts, grades, credentials, outbox = (
        db.table(t) for t in ("attempts", "grades", "credentials", "outbox")
    )
    users = [d["user_id"] for d in db.table("users").all()]
    learner = Query().learner_id
    progress = [
        _timed(
            lambda u=u: (
                attempts.search(learner == u),
                grades.search(learner == u),
                credentials.search(learner == u),
            )
        )
        for u in users[:5]
    ]
    results["progress_cold_p50"] = statistics.median(progress)

    def cohort() -> None:
        totals: dict[str, list[float]] = {}
        for doc in grades.all():
            row = totals.setdefault(doc["module_id"], [0, 0.0])
            row[0] += 1
            row[1] += doc["grade"]["score"]
        len(attempts.all())

    results["cohort"] = _timed(cohort)
    lock = threading.Lock()
    grade = grade_doc(random.Random(4))
    ids = [d.doc_id for d in attempts.all()[:40]]

    def op(index: int, rng: random.Random) -> None:
        with lock:  # TinyDB is not thread-safe: callers must serialise
            doc_id = rng.choice(ids[index * 10 : index * 10 + 10])
            attempts.update({"revision": rng.randint(1, 99)}, doc_ids=[doc_id])
            grades.insert({"attempt_id": str(doc_id), "rationale": text(rng, 40, 90), "grade": grade})
            outbox.insert({"type": "rationale.graded", "payload": {}})

    latencies = _writers(op, 4, seconds, 10**9)
    results["decision_p50"], results["decision_p95"] = _pct(latencies, 0.5), _pct(latencies, 0.95)
    results["decision_p99"], results["decision_max"] = _pct(latencies, 0.99), max(latencies)
    results["writes_per_s"] = len(latencies) / seconds
    results["write_samples"] = len(latencies)
    db.close()
    return results


def _row(
    label: str,
    key: str,
    sharded: dict[str, float],
    plains: list[tuple[float, dict[str, float]]],
    target: str,
    full: float,
    unit: str = "ms",
    scale_with_size: bool = True,
) -> str:
    def fmt(value: float | None) -> str:
        if value is None:
            return "-"
        return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"

    cells = [fmt(sharded.get(key))]
    for _scale, plain in plains:
        cells.append(fmt(plain.get(key)))
    if plains:
        scale, plain = plains[-1]
        value = plain.get(key)
        cells.append(fmt(value * full / scale if value is not None and scale_with_size else None))
    return f"| {label} ({unit}) | " + " | ".join(cells) + f" | {target} |"


def _percent(scale: float) -> str:
    return f"{scale * 100:g}%"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="Fraction of a ward-year for the sharded store."
    )
    parser.add_argument("--plain-scales", default="0.01,0.1", help="Fractions for plain TinyDB ('' to skip).")
    parser.add_argument("--seconds", type=float, default=15.0, help="How long the 4 writers run, per store.")
    parser.add_argument(
        "--workdir", type=Path, help="Where to build (default: a temp folder, removed after)."
    )
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-storage-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        check_documents(args.scale)
        start = time.perf_counter()
        counts = build_sharded(work / "sharded", args.scale)
        build_s = time.perf_counter() - start
        print(f"built {counts} in {build_s:.1f} s", flush=True)
        sharded = bench_sharded(work / "sharded", args.seconds)
        plains = []
        for scale in [float(s) for s in args.plain_scales.split(",") if s]:
            plains.append((scale, bench_plain(work / f"plain-{scale}.json", scale, args.seconds)))
            print(f"plain TinyDB at {_percent(scale)}: {plains[-1][1]}", flush=True)
        heads = " | ".join(f"plain TinyDB {_percent(s)}" for s, _ in plains)
        extra = f" | plain TinyDB extrapolated to {_percent(args.scale)}" if plains else ""
        print(f"\n| measure | sharded store ({_percent(args.scale)} ward-year) | {heads}{extra} | target |")
        print("|---" * (3 + len(plains) + bool(plains)) + "|")
        rows = [
            ("start-up, cold cache", "startup_cold", "< 2000"),
            ("start-up, warm cache", "startup_warm", ""),
            ("graded decision write p50, 4 writers", "decision_p50", ""),
            ("graded decision write p95, 4 writers", "decision_p95", "< 25"),
            ("graded decision write p99, 4 writers", "decision_p99", ""),
            ("graded decision write max, 4 writers", "decision_max", ""),
            ("one-record write p95, 4 writers", "single_p95", "< 25"),
            ("learner progress, cold", "progress_cold_p50", "< 50"),
            ("learner progress, cold, worst of 20", "progress_cold_max", "< 50"),
            ("learner progress, warm", "progress_warm_p50", "< 50"),
            ("learner progress, cold, after gc.freeze()", "progress_frozen_p50", "< 50"),
            ("learner progress, cold, after gc.freeze(), worst of 20", "progress_frozen_max", "< 50"),
            ("cohort summary", "cohort", "fast"),
        ]
        for label, key, target in rows:
            print(_row(label, key, sharded, plains, target, args.scale))
        print(
            _row(
                "acknowledged writes per second",
                "writes_per_s",
                sharded,
                plains,
                "",
                args.scale,
                "ops/s",
                False,
            )
        )
        print(_row("disk size", "disk_mb", sharded, plains, "", args.scale, "MB"))
        print(f"\nsharded store: {sharded}\nbulk build: {build_s:.1f} s")
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
