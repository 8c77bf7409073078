"""Roles and what each may do."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from appliance.auth._errors import NotPermitted


class Role(StrEnum):
    """Appliance roles (distinct from hospital roles such as NICU nurse)."""

    LEARNER = "learner"
    AUTHOR = "author"
    REVIEWER = "reviewer"
    ADMIN = "admin"


def has_role(roles: Iterable[str], needed: Role) -> bool:
    """True when ``roles`` grants ``needed``; admins may do everything."""
    granted = set(roles)
    return needed.value in granted or Role.ADMIN.value in granted


def require_role(roles: Iterable[str], needed: Role) -> None:
    """Raise unless ``roles`` grants ``needed``.

    :raises NotPermitted: the role is missing.
    """
    if not has_role(roles, needed):
        raise NotPermitted(f"This needs the {needed.value} role.")
