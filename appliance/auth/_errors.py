"""Errors raised by sign-in, accounts and first-run setup.

AuthError
├── BadCredentials   unknown staff ID or wrong PIN (never says which)
├── BadSetupCode     the one-time first-run setup code does not match
├── LockedOut        too many failures; try again after ``retry_after`` seconds
├── NotPermitted     the signed-in user lacks the role for this action
├── WeakPin          a new PIN does not meet the PIN rules
├── SetupRequired    the appliance has not been provisioned yet
└── AlreadyProvisioned  provisioning was attempted twice
"""

from __future__ import annotations


class AuthError(Exception):
    """Base class for every authentication and authorisation error."""


class BadCredentials(AuthError):
    """The staff ID and PIN do not match an active account."""

    def __init__(self) -> None:
        super().__init__("Staff ID or PIN not recognised.")


class BadSetupCode(AuthError):
    """The first-run setup code does not match the one shown on the box's console."""

    def __init__(self) -> None:
        super().__init__(
            "That setup code is not right. It is shown on the appliance's own screen or console."
        )


class LockedOut(AuthError):
    """The account is locked after repeated failures."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        minutes, seconds = divmod(max(1, round(retry_after)), 60)
        wait = f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
        super().__init__(
            f"Too many attempts. Try again in {wait}, or ask the nurse in charge to reset your PIN."
        )


class NotPermitted(AuthError):
    """The user lacks the role this action needs."""


class WeakPin(AuthError):
    """A PIN does not meet the rules."""


class SetupRequired(AuthError):
    """First-run setup has not been done."""


class AlreadyProvisioned(AuthError):
    """The appliance already has a site and an administrator."""
