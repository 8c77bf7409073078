"""The named migrations between the records' schema versions (run by the engine's ``migrate``).

Version 1, the development layout:
    users     ``name``; ``roles`` as one comma-separated string; no ``job_role``, no ``revision``
    attempts  no ``revision``, no ``module_version``
    grades    the grading model as one string ``model`` ("lexical@1"); no ``override``/``redacted_at``
Version 2:
    attempts  each step of the play state keeps the learner's ``rationale`` text, and its grade and the
              state's ``last_grade`` quote it (key points' ``evidence``), beside the grade record's copy
Version 3 (current): the records in ``_records``. The grade record alone keeps the text and the quotes;
    a step refers to it by ``rationale_id`` (the grade id) and keeps the grade without its quotes.
"""

from __future__ import annotations

from typing import Any

from appliance.store._layout import LEARNER_MONTH, new_grade_id
from appliance.store.engine import Doc, Migration, Tables

SCHEMA_VERSION = 3
"""The schema this code writes. Version 1 is the development layout."""

MIGRATED_RUBRIC = "unknown: recorded by the v3 migration"
"""The ``rubric_hash`` of a grade record the v2-to-v3 migration made for a graded step that had none."""


def _v1_to_v2(kind: str, table: str, doc: Doc) -> Doc:
    doc = dict(doc)
    if kind == "users" and table == "users":
        if "name" in doc:
            doc["display_name"] = doc.pop("name")
        if isinstance(doc.get("roles"), str):
            doc["roles"] = [r.strip() for r in doc["roles"].split(",") if r.strip()]
        doc.setdefault("job_role", None)
        doc.setdefault("revision", 1)
    elif kind == LEARNER_MONTH and table == "attempts":
        doc.setdefault("revision", 1)
        doc.setdefault("module_version", None)
    elif kind == LEARNER_MONTH and table == "grades":
        if "model" in doc:
            model_id, _, version = str(doc.pop("model")).partition("@")
            doc["model_id"], doc["model_version"] = model_id, version or "0"
        doc.setdefault("override", None)
        doc.setdefault("redacted_at", None)
    return doc


def _unquoted(grade: Any) -> Any:
    if not isinstance(grade, dict):
        return grade
    return {**grade, "key_points": [{**kp, "evidence": None} for kp in grade.get("key_points", [])]}


def _record_for(step: Doc, text: str | None, free: list[Doc]) -> Doc | None:
    """The attempt's first unclaimed grade record for this step: same decision and choice, the same text
    (or, for a step whose text is gone, any)."""
    fits = [
        g
        for g in free
        if g["node_id"] == step["node_id"] and g.get("choice_id") in (None, step.get("choice_id"))
    ]
    for record in fits:
        if text is None or record.get("rationale") in (text, None):
            return record
    return None


def _new_record(attempt: Doc, step: Doc, text: str, grade: Doc) -> Doc:
    return {
        "grade_id": new_grade_id(attempt["attempt_id"]),
        "attempt_id": attempt["attempt_id"],
        "learner_id": attempt["learner_id"],
        "module_id": attempt["module_id"],
        "scenario_id": attempt["scenario_id"],
        "node_id": step["node_id"],
        "choice_id": step.get("choice_id"),
        "rationale": text,
        "grade": grade,
        "rubric_hash": MIGRATED_RUBRIC,
        "model_id": grade.get("model_id", "unknown"),
        "model_version": grade.get("model_version", "0"),
        "created_at": attempt["updated_at"],  # so retention purges it with its attempt
        "override": None,
        "redacted_at": None,
    }


def _v2_to_v3(kind: str, tables: Tables) -> Tables:
    """Move each step's rationale into its grade record (the only copy from now on) and refer to it.

    A step is paired with the attempt's grade records in order, by decision and choice (and text). A
    record without text takes the step's; a graded step with text but no record gets a new record (its
    ``rubric_hash`` is :data:`MIGRATED_RUBRIC`). Text at a step with no grade (only the JSON API could send
    it, to a decision that asks for none; nothing showed it) is not kept: v3 stores no ungraded text.
    """
    if kind != LEARNER_MONTH:
        return tables
    grades = {key: dict(doc) for key, doc in tables.get("grades", {}).items()}
    free: dict[str, list[Doc]] = {}
    for doc in sorted(grades.values(), key=lambda d: (d["created_at"], d["grade_id"])):
        free.setdefault(doc["attempt_id"], []).append(doc)
    attempts = {}
    for key, attempt in tables.get("attempts", {}).items():
        state = dict(attempt["state"])
        steps = []
        for old in state.get("steps", []):
            step = dict(old)
            if "rationale" not in step and "rationale_id" in step:
                steps.append(step)  # already v3
                continue
            text = step.pop("rationale", None)
            grade = step.get("grade")
            step["rationale_id"] = None
            if step.get("choice_id") is not None and grade is not None:
                mine = free.setdefault(attempt["attempt_id"], [])
                record = _record_for(step, text, mine)
                if record is not None:
                    mine.remove(record)
                    if record.get("rationale") is None and text is not None:
                        record["rationale"] = text
                elif text is not None:
                    record = _new_record(attempt, step, text, grade)
                    grades[record["grade_id"]] = record
                if record is not None:
                    step["rationale_id"] = record["grade_id"]
            step["grade"] = _unquoted(grade)
            steps.append(step)
        state["steps"] = steps
        state["last_grade"] = _unquoted(state.get("last_grade"))
        attempts[key] = {**attempt, "state": state}
    return {**tables, "attempts": attempts, "grades": grades}


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "v1_to_v2_user_names_roles_and_grade_models", _v1_to_v2),
    Migration(2, "v2_to_v3_rationale_kept_once_in_its_grade_record", upgrade_tables=_v2_to_v3),
)
