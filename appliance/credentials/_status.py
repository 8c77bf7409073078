"""This site's revocation list: index allocation, and the signed list served at its URL.

Invariant: an index is handed out once. The next index is one past the highest any stored credential of this
list carries (read once, then counted in memory under a lock; the store's process lock means one writer per
box). The list's URL contains a fingerprint of the site's key, so two boxes never share a list or an index.
The revoked bits are derived from the store (credentials marked revoked), so the list holds no state of its own.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from appliance.credentials._document import Issuer
from appliance.credentials._keys import SigningKey
from appliance.credentials._proof import sign
from appliance.credentials._statuslist import status_entry, status_list_document
from appliance.store import Store


def list_name(did: str) -> str:
    """The file name (and URL tail) of a site's status list: a fingerprint of its DID."""
    return hashlib.sha256(did.encode("ascii")).hexdigest()[:16] + ".json"


def _index_in(payload: dict[str, Any], list_url: str) -> int | None:
    status = payload.get("credentialStatus")
    if isinstance(status, dict) and status.get("statusListCredential") == list_url:
        try:
            return int(status["statusListIndex"])
        except (KeyError, TypeError, ValueError):
            return None
    return None


class StatusRegistry:
    """Allocates status-list indices and signs this site's ``BitstringStatusListCredential``."""

    def __init__(
        self,
        store: Store,
        key: SigningKey,
        issuer: Callable[[], Issuer],
        base_url: str,
        cache_dir: Path,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._store = store
        self._key = key
        self._issuer = issuer
        self.name = list_name(key.did)
        self.url = f"{base_url.rstrip('/')}/credentials/status/{self.name}"
        self.cache_dir = cache_dir
        self._clock = clock
        self._lock = threading.Lock()
        self._publishing = threading.Lock()
        self._next: int | None = None

    def allocate(self) -> dict[str, Any]:
        """A fresh ``credentialStatus`` entry for a credential about to be issued."""
        with self._lock:
            if self._next is None:
                used = [_index_in(c.payload, self.url) for c in self._store.credentials.all()]
                self._next = max((i for i in used if i is not None), default=-1) + 1
            index, self._next = self._next, self._next + 1
        return status_entry(self.url, index)

    def revoked(self) -> set[int]:
        """Indices of this list's revoked credentials."""
        indices = (
            _index_in(c.payload, self.url) for c in self._store.credentials.all() if c.revoked_at is not None
        )
        return {i for i in indices if i is not None}

    def publish(self) -> dict[str, Any]:
        """Sign the list as it stands now and keep it where the web app serves it from; return it."""
        with self._publishing:
            document = status_list_document(self.url, self._issuer().profile(), self.revoked(), self._clock())
            signed = sign(document, self._key, self._clock())
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            path = self.cache_dir / self.name
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(signed, indent=2), "utf-8")
            os.replace(tmp, path)
        return signed

    def current(self) -> dict[str, Any]:
        """The last signed list (signing one first if there is none)."""
        path = self.cache_dir / self.name
        if path.exists():
            loaded: dict[str, Any] = json.loads(path.read_text("utf-8"))
            return loaded
        return self.publish()
