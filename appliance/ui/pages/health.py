"""``/healthz``: ok/degraded for anyone; the full report for administrators and for the box itself."""

from __future__ import annotations

from fastapi import Request

from appliance.auth import Role, has_role, token_key
from appliance.ui._context import client_source, io_bound, services, session_token

_LOCAL = frozenset({"127.0.0.1", "::1", "localhost"})


def _may_see_details(request: Request) -> bool:
    if client_source(request) in _LOCAL:
        return True
    token = session_token(request)
    session = services().sessions.peek(token_key(token)) if token else None
    return session is not None and has_role(session.roles, Role.ADMIN)


async def healthz(request: Request) -> dict[str, object]:
    """Overall status; plus version, storage, grader, accelerator and disk for admins and localhost."""
    report = await io_bound(services().health)
    if _may_see_details(request):
        return report
    return {"status": report["status"]}
