"""The reviewers' JSON API: the queue and a decision on one answer, under the player API's bearer sessions.

``GET /api/v1/review`` lists the queue (filters: ``module_id``, ``node_id``, ``reason``, ``job_role``,
``limit``); ``POST /api/v1/review/{grade_id}`` confirms or overrides (body: :class:`ReviewDecision`).
Both need the reviewer role (admins have every role); others get 403.
"""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException
from nicegui import app

from appliance.auth import Role, Session, has_role
from appliance.services import ReviewInvalid, ReviewNotFound
from appliance.services.review import ReviewDecision, ReviewFilter, ReviewItem
from appliance.ui._context import io_bound, services
from appliance.ui.api import SignedInDep as SessionDep


def _reviewer(session: Session) -> Session:
    if not has_role(session.roles, Role.REVIEWER):
        raise HTTPException(403, "This needs the reviewer role.")
    return session


def _item(item: ReviewItem) -> dict[str, Any]:
    record = item.record
    return {
        "grade_id": record.grade_id,
        "urgency": item.urgency,
        "reason": item.reason,
        "module_id": record.module_id,
        "scenario_id": record.scenario_id,
        "node_id": record.node_id,
        "decision": item.decision.title,
        "choice": {"id": record.choice_id, "label": item.choice_label},
        "rationale": record.rationale,
        "learner_role": item.learner_role,
        "graded_at": record.created_at.isoformat(),
        "grade": record.grade.model_dump(mode="json"),
        "rubric": {
            "key_points": [
                {"id": kp.id, "text": kp.text, "critical": kp.critical} for kp in item.rubric.key_points
            ],
            "red_flags": [{"id": rf.id, "text": rf.text} for rf in item.rubric.red_flags],
            "pass_threshold": item.rubric.pass_threshold,
        },
        "review": record.override.model_dump(mode="json") if record.override else None,
    }


async def review_queue(
    session: SessionDep,
    module_id: str | None = None,
    node_id: str | None = None,
    reason: str | None = None,
    job_role: str | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    """The answers waiting for review, most urgent first."""
    _reviewer(session)
    where = ReviewFilter(module_id=module_id, node_id=node_id, reason=reason, job_role=job_role)
    items = await io_bound(services().review.items, where, max(1, min(limit, 200)))
    return {"items": [_item(i) for i in items]}


async def review_decide(grade_id: str, body: ReviewDecision, session: SessionDep) -> dict[str, Any]:
    """Confirm or override one answer's grade."""
    _reviewer(session)
    try:
        outcome = await io_bound(services().review.decide, session.user_id, grade_id, body)
    except ReviewNotFound as err:
        raise HTTPException(404, str(err)) from err
    except ReviewInvalid as err:
        raise HTTPException(422, str(err)) from err
    return {
        "grade_id": grade_id,
        "review": outcome.record.override.model_dump(mode="json") if outcome.record.override else None,
        "awarded": list(outcome.awarded),
        "exemplar_version": outcome.exemplar.seq if outcome.exemplar else None,
    }


def register_review_api() -> None:
    """Add the review routes to the app (once per app build)."""
    app.get("/api/v1/review")(review_queue)
    app.post("/api/v1/review/{grade_id}")(review_decide)
