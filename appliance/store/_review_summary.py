"""The review and dashboard part of a learner-month shard's header summary.

Kept beside ``_summaries`` (which merges it in) so the queue, the AI-human agreement and the cohort dashboard
read headers only, never a learner's shard:

- ``rq``: grades waiting for review ``[grade_id, created_at, urgency, module, node, reason]``
- ``rv``: reviewed grades ``[grade_id, module, node, reviewed_at, rubric_hash, grader_passed,
  reviewer_passed, grader_met, reviewer_met | None, confirmed]``
- ``dk``: per decision, ten score bins (after review), graded and passed counts, and how often each key point
  was missed, packed in one string (``module|node|b0,..,b9|graded|passed|kp:n,kp:n;...``): a header is parsed
  for every shard at start-up, and one string token costs far less to parse and keep than ~150 small ones.

Headers written before these keys existed lack them; readers then summarise the shard's tables instead.
"""

from __future__ import annotations

from typing import Any

REVIEW_KEYS = ("rq", "rv", "dk")


def urgency(grade: dict[str, Any]) -> int:
    """How urgent a flagged grade is: 3 red flag hit, 2 possible injection or red flag, 1 anything else."""
    reason = (grade.get("review_reason") or "").lower()
    if grade.get("red_flags") or "red flag:" in reason.replace("possible red flag:", ""):
        return 3
    if "injection" in reason or "possible red flag" in reason:
        return 2
    return 1


def _met(doc: dict[str, Any]) -> set[str]:
    override = doc.get("override")
    if override and override.get("key_points_met") is not None:
        return set(override["key_points_met"])
    return {kp["key_point_id"] for kp in doc["grade"]["key_points"] if kp["met"]}


def review_summary(tables: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The ``rq``, ``rv``, ``d`` and ``k`` summary of a learner-month shard's grades."""
    pending: list[list[Any]] = []
    reviewed: list[list[Any]] = []
    decisions: dict[str, list[int]] = {}
    missed: dict[str, int] = {}
    for doc in tables.get("grades", {}).values():
        grade, override = doc["grade"], doc.get("override")
        key = f"{doc['module_id']}|{doc['node_id']}"
        score = float(override["score"] if override else grade["score"])
        passed = bool(override["passed"] if override else grade["passed"])
        counts = decisions.setdefault(key, [0] * 12)
        counts[min(9, int(score * 10))] += 1
        counts[10] += 1
        counts[11] += int(passed)
        met = _met(doc)
        for kp in grade["key_points"]:
            if kp["key_point_id"] not in met:
                kp_key = f"{key}|{kp['key_point_id']}"
                missed[kp_key] = missed.get(kp_key, 0) + 1
        if override:
            grader_met = sorted(kp["key_point_id"] for kp in grade["key_points"] if kp["met"])
            reviewer_met = override.get("key_points_met")
            reviewed.append(
                [
                    doc["grade_id"], doc["module_id"], doc["node_id"], override["at"], doc["rubric_hash"],
                    bool(grade["passed"]), bool(override["passed"]), grader_met,
                    sorted(reviewer_met) if reviewer_met is not None else None,
                    bool(override.get("confirmed", False)),
                ]
            )  # fmt: skip
        elif grade.get("needs_review"):
            pending.append(
                [
                    doc["grade_id"], doc["created_at"], urgency(grade), doc["module_id"], doc["node_id"],
                    (grade.get("review_reason") or "")[:120],
                ]
            )  # fmt: skip
    return {"rq": pending, "rv": reviewed, "dk": pack(decisions, missed)}


def pack(decisions: dict[str, list[int]], missed: dict[str, int]) -> str:
    """Pack score bins and missed key points per decision into the ``dk`` string."""
    by_decision: dict[str, list[str]] = {}
    for key, n in missed.items():
        module, node, kp = key.split("|")
        by_decision.setdefault(f"{module}|{node}", []).append(f"{kp}:{n}")
    return ";".join(
        f"{key}|{','.join(map(str, c[:10]))}|{c[10]}|{c[11]}|{','.join(sorted(by_decision.get(key, ())))}"
        for key, c in sorted(decisions.items())
    )


def unpack(packed: str) -> tuple[dict[str, list[int]], dict[str, int]]:
    """The ``dk`` string as (``module|node`` -> 12 counts, ``module|node|kp`` -> missed)."""
    decisions: dict[str, list[int]] = {}
    missed: dict[str, int] = {}
    if not packed:
        return decisions, missed
    for entry in packed.split(";"):
        module, node, bins, graded, passed, kps = entry.split("|")
        key = f"{module}|{node}"
        decisions[key] = [*map(int, bins.split(",")), int(graded), int(passed)]
        for item in kps.split(",") if kps else ():
            kp, _, n = item.partition(":")
            missed[f"{key}|{kp}"] = int(n)
    return decisions, missed
