"""PIN rules and hashing with argon2id (memory-hard), via argon2-cffi."""

from __future__ import annotations

import itertools
import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from appliance.auth._errors import WeakPin

MIN_PIN_DIGITS = 6
MAX_PIN_DIGITS = 12

# OWASP's minimum argon2id profile (19 MiB, 2 passes): ~30 ms on a 2-core box, cheap enough for a kiosk.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_DUMMY_HASH = _HASHER.hash("not-a-real-pin")


def check_pin_rules(pin: str) -> None:
    """Check a new PIN: 6-12 digits, not one repeated digit, not a run like 123456.

    :raises WeakPin: the PIN breaks a rule (the message says which).
    """
    if not re.fullmatch(rf"\d{{{MIN_PIN_DIGITS},{MAX_PIN_DIGITS}}}", pin):
        raise WeakPin(f"A PIN is {MIN_PIN_DIGITS} to {MAX_PIN_DIGITS} digits.")
    if len(set(pin)) == 1:
        raise WeakPin("A PIN cannot be one digit repeated.")
    steps = {int(b) - int(a) for a, b in itertools.pairwise(pin)}
    if steps in ({1}, {-1}):
        raise WeakPin("A PIN cannot be a run of digits like 123456.")


def hash_pin(pin: str) -> str:
    """Hash a PIN with argon2id (salted; the hash embeds its parameters)."""
    return _HASHER.hash(pin)


def verify_pin(pin_hash: str | None, pin: str) -> bool:
    """True when ``pin`` matches; spends the same time for unknown accounts (``pin_hash`` None)."""
    try:
        return _HASHER.verify(pin_hash or _DUMMY_HASH, pin) and pin_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def pin_needs_rehash(pin_hash: str) -> bool:
    """True when the hash was made with older parameters."""
    return _HASHER.check_needs_rehash(pin_hash)
