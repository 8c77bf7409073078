"""How much do reviewers' overrides teach the grader? Agreement before and after adding them as exemplars.

Example:
    .venv/bin/python scripts/eval_review_replay.py data/eval/demo_rationales.jsonl
    .venv/bin/python scripts/eval_review_replay.py data/eval/demo_rationales.jsonl --models-dir models

Protocol, per decision of the double-labelled demo set: answers are split (seeded) into a "past" half and a
"future" half. The grader grades the past half with the published rubric; every answer where it disagrees
with the educator's pass/fail label (``label``) becomes an override, added to the rubric's exemplars with
the educator's key-point labels, as the review queue's one-click "add to exemplars" does. Then agreement
(rate and Cohen's kappa with the educator) is measured on the future half, which no exemplar came from,
with the published rubric and with the extended one. Only the grader's public ``grade`` call is used.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from appliance.config import load_settings
from appliance.engine import Band, DecisionNode
from appliance.engine.curriculum import load_curriculum
from appliance.grader import load_grader
from appliance.services import grade_decision
from appliance.services._agreement import Agreement, agreement
from appliance.services._review import fitted_score
from appliance.services._rubrics import with_exemplars
from appliance.store.records import OverlayExemplar


def _fmt(a: Agreement) -> str:
    kappa = "  n/a" if a.kappa is None else f"{a.kappa:5.2f}"
    return f"{a.agreed:3d}/{a.n:<3d} {100 * (a.rate or 0):5.1f}%  κ {kappa}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--models-dir", type=Path, help="Models folder (default: the configured one).")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    settings = load_settings(models_dir=args.models_dir, grader_warm_up=False)
    grader = load_grader(settings)
    print(f"grader: {grader.describe().backend} {grader.describe().model_id}")
    curriculum = load_curriculum(settings.curriculum_dir)
    nodes: dict[str, tuple[str, DecisionNode]] = {}
    for module in curriculum.modules:
        for scenario in module.scenarios:
            for node in scenario.nodes:
                if isinstance(node, DecisionNode) and node.rubric is not None:
                    nodes[node.id] = (module.id, node)
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in args.dataset.read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            rows[row["decision_id"]].append(row)
    rng = random.Random(args.seed)
    totals: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    print(f"{'decision':22} {'overrides':>9}  {'before (future half)':>24}  {'after (future half)':>24}")
    for decision_id, items in sorted(rows.items()):
        module_id, node = nodes[decision_id]
        assert node.rubric is not None
        rng.shuffle(items)
        past, future = items[: len(items) // 2], items[len(items) // 2 :]
        overlay = []
        for row in past:
            choice = node.choice(row["choice_id"])
            grade = grade_decision(grader, node, choice, row["student_answer"])
            educator = row["label"] == "correct"
            if grade.passed != educator:
                met = tuple(m for m in row["met"] if m in {kp.id for kp in node.rubric.key_points})
                band = Band.ADEQUATE if educator else (Band.UNSAFE if row["red_flags"] else Band.INSUFFICIENT)
                overlay.append(
                    OverlayExemplar(
                        module_id=module_id, node_id=decision_id, seq=len(overlay) + 1, text=row["student_answer"],
                        score=fitted_score(node.rubric, met, band), met=met, red_flags=tuple(row["red_flags"]),
                        added_by="eval", added_at=datetime.now(UTC),
                    )
                )  # fmt: skip
        extended = with_exemplars(node.rubric, tuple(overlay))
        pairs: dict[str, list[tuple[bool, bool]]] = {"before": [], "after": []}
        for row in future:
            choice = node.choice(row["choice_id"])
            educator = row["label"] == "correct"
            for name, rubric in (("before", node.rubric), ("after", extended)):
                pairs[name].append(
                    (grade_decision(grader, node, choice, row["student_answer"], rubric).passed, educator)
                )
        for name in pairs:
            totals[name].extend(pairs[name])
        totals["overrides"].extend([(True, True)] * len(overlay))
        print(
            f"{decision_id:22} {len(overlay):9d}  {_fmt(agreement(pairs['before'])):>24}  {_fmt(agreement(pairs['after'])):>24}"
        )
    print(
        f"{'all':22} {len(totals['overrides']):9d}  {_fmt(agreement(totals['before'])):>24}  "
        f"{_fmt(agreement(totals['after'])):>24}"
    )
    grader.close()


if __name__ == "__main__":
    main()
