"""Progressive sign-in throttling per source address and per account, with decay.

What it keeps true on a shared ward network:

- A spray from one address slows *that address* down; it never locks an account for other addresses. Failures
  are counted per (account, source) pair, and an account is locked for everyone only when failures come from
  several distinct sources (``distributed_sources``): a guessing attack spread over many tablets.
- Administrators are never locked for everyone: only the sources that fail are slowed.
- Unknown and known staff IDs are counted the same way, so the answers (401 or 429) cannot tell them apart.
- Every counter decays (half-life ``half_life_s``) and the tables are bounded (least recently used dropped).

The state lives in memory: a restart forgives, which is acceptable because each try costs an argon2 hash.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failures are free and how the wait grows after them."""

    source_free: int = 10
    pair_free: int = 5
    distributed_sources: int = 3
    base_seconds: float = 15.0
    max_seconds: float = 15 * 60.0
    half_life_s: float = 15 * 60.0
    max_entries: int = 20_000

    def wait(self, failures: float, free: int) -> float:
        """Seconds to wait after ``failures`` (decayed) failures when ``free`` are allowed."""
        over = round(failures) - free
        if over < 0:
            return 0.0
        return min(self.max_seconds, self.base_seconds * 2.0**over)


@dataclass
class _Counter:
    failures: float
    stamp: float
    blocked_until: float = 0.0


@dataclass(frozen=True)
class ThrottleVerdict:
    """Whether a try may go ahead now and, if not, for how long it is held back."""

    retry_after: float
    reason: str = ""

    @property
    def allowed(self) -> bool:
        """True when the try may be checked now."""
        return self.retry_after <= 0


class _DecayingTable:
    """A bounded LRU table of decaying failure counters."""

    def __init__(self, policy: ThrottlePolicy) -> None:
        self._policy = policy
        self._rows: OrderedDict[object, _Counter] = OrderedDict()

    def get(self, key: object, now: float) -> _Counter | None:
        row = self._rows.get(key)
        if row is None:
            return None
        row.failures *= 0.5 ** ((now - row.stamp) / self._policy.half_life_s)
        row.stamp = now
        if row.failures < 0.05 and row.blocked_until <= now:
            del self._rows[key]
            return None
        self._rows.move_to_end(key)
        return row

    def bump(self, key: object, now: float) -> _Counter:
        row = self.get(key, now) or _Counter(0.0, now)
        row.failures += 1.0
        self._rows[key] = row
        self._rows.move_to_end(key)
        while len(self._rows) > self._policy.max_entries:
            self._rows.popitem(last=False)
        return row

    def clear(self, predicate: Callable[[object], bool]) -> None:
        for key in [k for k in self._rows if predicate(k)]:
            del self._rows[key]

    def __len__(self) -> int:
        return len(self._rows)


class SignInThrottle:
    """Decide whether a sign-in try may be checked, and learn from its outcome."""

    def __init__(
        self, policy: ThrottlePolicy | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._policy = policy or ThrottlePolicy()
        self._clock = clock
        self._lock = threading.Lock()
        self._sources = _DecayingTable(self._policy)
        self._pairs = _DecayingTable(self._policy)
        self._accounts: OrderedDict[str, dict[str, float]] = OrderedDict()

    @property
    def policy(self) -> ThrottlePolicy:
        """The policy in force."""
        return self._policy

    def check(self, account: str, source: str, *, lockable: bool = True) -> ThrottleVerdict:
        """May ``source`` try a PIN for ``account`` now? ``lockable`` False exempts it from account-wide locks."""
        key = _norm(account)
        now = self._clock()
        with self._lock:
            src = self._sources.get(source, now)
            if src and src.blocked_until > now:
                return ThrottleVerdict(src.blocked_until - now, "source")
            pair = self._pairs.get((key, source), now)
            if pair and pair.blocked_until > now:
                return ThrottleVerdict(pair.blocked_until - now, "account")
            if lockable:
                until = self._account_block(key, now)
                if until > now:
                    return ThrottleVerdict(until - now, "account")
        return ThrottleVerdict(0.0)

    def failed(self, account: str, source: str, *, lockable: bool = True) -> ThrottleVerdict:
        """Record a failed try; return how long the next try from here must wait (0 when free)."""
        key = _norm(account)
        now = self._clock()
        with self._lock:
            src = self._sources.bump(source, now)
            src_wait = self._policy.wait(src.failures, self._policy.source_free)
            if src_wait:
                src.blocked_until = now + src_wait
            pair = self._pairs.bump((key, source), now)
            pair_wait = self._policy.wait(pair.failures, self._policy.pair_free)
            if pair_wait:
                pair.blocked_until = now + pair_wait
                self._note_source(key, source, now + pair_wait)
            account_wait = max(0.0, self._account_block(key, now) - now) if lockable else 0.0
        wait = max(src_wait, pair_wait, account_wait)
        reason = "source" if wait and wait == src_wait else ("account" if wait else "")
        return ThrottleVerdict(wait, reason)

    def succeeded(self, account: str, source: str) -> None:
        """Forget the failures of this account from this source after a correct PIN."""
        key = _norm(account)
        with self._lock:
            self._pairs.clear(lambda k: k == (key, source))

    def forgive(self, account: str) -> None:
        """Clear every lock on ``account`` (an admin unlocked it or reset its PIN)."""
        key = _norm(account)
        with self._lock:
            self._pairs.clear(lambda k: isinstance(k, tuple) and k[0] == key)
            self._accounts.pop(key, None)

    def account_locked(self, account: str) -> bool:
        """True while ``account`` is locked for every source (failures from several distinct sources)."""
        with self._lock:
            return self._account_block(_norm(account), self._clock()) > self._clock()

    def size(self) -> int:
        """How many counters are held (bounded by the policy)."""
        with self._lock:
            return len(self._sources) + len(self._pairs) + len(self._accounts)

    # -- account-wide locks from distinct sources ----------------------------------------------------
    def _note_source(self, key: str, source: str, until: float) -> None:
        sources = self._accounts.setdefault(key, {})
        sources[source] = until
        self._accounts.move_to_end(key)
        while len(self._accounts) > self._policy.max_entries:
            self._accounts.popitem(last=False)

    def _account_block(self, key: str, now: float) -> float:
        sources = self._accounts.get(key)
        if not sources:
            return 0.0
        live = {s: u for s, u in sources.items() if u > now}
        if not live:
            del self._accounts[key]
            return 0.0
        self._accounts[key] = live
        if len(live) < self._policy.distributed_sources:
            return 0.0
        return max(live.values())


def _norm(account: str) -> str:
    return account.strip().casefold()[:64]
