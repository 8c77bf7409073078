"""Grade every record of an evaluation and compute the report (used by scripts/eval_grader.py)."""

from __future__ import annotations

import itertools
import json
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from appliance.grader import RationaleRejected
from appliance.grader.backends import RubricGrader
from appliance.grader.evaluation import (
    Interval,
    accuracy,
    bootstrap,
    cohen_kappa,
    confusion,
    macro_f1,
    pearson,
    rmse,
)

LABELS = ("correct", "incorrect")


def _num(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 4)


def _ci(interval: Interval) -> list[float | None]:
    return [_num(interval.low), _num(interval.high)]


def _binary_block(gold: list[str], predicted: list[str], seed: int) -> dict[str, Any]:
    g, p = np.asarray(gold), np.asarray(predicted)
    acc = bootstrap(lambda i: accuracy(g[i], p[i]), len(g), seed=seed)
    f1 = bootstrap(lambda i: macro_f1(g[i], p[i], LABELS), len(g), seed=seed)
    return {
        "n": len(gold),
        "accuracy": _num(acc.value),
        "accuracy_ci95": _ci(acc),
        "macro_f1": _num(f1.value),
        "macro_f1_ci95": _ci(f1),
        "kappa": _num(cohen_kappa(gold, predicted)),
    }


def evaluate(
    grader: RubricGrader, records: list[Any], tasks: dict[str, Any], *, seed: int, predictions: Path | None
) -> dict[str, Any]:
    """Grade the records (rubric caches warmed first, so latency is per rationale) and compute agreement."""
    for task in tasks.values():
        grader.prepared(task.rubric, task.question, task.choice)
    rows = []
    for record in records:
        task = tasks[record.question_id]
        try:
            grade = grader.grade_text(task.question, record.student_answer, task.rubric, task.choice)
        except RationaleRejected:
            rows.append((record, None))
            continue
        rows.append((record, grade))
    gold = [r.gold for r, _ in rows]
    predicted = ["correct" if g is not None and g.passed else "incorrect" for _, g in rows]
    latencies = [g.latency_ms for _, g in rows if g is not None]
    headline = _binary_block(gold, predicted, seed)
    headline["latency_p50_ms"] = _num(float(np.percentile(latencies, 50))) if latencies else None
    headline["latency_p95_ms"] = _num(float(np.percentile(latencies, 95))) if latencies else None
    headline["needs_review_rate"] = _num(float(np.mean([g is None or g.needs_review for _, g in rows])))
    if any(r.score is not None for r, _ in rows):
        target = np.asarray([r.target for r, _ in rows])
        scored = np.asarray([g.score if g is not None else 0.0 for _, g in rows])
        r_ci = bootstrap(lambda i: pearson(target[i], scored[i]), len(rows), seed=seed)
        e_ci = bootstrap(lambda i: rmse(target[i], scored[i]), len(rows), seed=seed)
        headline.update(
            pearson_r=_num(r_ci.value), pearson_r_ci95=_ci(r_ci), rmse=_num(e_ci.value), rmse_ci95=_ci(e_ci)
        )
    wrong = [p for g, p in zip(gold, predicted, strict=True) if g == "incorrect"]
    headline["false_pass_rate"] = _num(wrong.count("correct") / len(wrong)) if wrong else None
    right = [p for g, p in zip(gold, predicted, strict=True) if g == "correct"]
    headline["correct_pass_rate"] = _num(right.count("correct") / len(right)) if right else None
    report: dict[str, Any] = {"headline": headline, "confusion": confusion(gold, predicted, LABELS)}
    report["reliability"] = _reliability(rows, gold, predicted)
    by_category: dict[str, list[int]] = defaultdict(list)
    for n, (record, _) in enumerate(rows):
        if record.category:
            by_category[record.category].append(n)
    report["by_category"] = {
        category: {
            **_binary_block([gold[i] for i in idx], [predicted[i] for i in idx], seed),
            "needs_review_rate": _num(
                float(np.mean([rows[i][1] is None or rows[i][1].needs_review for i in idx]))
            ),
        }
        for category, idx in sorted(by_category.items())
    }
    report["key_points"] = _key_point_agreement(rows, seed)
    report["red_flags"] = _red_flag_agreement(rows)
    if predictions:
        with predictions.open("w", encoding="utf-8") as out:
            for (record, grade), label in zip(rows, predicted, strict=True):
                out.write(json.dumps({
                    "question_id": record.question_id, "gold": record.gold, "predicted": label,
                    "category": record.category,
                    "grade": grade.model_dump(mode="json") if grade else None,
                }) + "\n")  # fmt: skip
    return report


def _reliability(rows: list[tuple[Any, Any]], gold: list[str], predicted: list[str]) -> list[dict[str, Any]]:
    """Of the grades with confidence in each bin, how many pass/fail calls were right."""
    edges = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0001)
    out = []
    for low, high in itertools.pairwise(edges):
        idx = [n for n, (_, g) in enumerate(rows) if g is not None and low <= g.confidence < high]
        if idx:
            right = sum(gold[i] == predicted[i] for i in idx) / len(idx)
            mean = float(np.mean([rows[i][1].confidence for i in idx]))
            out.append({"bin": [low, min(high, 1.0)], "n": len(idx), "mean_confidence": _num(mean),
                        "accuracy": _num(right)})  # fmt: skip
    return out


def _key_point_agreement(rows: list[tuple[Any, Any]], seed: int) -> dict[str, Any]:
    pairs: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for record, grade in rows:
        if record.met is None or grade is None or not record.decision:
            continue
        for result in grade.key_points:
            pairs[result.key_point_id].append((result.key_point_id in record.met, result.met))
    if not pairs:
        return {}
    flat = [p for ps in pairs.values() for p in ps]
    g = np.asarray([str(a) for a, _ in flat])
    p = np.asarray([str(b) for _, b in flat])
    overall = bootstrap(lambda i: accuracy(g[i], p[i]), len(flat), seed=seed)
    return {
        "n_decisions": len(flat),
        "accuracy": _num(overall.value),
        "accuracy_ci95": _ci(overall),
        "kappa": _num(cohen_kappa(list(g), list(p))),
        "per_key_point": {
            kp: {
                "n": len(ps),
                "accuracy": _num(accuracy([str(a) for a, _ in ps], [str(b) for _, b in ps])),
                "kappa": _num(cohen_kappa([str(a) for a, _ in ps], [str(b) for _, b in ps])),
            }
            for kp, ps in sorted(pairs.items())
        },
    }


def _red_flag_agreement(rows: list[tuple[Any, Any]]) -> dict[str, Any]:
    tp = fp = fn = 0
    seen = False
    for record, grade in rows:
        if record.red_flags is None or grade is None:
            continue
        seen = True
        gold, hit = set(record.red_flags), set(grade.red_flags)
        tp, fp, fn = tp + len(gold & hit), fp + len(hit - gold), fn + len(gold - hit)
    if not seen:
        return {}
    return {
        "true_pos": tp, "false_pos": fp, "false_neg": fn,
        "precision": _num(tp / (tp + fp)) if tp + fp else None,
        "recall": _num(tp / (tp + fn)) if tp + fn else None,
    }  # fmt: skip


def print_report(report: dict[str, Any]) -> None:
    """Print the report for people (the JSON summary line follows it)."""
    h = report["headline"]
    print(f"n = {h['n']}  (excluded because used as exemplars: {report.get('excluded_as_exemplars', 0)})")
    print(f"accuracy  {h['accuracy']}  95% CI {h['accuracy_ci95']}")
    print(f"macro-F1  {h['macro_f1']}  95% CI {h['macro_f1_ci95']}   kappa {h['kappa']}")
    if "pearson_r" in h:
        print(
            f"pearson r {h['pearson_r']}  95% CI {h['pearson_r_ci95']}   RMSE {h['rmse']}  95% CI {h['rmse_ci95']}"
        )
    print(
        f"latency   p50 {h['latency_p50_ms']} ms   p95 {h['latency_p95_ms']} ms   review rate {h['needs_review_rate']}"
    )
    print("confusion (rows gold, columns predicted; correct, incorrect):")
    for label, row in zip(LABELS, report["confusion"], strict=True):
        print(f"  {label:10} {row}")
    for category, block in report["by_category"].items():
        print(
            f"  [{category}] n={block['n']} acc={block['accuracy']} {block['accuracy_ci95']} "
            f"F1={block['macro_f1']} review={block['needs_review_rate']}"
        )
    kps = report["key_points"]
    if kps:
        print(
            f"key points: {kps['n_decisions']} decisions, accuracy {kps['accuracy']} {kps['accuracy_ci95']}, kappa {kps['kappa']}"
        )
        for kp, block in kps["per_key_point"].items():
            print(f"  {kp:28} n={block['n']} acc={block['accuracy']} kappa={block['kappa']}")
    if report["red_flags"]:
        print(f"red flags: {report['red_flags']}")
    print(f"false pass rate {h['false_pass_rate']}   pass rate of correct answers {h['correct_pass_rate']}")
    print("reliability (confidence bin: n, mean confidence, accuracy):")
    for row in report.get("reliability", []):
        print(
            f"  {row['bin'][0]:.2f}-{row['bin'][1]:.2f}: n={row['n']} conf={row['mean_confidence']} acc={row['accuracy']}"
        )
