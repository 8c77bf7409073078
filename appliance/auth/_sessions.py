"""Signed-in sessions on shared devices: fresh random tokens, an inactivity timeout, kept across restarts.

Invariants:

- Every sign-in gets a new random token (never a browser id); only its SHA-256 is kept, in memory and on disk.
- A session idle longer than the timeout is gone; so is every session of a user who is signed out everywhere.
- Whoever wants to know when a session ends (the web app closes that user's open pages) registers with
  :meth:`SessionManager.on_end`.
- The session file is rewritten atomically (temp file, fsync, rename) on every sign-in and sign-out, so a
  restart neither signs people out nor brings back a session that had ended.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

log = logging.getLogger(__name__)

TOUCH_PERSIST_S = 30.0
TICKET_TTL_S = 60.0
MAX_TICKETS = 1_000
MAX_SESSIONS = 5_000


def token_key(token: str) -> str:
    """The stored form of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Session:
    """Who is signed in on one browser or API client; ``token`` is only known in the process that issued it."""

    key: str
    user_id: str
    display_name: str
    roles: tuple[str, ...]
    hospital_role: str | None
    started: float
    last_seen: float
    token: str = ""


@dataclass(frozen=True)
class _Ticket:
    session: Session
    binding: str
    expires: float


EndListener = Callable[[Session, str], None]


class SessionManager:
    """Create, touch and end sessions; a session idle longer than ``timeout_seconds`` is gone."""

    def __init__(
        self, timeout_seconds: float, clock: Callable[[], float] = time.time, path: Path | None = None
    ) -> None:
        self._timeout = timeout_seconds
        self._clock = clock
        self._path = path
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._persisted_seen: dict[str, float] = {}
        self._tickets: OrderedDict[str, _Ticket] = OrderedDict()
        self._listeners: list[EndListener] = []
        self._lock = threading.RLock()
        self._load()

    @property
    def timeout_seconds(self) -> float:
        """Seconds of inactivity after which a session ends."""
        return self._timeout

    def on_end(self, listener: EndListener) -> None:
        """Call ``listener(session, reason)`` whenever a session ends (sign-out, timeout, reset, deactivation)."""
        self._listeners.append(listener)

    # -- lifecycle -----------------------------------------------------------------------------------
    def create(
        self, user_id: str, display_name: str, roles: tuple[str, ...], hospital_role: str | None
    ) -> Session:
        """Start a session with a fresh random token (returned in ``Session.token``)."""
        token = secrets.token_urlsafe(32)
        now = self._clock()
        session = Session(token_key(token), user_id, display_name, roles, hospital_role, now, now, token)
        with self._lock:
            self._sessions[session.key] = replace(session, token="")
            while len(self._sessions) > MAX_SESSIONS:
                _, oldest = self._sessions.popitem(last=False)
                self._notify(oldest, "evicted")
            self._save()
        return session

    def touch(self, token: str | None) -> Session | None:
        """Return the live session for ``token`` and mark it active, or None when absent or timed out."""
        if not token or len(token) > 128:
            return None
        key = token_key(token)
        now = self._clock()
        ended: Session | None = None
        with self._lock:
            session = self._sessions.get(key)
            if session is None:
                return None
            if now - session.last_seen > self._timeout:
                ended = self._sessions.pop(key)
                self._save()
            else:
                session = replace(session, last_seen=now)
                self._sessions[key] = session
                if now - self._persisted_seen.get(key, 0.0) > TOUCH_PERSIST_S:
                    self._save(durable=False)
        if ended is not None:
            self._notify(ended, "idle")
            return None
        return replace(session, token=token)

    def peek(self, key: str) -> Session | None:
        """The live session stored under ``key`` (a token's hash), without marking it active."""
        with self._lock:
            session = self._sessions.get(key)
        if session is None or self._clock() - session.last_seen > self._timeout:
            return None
        return session

    def end(self, token: str | None, reason: str = "signed-out") -> None:
        """Sign a session out."""
        if not token:
            return
        self.end_key(token_key(token), reason)

    def end_key(self, key: str, reason: str = "signed-out") -> None:
        """Sign out the session stored under ``key``."""
        with self._lock:
            session = self._sessions.pop(key, None)
            if session is not None:
                self._save()
        if session is not None:
            self._notify(session, reason)

    def end_user(self, user_id: str, reason: str = "signed-out-everywhere") -> None:
        """Sign a user out everywhere (after a PIN reset, a role change or deactivation)."""
        with self._lock:
            ended = [s for s in self._sessions.values() if s.user_id == user_id]
            for session in ended:
                del self._sessions[session.key]
            if ended:
                self._save()
        for session in ended:
            self._notify(session, reason)

    def expire_idle(self) -> tuple[Session, ...]:
        """End every session idle past the timeout; return them."""
        now = self._clock()
        with self._lock:
            ended = tuple(s for s in self._sessions.values() if now - s.last_seen > self._timeout)
            for session in ended:
                del self._sessions[session.key]
            if ended:
                self._save()
        for session in ended:
            self._notify(session, "idle")
        return ended

    def active(self) -> tuple[Session, ...]:
        """Every live session."""
        now = self._clock()
        with self._lock:
            return tuple(s for s in self._sessions.values() if now - s.last_seen <= self._timeout)

    # -- one-time tickets: hand a session from a websocket handler to an HTTP response ---------------
    def issue_ticket(
        self,
        user_id: str,
        display_name: str,
        roles: tuple[str, ...],
        hospital_role: str | None,
        binding: str,
    ) -> str:
        """Return a single-use ticket, valid briefly, that :meth:`claim` turns into a session for ``binding``."""
        ticket = secrets.token_urlsafe(32)
        now = self._clock()
        pending = Session("", user_id, display_name, roles, hospital_role, now, now)
        with self._lock:
            self._tickets[token_key(ticket)] = _Ticket(pending, binding, now + TICKET_TTL_S)
            while len(self._tickets) > MAX_TICKETS:
                self._tickets.popitem(last=False)
        return ticket

    def claim(self, ticket: str | None, binding: str) -> Session | None:
        """Exchange a ticket for a new session, once, only by the browser it was issued to."""
        if not ticket or len(ticket) > 128:
            return None
        with self._lock:
            pending = self._tickets.pop(token_key(ticket), None)
        if (
            pending is None
            or pending.expires < self._clock()
            or not secrets.compare_digest(pending.binding, binding)
        ):
            return None
        s = pending.session
        return self.create(s.user_id, s.display_name, s.roles, s.hospital_role)

    # -- persistence ---------------------------------------------------------------------------------
    def _notify(self, session: Session, reason: str) -> None:
        for listener in self._listeners:
            try:
                listener(session, reason)
            except Exception:  # a listener's failure must not keep a session alive
                log.exception("session end listener failed")

    def _load(self) -> None:
        if self._path is None or not self._path.exists():
            return
        try:
            rows = json.loads(self._path.read_text(encoding="utf-8"))
            now = self._clock()
            for row in rows:
                session = Session(**{**row, "roles": tuple(row["roles"]), "token": ""})
                if now - session.last_seen <= self._timeout:
                    self._sessions[session.key] = session
                    self._persisted_seen[session.key] = session.last_seen
        except (OSError, ValueError, TypeError, KeyError):
            log.warning("the session file %s is unreadable; everyone signs in again", self._path)
            self._sessions.clear()

    def _save(self, durable: bool = True) -> None:
        if self._path is None:
            return
        rows = [asdict(s) | {"token": ""} for s in self._sessions.values()]
        tmp = self._path.with_suffix(".tmp")
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(rows, handle)
                if durable:
                    handle.flush()
                    os.fsync(handle.fileno())
            os.replace(tmp, self._path)
            self._persisted_seen = {s.key: s.last_seen for s in self._sessions.values()}
        except OSError:
            # A full disk must not stop sign-in: sessions still work in memory; the next save retries.
            log.warning("could not save sessions to %s", self._path, exc_info=True)
            with contextlib.suppress(OSError):
                tmp.unlink()
