"""xAPI 1.0.3 statements for graded decisions, reviews and attempts, with deterministic ids.

A statement id is a UUIDv5 of the site's homepage and the record it describes, so exporting or sending the
same record twice gives the same id (an LRS then keeps one copy). The learner is an account on the site's
homepage named by the opaque user id, never by name. A graded statement keeps the grader's result as it
was; a later review is a statement of its own (verb ``scored``) with the reviewer as instructor.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from typing import Any

from appliance.engine import DecisionNode
from appliance.engine.curriculum import Curriculum
from appliance.store import AttemptSummary, GradeRecord

XAPI_VERSION = "1.0.3"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
COURSE = "http://adlnet.gov/expapi/activities/module"
VERBS = {
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "scored": "http://adlnet.gov/expapi/verbs/scored",
    "attempted": "http://adlnet.gov/expapi/verbs/attempted",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
}
EXT = "https://ward-appliance.org/xapi/extensions/"


@dataclass(frozen=True)
class XapiBuilder:
    """Builds statements for one site; ``home_page`` is the site's IRL (e.g. ``https://ward-7.local/``)."""

    home_page: str
    curriculum: Curriculum

    def _id(self, what: str) -> str:
        namespace = uuid.uuid5(uuid.NAMESPACE_URL, self.home_page)
        return str(uuid.uuid5(namespace, what))

    def _agent(self, user_id: str) -> dict[str, Any]:
        return {"objectType": "Agent", "account": {"homePage": self.home_page, "name": user_id}}

    def _activity(self, *path: str) -> str:
        return self.home_page.rstrip("/") + "/xapi/activities/" + "/".join(path)

    def _verb(self, name: str) -> dict[str, Any]:
        return {"id": VERBS[name], "display": {"en-US": name}}

    def _parents(self, module_id: str, scenario_id: str) -> dict[str, Any]:
        return {
            "parent": [{"objectType": "Activity", "id": self._activity(module_id, scenario_id)}],
            "grouping": [{"objectType": "Activity", "id": self._activity(module_id)}],
        }

    def _decision(self, record: GradeRecord) -> DecisionNode | None:
        try:
            node = self.curriculum.module(record.module_id).scenario(record.scenario_id).node(record.node_id)
        except KeyError:
            return None
        return node if isinstance(node, DecisionNode) else None

    def _interaction(self, record: GradeRecord) -> dict[str, Any]:
        node = self._decision(record)
        definition: dict[str, Any] = {"type": INTERACTION, "interactionType": "long-fill-in"}
        if node is not None:
            definition["name"] = {"en-GB": node.title}
            definition["description"] = {"en-GB": node.prompt[:2000]}
        return {
            "objectType": "Activity",
            "id": self._activity(record.module_id, record.scenario_id, record.node_id),
            "definition": definition,
        }

    def _choice(self, record: GradeRecord) -> dict[str, Any]:
        node = self._decision(record)
        label = None
        if node is not None and record.choice_id:
            label = next((c.label for c in node.choices if c.id == record.choice_id), None)
        return {"id": record.choice_id, "label": label}

    def graded(self, record: GradeRecord) -> dict[str, Any]:
        """The statement for one graded rationale (the grader's result, as it was given)."""
        grade = record.grade
        result: dict[str, Any] = {
            "score": {"scaled": round(grade.score, 4), "raw": round(grade.score, 4), "min": 0, "max": 1},
            "success": grade.passed,
            "completion": True,
            "extensions": {
                EXT + "band": grade.band.value,
                EXT + "needs-review": grade.needs_review,
                EXT + "confidence": grade.confidence,
                EXT + "key-points-met": list(grade.met_ids),
                EXT + "red-flags": list(grade.red_flags),
            },
        }
        if record.rationale is not None:
            result["response"] = record.rationale
        return {
            "id": self._id(f"rationale.graded/{record.grade_id}"),
            "version": XAPI_VERSION,
            "actor": self._agent(record.learner_id),
            "verb": self._verb("answered"),
            "object": self._interaction(record),
            "result": result,
            "context": {
                "registration": self._id(f"attempt/{record.attempt_id}"),
                "platform": "ward training appliance",
                "language": "en-GB",
                "contextActivities": self._parents(record.module_id, record.scenario_id),
                "extensions": {
                    EXT + "choice": self._choice(record),
                    EXT + "rubric-version": record.rubric_hash,
                    EXT + "model-id": record.model_id,
                    EXT + "model-version": record.model_version,
                },
            },
            "timestamp": record.created_at.isoformat(),
        }

    def reviewed(self, record: GradeRecord) -> dict[str, Any] | None:
        """The statement for a reviewer's decision on a grade, or None when it was not reviewed."""
        review = record.override
        if review is None:
            return None
        base = self.graded(record)
        return {
            **base,
            "id": self._id(f"rationale.reviewed/{record.grade_id}/{review.at.isoformat()}"),
            "verb": self._verb("scored"),
            "result": {
                "score": {
                    "scaled": round(review.score, 4),
                    "raw": round(review.score, 4),
                    "min": 0,
                    "max": 1,
                },
                "success": review.passed,
                "completion": True,
                "extensions": {
                    EXT + "band": review.band.value,
                    EXT + "confirmed": review.confirmed,
                    EXT + "key-points-met": list(review.key_points_met or ()),
                    EXT + "red-flags": list(review.red_flags or ()),
                },
            },
            "context": {**base["context"], "instructor": self._agent(review.reviewer_id)},
            "timestamp": review.at.isoformat(),
        }

    def attempt_started(self, attempt: AttemptSummary) -> dict[str, Any]:
        """The statement for starting a scenario."""
        return {
            "id": self._id(f"attempt.started/{attempt.attempt_id}"),
            "version": XAPI_VERSION,
            "actor": self._agent(attempt.learner_id),
            "verb": self._verb("attempted"),
            "object": self._scenario(attempt),
            "context": {
                "registration": self._id(f"attempt/{attempt.attempt_id}"),
                "platform": "ward training appliance",
                "contextActivities": {
                    "parent": [{"objectType": "Activity", "id": self._activity(attempt.module_id)}]
                },
            },
            "timestamp": attempt.started_at.isoformat(),
        }

    def attempt_finished(self, attempt: AttemptSummary, outcome: str | None) -> dict[str, Any]:
        """The statement for finishing a scenario (success when its outcome was safe)."""
        result: dict[str, Any] = {"completion": True, "success": outcome == "success"}
        if attempt.score is not None:
            result["score"] = {"scaled": round(attempt.score, 4), "min": 0, "max": 1}
        statement = self.attempt_started(attempt)
        return {
            **statement,
            "id": self._id(f"attempt.finished/{attempt.attempt_id}"),
            "verb": self._verb("completed"),
            "result": result,
            "timestamp": attempt.updated_at.isoformat(),
        }

    def _scenario(self, attempt: AttemptSummary) -> dict[str, Any]:
        definition: dict[str, Any] = {"type": SIMULATION}
        with contextlib.suppress(KeyError):
            definition["name"] = {
                "en-GB": self.curriculum.module(attempt.module_id).scenario(attempt.scenario_id).title
            }
        return {
            "objectType": "Activity",
            "id": self._activity(attempt.module_id, attempt.scenario_id),
            "definition": definition,
        }
