"""A small JSON API for the player, over the same services as the pages (kiosk clients, load tests).

Sign in with ``POST /api/v1/session`` to get a fresh random bearer token; it lives as long as a page session
(same inactivity timeout) and ends with ``DELETE /api/v1/session``. Every call re-checks the session and its
role on the server. Learner-only: it can open, continue and answer the caller's own attempts. Sign-in is
throttled per source address like the sign-in page; every route is rate-limited per source (middleware).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Depends, Header, HTTPException, Request
from nicegui import app
from pydantic import BaseModel, Field

from appliance.auth import AuthError, LockedOut, Role, Session, has_role
from appliance.engine import DecisionNode, current_node
from appliance.services import AttemptConflict, AttemptNotFound, AttemptView, PlayerError, RationaleRejected
from appliance.ui._context import client_source, io_bound, services

_ATTEMPT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


class SignIn(BaseModel):
    """Staff ID and PIN."""

    staff_id: str = Field(max_length=64)
    pin: str = Field(max_length=64)


class Decision(BaseModel):
    """A choice and its rationale, against the revision the client last saw."""

    revision: int
    choice_id: str = Field(max_length=64)
    rationale: str | None = Field(default=None, max_length=60_000)


def _token(authorization: str | None) -> str:
    return (authorization or "").removeprefix("Bearer ").strip()


def _signed_in(authorization: Annotated[str | None, Header()] = None) -> Session:
    session = services().sessions.touch(_token(authorization))
    if session is None:
        raise HTTPException(401, "Sign in first (POST /api/v1/session).")
    return session


SignedInDep = Annotated[Session, Depends(_signed_in)]


def _learner(session: SignedInDep) -> Session:
    if not has_role(session.roles, Role.LEARNER):
        raise HTTPException(403, "This needs the learner role.")
    return session


SessionDep = Annotated[Session, Depends(_learner)]


def _view(view: AttemptView) -> dict[str, Any]:
    node = current_node(view.scenario, view.state)
    return {
        "attempt_id": view.attempt_id,
        "revision": view.revision,
        "status": view.state.status.value,
        "node": {"id": node.id, "kind": node.kind, "title": node.title},
        "choices": [c.id for c in node.choices] if isinstance(node, DecisionNode) else [],
        "last_grade": view.last_grade.model_dump(mode="json") if view.last_grade else None,
        "outcome": view.state.outcome.value if view.state.outcome else None,
        "module_passed": view.module_result.passed if view.module_result else None,
        "awarded": list(view.awarded),
    }


def _errors(err: Exception) -> HTTPException:
    if isinstance(err, AttemptNotFound):
        return HTTPException(404, str(err))
    if isinstance(err, AttemptConflict):
        return HTTPException(409, str(err))
    if isinstance(err, RationaleRejected):
        return HTTPException(422, str(err))
    return HTTPException(400, str(err))


async def sign_in(body: SignIn, request: Request) -> dict[str, str]:
    """Check a staff ID and PIN; return a fresh bearer token."""
    svc = services()
    try:
        user = await io_bound(svc.auth.authenticate, body.staff_id, body.pin, client_source(request))
    except LockedOut as err:
        raise HTTPException(429, str(err), headers={"Retry-After": str(round(err.retry_after))}) from err
    except AuthError as err:
        raise HTTPException(401, str(err)) from err
    session = svc.sessions.create(user.user_id, user.display_name, user.roles, user.hospital_role)
    return {"token": session.token, "name": user.display_name}


async def sign_out(authorization: Annotated[str | None, Header()] = None) -> dict[str, str]:
    """End the caller's session; the token is useless afterwards."""
    services().sessions.end(_token(authorization))
    return {"status": "signed out"}


def _attempt_id(attempt_id: str) -> str:
    if not _ATTEMPT_ID.fullmatch(attempt_id):
        raise HTTPException(404, "No such attempt.")
    return attempt_id


async def open_attempt(
    module_id: str, scenario_id: str, session: SessionDep, new: bool = False
) -> dict[str, Any]:
    """Resume (or start) the caller's attempt at a scenario."""
    try:
        view = await io_bound(services().player.open, session.user_id, module_id, scenario_id, new)
    except PlayerError as err:
        raise _errors(err) from err
    return _view(view)


async def advance(attempt_id: str, revision: int, session: SessionDep) -> dict[str, Any]:
    """Continue past a content, fail-state or recovery node."""
    try:
        view = await io_bound(services().player.advance, session.user_id, _attempt_id(attempt_id), revision)
    except PlayerError as err:
        raise _errors(err) from err
    return _view(view)


async def decide(attempt_id: str, body: Decision, session: SessionDep) -> dict[str, Any]:
    """Answer a decision: the rationale is graded on this device and the feedback returned."""
    try:
        view = await services().player.async_submit(
            session.user_id, _attempt_id(attempt_id), body.revision, body.choice_id, body.rationale
        )
    except PlayerError as err:
        raise _errors(err) from err
    return _view(view)


def register_api() -> None:
    """Add the API routes to the app (once per app build)."""
    app.post("/api/v1/session")(sign_in)
    app.delete("/api/v1/session")(sign_out)
    app.post("/api/v1/modules/{module_id}/scenarios/{scenario_id}/attempt")(open_attempt)
    app.post("/api/v1/attempts/{attempt_id}/advance")(advance)
    app.post("/api/v1/attempts/{attempt_id}/decisions")(decide)
