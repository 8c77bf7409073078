"""Library errors the CLI reports as a clean message (one base class per package)."""

from __future__ import annotations

from appliance.auth import AuthError
from appliance.config import ConfigError
from appliance.credentials import CredentialError
from appliance.engine import EngineError
from appliance.grader import GraderError
from appliance.keys import KeysError
from appliance.services import ServiceError
from appliance.store import StoreError
from appliance.sync import SyncError
from appliance.tls import TlsError

CLEAN_ERRORS: tuple[type[Exception], ...] = (
    ConfigError,
    EngineError,
    GraderError,
    StoreError,
    AuthError,
    ServiceError,
    TlsError,
    CredentialError,
    KeysError,
    SyncError,
)
