"""Merge the second labelling pass into the evaluation set and report inter-labeller agreement.

Example:
    .venv/bin/python scripts/eval_agreement.py data/eval/demo_rationales.jsonl data/eval/labels_b.jsonl
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def _kappa(a: list[str], b: list[str]) -> float:
    """Cohen's kappa for two labellings of the same items."""
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    labels = set(a) | set(b)
    expected = sum((a.count(k) / n) * (b.count(k) / n) for k in labels)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def main() -> None:
    """Write ``label_b``/``met_b``/``red_flags_b`` into the set and print agreement figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dataset", type=Path)
    parser.add_argument("labels_b", type=Path)
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.dataset.read_text().splitlines() if line.strip()]
    second = {r["record"]: r for r in map(json.loads, args.labels_b.read_text().splitlines()) if r}
    if sorted(second) != list(range(len(rows))):
        raise SystemExit("labels_b must hold exactly one line per record, numbered from 0")
    for i, row in enumerate(rows):
        row["label_b"] = second[i]["label_b"]
        row["met_b"] = second[i]["met"]
        row["red_flags_b"] = second[i]["red_flags"]
    args.dataset.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    a = [r["label_a"] for r in rows]
    b = [r["label_b"] for r in rows]
    disagreements = [i for i in range(len(rows)) if a[i] != b[i]]
    same_points = sum(set(r["met"]) == set(r["met_b"]) for r in rows)
    same_flags = sum(set(r["red_flags"]) == set(r["red_flags_b"]) for r in rows)
    print(f"records: {len(rows)}")
    print(f"pass/fail agreement: {1 - len(disagreements) / len(rows):.3f}  Cohen's kappa: {_kappa(a, b):.3f}")
    print(f"disagreements to resolve: {len(disagreements)} {disagreements}")
    print(
        f"identical key-point sets: {same_points}/{len(rows)}; identical red-flag sets: {same_flags}/{len(rows)}"
    )


if __name__ == "__main__":
    main()
