"""Grade each statement of the negation suite on its own against its decision's rubric: none may earn its tick.

Example:
    .venv/bin/python scripts/eval_negation.py data/eval/negation_suite.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from eval_grader import _decision, make_grader  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Print every ticked pair and a JSON summary line; exit 1 if any statement earned its tick."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("suite", type=Path)
    parser.add_argument("--backend", choices=["onnx", "lexical"], default="onnx")
    parser.add_argument(
        "--entailment", action="store_true", help="also load the optional key-point entailment model"
    )
    args = parser.parse_args(argv)
    grader = make_grader(args.backend, None, entailment=args.entailment)
    pairs = [json.loads(line) for line in args.suite.read_text(encoding="utf-8").splitlines() if line.strip()]
    ticked: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    flagged = 0
    for pair in pairs:
        node = _decision(pair["file"], pair["decision"])
        assert node.rubric is not None
        grade = grader.grade_text(node.prompt, pair["statement"], node.rubric, node.choices[0].label)
        kinds[pair["kind"]] += 1
        flagged += bool(grade.red_flags) or grade.needs_review
        if pair["key_point"] in grade.met_ids:
            ticked[pair["kind"]] += 1
            print(f"TICKED {pair['decision']}/{pair['key_point']} ({pair['kind']}): {pair['statement']}")
    summary = {"pairs": len(pairs), "ticked": sum(ticked.values()), "ticked_by_kind": dict(ticked),
               "pairs_by_kind": dict(kinds), "sent_to_review_or_flagged": flagged}  # fmt: skip
    print(json.dumps(summary, sort_keys=True))
    return 1 if ticked else 0


if __name__ == "__main__":
    raise SystemExit(main())
