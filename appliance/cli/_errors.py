"""Library errors the CLI reports as a clean message (one base class per package)."""

from __future__ import annotations

from appliance.auth import AuthError
from appliance.engine import EngineError
from appliance.grader import GraderError
from appliance.services import ServiceError
from appliance.store import StoreError
from appliance.sync import SyncError

CLEAN_ERRORS: tuple[type[Exception], ...] = (
    EngineError,
    GraderError,
    StoreError,
    AuthError,
    ServiceError,
    SyncError,
)
