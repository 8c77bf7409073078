"""Accounts, PINs, roles, lockout and kiosk sessions (no UI, no storage format of its own)."""

from appliance.auth._errors import (
    AlreadyProvisioned,
    AuthError,
    BadCredentials,
    BadSetupCode,
    LockedOut,
    NotPermitted,
    SetupRequired,
    WeakPin,
)
from appliance.auth._lockout import LockoutPolicy
from appliance.auth._pins import check_pin_rules, hash_pin, pin_needs_rehash, verify_pin
from appliance.auth._roles import Role, has_role, require_role
from appliance.auth._sessions import Session, SessionManager, token_key
from appliance.auth._throttle import SignInThrottle, ThrottlePolicy, ThrottleVerdict

__all__ = [
    "AlreadyProvisioned",
    "AuthError",
    "BadCredentials",
    "BadSetupCode",
    "LockedOut",
    "LockoutPolicy",
    "NotPermitted",
    "Role",
    "Session",
    "SessionManager",
    "SetupRequired",
    "SignInThrottle",
    "ThrottlePolicy",
    "ThrottleVerdict",
    "WeakPin",
    "check_pin_rules",
    "has_role",
    "hash_pin",
    "pin_needs_rehash",
    "require_role",
    "token_key",
    "verify_pin",
]
