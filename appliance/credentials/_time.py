"""XSD dateTime stamps as credentials carry them: UTC, to the second, with a ``Z``."""

from __future__ import annotations

from datetime import UTC, datetime


def timestamp(when: datetime) -> str:
    """An XSD dateTime in UTC with a ``Z``, to the second."""
    return when.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
