"""JSON routes for credentials: the caller's own signed credentials, and this site's public status list."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException
from fastapi.responses import JSONResponse

from appliance.ui._context import io_bound, services
from appliance.ui.api import SessionDep


async def my_credentials(session: SessionDep) -> dict[str, Any]:
    """The signed-in learner's signed Open Badges 3.0 credentials, newest first."""
    views = await io_bound(services().credentials.for_learner, session.user_id)
    return {"credentials": [v.document for v in views]}


async def status_list(name: str) -> JSONResponse:
    """This site's signed Bitstring Status List credential (public: verifiers cache it)."""
    document = await io_bound(services().credentials.status_list, name)
    if document is None:
        raise HTTPException(404, "No such status list.")
    return JSONResponse(document, headers={"Cache-Control": "no-cache"})
