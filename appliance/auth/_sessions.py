"""Signed-in sessions on shared devices, with an inactivity timeout.

Sessions live in memory: a restart signs everyone out, while their attempts (in the store) resume.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Session:
    """Who is signed in on one browser."""

    token: str
    user_id: str
    display_name: str
    roles: tuple[str, ...]
    hospital_role: str | None
    started: float
    last_seen: float


class SessionManager:
    """Create, touch and end sessions; a session idle longer than ``timeout_seconds`` is gone."""

    def __init__(self, timeout_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._timeout = timeout_seconds
        self._clock = clock
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def create(
        self,
        user_id: str,
        display_name: str,
        roles: tuple[str, ...],
        hospital_role: str | None,
        token: str | None = None,
    ) -> Session:
        """Start a session keyed by ``token`` (e.g. the browser's signed id; random when omitted)."""
        now = self._clock()
        session = Session(
            token or secrets.token_urlsafe(24), user_id, display_name, roles, hospital_role, now, now
        )
        with self._lock:
            self._sessions[session.token] = session
        return session

    def touch(self, token: str | None) -> Session | None:
        """Return the live session for ``token`` and mark it active, or None when absent or timed out."""
        if not token:
            return None
        now = self._clock()
        with self._lock:
            session = self._sessions.get(token)
            if session is None:
                return None
            if now - session.last_seen > self._timeout:
                del self._sessions[token]
                return None
            session = replace(session, last_seen=now)
            self._sessions[token] = session
            return session

    def end(self, token: str | None) -> None:
        """Sign a session out."""
        with self._lock:
            self._sessions.pop(token or "", None)

    def end_user(self, user_id: str) -> None:
        """Sign a user out everywhere (after a PIN reset or deactivation)."""
        with self._lock:
            for token in [t for t, s in self._sessions.items() if s.user_id == user_id]:
                del self._sessions[token]
