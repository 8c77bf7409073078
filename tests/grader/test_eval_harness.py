"""The evaluation harness, run as a script on small made-up files in the external format."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from appliance.grader._metrics import accuracy, bootstrap, cohen_kappa, confusion, macro_f1, pearson, rmse
from tests.grader.conftest import FIXTURES, ONNX, ROOT, ensure_built

SCRIPT = ROOT / "scripts" / "eval_grader.py"
REQUIRED = {"n", "accuracy", "macro_f1", "latency_p50_ms", "latency_p95_ms"}


def run_harness(*args: str) -> tuple[str, dict]:
    ensure_built(ONNX)
    result = subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    return result.stdout, json.loads(last)


def test_binary_labels_give_accuracy_f1_confusion_and_latency() -> None:
    out, summary = run_harness(str(FIXTURES / "external_tiny.jsonl"))
    assert summary.keys() >= REQUIRED and summary["n"] == 14
    assert 0.5 <= summary["accuracy"] <= 1.0 and len(summary["accuracy_ci95"]) == 2
    assert summary["latency_p95_ms"] >= summary["latency_p50_ms"] > 0
    assert "confusion" in out and "macro-F1" in out


def test_numeric_scores_add_pearson_and_rmse() -> None:
    _, summary = run_harness(str(FIXTURES / "external_scores.jsonl"))
    assert {"pearson_r", "rmse", "pearson_r_ci95"} <= summary.keys()
    assert -1.0 <= summary["pearson_r"] <= 1.0 and summary["rmse"] >= 0


def test_exemplars_are_drawn_per_question_and_left_out_of_the_evaluation(tmp_path: Path) -> None:
    predictions = tmp_path / "predictions.jsonl"
    data = str(FIXTURES / "external_tiny.jsonl")
    out, summary = run_harness(
        data, "--exemplars", data, "--k", "2", "--seed", "3", "--predictions", str(predictions)
    )
    assert summary["n"] == 14 - 2 * 3  # three questions, two exemplars each
    assert "excluded because used as exemplars: 6" in out
    assert len(predictions.read_text().splitlines()) == summary["n"]


def test_calibration_on_too_few_answers_keeps_the_defaults() -> None:
    out, summary = run_harness(
        str(FIXTURES / "external_tiny.jsonl"), "--calibrate", str(FIXTURES / "external_scores.jsonl")
    )
    assert "only 8 usable answers; keeping the defaults" in out and summary.keys() >= REQUIRED


def test_calibration_is_cross_validated_by_question_and_never_worse(tmp_path: Path) -> None:
    rows = [json.loads(line) for line in (FIXTURES / "external_tiny.jsonl").read_text().splitlines()]
    many = tmp_path / "many.jsonl"
    many.write_text(
        "".join(
            json.dumps({**r, "question_id": f"{r['question_id']}-{n}"}) + "\n" for n in range(3) for r in rows
        )
    )
    out, summary = run_harness(str(FIXTURES / "external_tiny.jsonl"), "--calibrate", str(many))
    assert "calibration check, 5-fold by question" in out
    assert ("calibration rejected" in out) != ("calibrated key-point model on" in out)
    baseline = run_harness(str(FIXTURES / "external_tiny.jsonl"))[1]
    if "calibration rejected" in out:
        assert summary["accuracy"] == baseline["accuracy"]


def test_lift_grades_the_same_answers_with_and_without_the_drawn_exemplars() -> None:
    tiny = str(FIXTURES / "external_tiny.jsonl")
    out, summary = run_harness(tiny, "--exemplars", tiny, "--k", "2", "--lift")
    assert "exemplar lift on the same" in out
    assert set(summary["lift"]) == {"accuracy", "macro_f1", "correct_pass_rate", "false_pass_rate"}


def test_bad_records_are_reported_with_their_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question_id": "q", "student_answer": "x", "label": "correct"}\n')
    result = subprocess.run([sys.executable, str(SCRIPT), str(bad)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode != 0 and "bad.jsonl:1" in result.stderr


def test_agreement_metrics_on_known_values() -> None:
    gold = ["correct", "correct", "incorrect", "incorrect"]
    pred = ["correct", "incorrect", "incorrect", "incorrect"]
    assert accuracy(gold, pred) == 0.75
    assert macro_f1(gold, pred) == pytest.approx((2 / 3 + 0.8) / 2)
    assert confusion(gold, pred, ["correct", "incorrect"]) == [[1, 1], [0, 2]]
    assert cohen_kappa(gold, pred) == pytest.approx(0.5)
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0) and rmse([0, 1], [0, 0]) == pytest.approx(
        0.5**0.5
    )
    interval = bootstrap(lambda i: float(len(i)), 10)
    assert interval.value == 10 and interval.low == interval.high == 10
