"""The review and dashboard part of a learner-month shard's header summary.

Kept beside ``_summaries`` (which merges it in) so the queue, the AI-human agreement and the cohort dashboard
read headers only, never a learner's shard:

- ``rq``: grades waiting for review ``[grade_id, created_at, urgency, module, node, reason]``
- ``rv``: reviewed grades ``[grade_id, module, node, reviewed_at, rubric_hash, grader_passed,
  reviewer_passed, grader_met, reviewer_met | None, confirmed]``
- ``d``: per ``module|node``, ten score bins (after review), then graded and passed counts
- ``k``: per ``module|node|key point``, how often it was missed (after review)

Headers written before these keys existed lack them; readers then summarise the shard's tables instead.
"""

from __future__ import annotations

from typing import Any

REVIEW_KEYS = ("rq", "rv", "d", "k")


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
    return {"rq": pending, "rv": reviewed, "d": decisions, "k": missed}
