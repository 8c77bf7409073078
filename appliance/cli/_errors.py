"""Library errors the CLI reports as a clean message (one base class per package)."""

from __future__ import annotations

from appliance.engine import EngineError

CLEAN_ERRORS: tuple[type[Exception], ...] = (EngineError,)
