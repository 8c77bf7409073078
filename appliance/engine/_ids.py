"""Identifier type shared by every curriculum record."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$"),
]
"""Lower-case id: letters, digits, ``_ . -``; at most 64 characters."""
