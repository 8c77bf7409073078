"""Lockout with exponential back-off after repeated sign-in failures."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LockoutPolicy:
    """After ``free_attempts`` failures, each further failure locks for base * 2^(n - free), capped."""

    free_attempts: int = 5
    base_seconds: float = 30.0
    max_seconds: float = 15 * 60.0

    def lock_seconds(self, failures: int) -> float:
        """Seconds to lock after the ``failures``-th consecutive failure (0 while still free)."""
        if failures < self.free_attempts:
            return 0.0
        return min(self.max_seconds, self.base_seconds * 2 ** (failures - self.free_attempts))
