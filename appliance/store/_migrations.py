"""The named migrations between the records' schema versions (run by the engine's ``migrate``).

Version 1, the development layout:
    users     ``name``; ``roles`` as one comma-separated string; no ``job_role``, no ``revision``
    attempts  no ``revision``, no ``module_version``
    grades    the grading model as one string ``model`` ("lexical@1"); no ``override``/``redacted_at``
Version 2 (current): the records in ``_records``.
"""

from __future__ import annotations

from appliance.store._layout import LEARNER_MONTH
from appliance.store.engine import Doc, Migration

SCHEMA_VERSION = 2
"""The schema this code writes. Version 1 is the development layout."""


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


MIGRATIONS: tuple[Migration, ...] = (Migration(1, "v1_to_v2_user_names_roles_and_grade_models", _v1_to_v2),)
