"""Write the blind set's module document, its labelled rationales and the negation suite from the sources here.

Example:
    python data/eval/sources/build_blind.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EVAL = HERE.parent
sys.path.insert(0, str(HERE))

from blind_answers import ANSWERS, PASS_A  # noqa: E402
from blind_rubrics import DECISIONS  # noqa: E402
from negation_pairs import PAIRS  # noqa: E402

MODULE_FILE = "data/eval/blind_module.json"


def _scenario(d: dict) -> dict:
    choices = [{"id": c, "label": label, "rating": rating} for c, label, rating in d["choices"]]
    nodes = [
        {"kind": "content", "id": "intro", "title": d["title"], "body": d["intro"]},
        {
            "kind": "decision",
            "id": d["id"],
            "title": d["title"],
            "prompt": d["prompt"],
            "choices": choices,
            "rubric": d["rubric"],
        },
        {"kind": "end", "id": "done", "title": "Done", "outcome": "success", "debrief": "Debrief."},
    ]
    edges = [{"source": "intro", "target": d["id"]}] + [
        {"source": d["id"], "choice": c["id"], "target": "done"} for c in choices
    ]
    return {"id": d["scenario"], "title": d["title"], "start": "intro", "nodes": nodes, "edges": edges}


def _label(rubric: dict, met: list[str], flags: list[str]) -> str:
    weights = {k["id"]: k["weight"] for k in rubric["key_points"]}
    critical = {k["id"] for k in rubric["key_points"] if k["critical"]}
    share = sum(weights[m] for m in met) / sum(weights.values())
    ok = share >= rubric["pass_threshold"] and critical <= set(met) and not flags
    return "correct" if ok else "incorrect"


def main() -> None:
    """Write the three files and print their counts."""
    module = {
        "schema_version": 1,
        "kind": "module",
        "module": {
            "id": "blind-eval",
            "title": "Blind evaluation rubrics (never tuned on)",
            "competencies": ["verifying-ai-output", "automation-bias", "escalation", "documentation"],
            "scenarios": [_scenario(d) for d in DECISIONS],
        },
    }
    (EVAL / "blind_module.json").write_text(json.dumps(module, indent=1, ensure_ascii=False) + "\n")
    rows = []
    for d in DECISIONS:
        rubric = d["rubric"]
        ids = {k["id"] for k in rubric["key_points"]}
        flag_ids = {r["id"] for r in rubric["red_flags"]}
        best = d["choices"][0][0]
        for n, (category, met, flags, text) in enumerate(ANSWERS[d["id"]]):
            assert set(met) <= ids and set(flags) <= flag_ids, (d["id"], text)
            assert all(text != e["text"] for e in rubric["exemplars"])
            label = _label(rubric, met, flags)
            rows.append(
                {
                    "question_id": f"blind-eval/{d['scenario']}/{d['id']}",
                    "question": f"{d['prompt']}\nChosen action: {d['choices'][0][1]}",
                    "reference_answers": [k["text"] for k in rubric["key_points"]],
                    "student_answer": text,
                    "label": label,
                    "category": category,
                    "met": met,
                    "red_flags": flags,
                    "label_a": _label(rubric, PASS_A.get((d["id"], n), met), flags),
                    "met_a": PASS_A.get((d["id"], n), met),
                    "label_b": label,
                    "met_b": met,
                    "red_flags_b": flags,
                    "scenario_file": MODULE_FILE,
                    "decision_id": d["id"],
                    "choice_id": best,
                }
            )
    texts = [r["student_answer"] for r in rows]
    assert len(set(texts)) == len(texts), "duplicate answers"
    (EVAL / "blind_rationales.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    )
    pairs = [
        {"file": f, "decision": dec, "key_point": k, "kind": kind, "statement": s}
        for f, dec, k, kind, s in PAIRS
    ]
    (EVAL / "negation_suite.jsonl").write_text(
        "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pairs)
    )
    correct = sum(r["label"] == "correct" for r in rows)
    print(f"{len(rows)} rationales ({correct} correct), {len(pairs)} negation pairs")


if __name__ == "__main__":
    main()
