"""Appliance settings kept in the store (site name, setup state, secrets, device id)."""

from __future__ import annotations

import secrets
from enum import StrEnum
from typing import Any

from appliance.store._layout import SETTINGS
from appliance.store._repo import Repository
from appliance.store._shards import KeyedTable


class SettingKey(StrEnum):
    """Setting names other packages rely on."""

    SITE_NAME = "site_name"
    SETUP_COMPLETED = "setup_completed"
    SESSION_SECRET = "session_secret"
    DEVICE_ID = "device_id"


class StoredSettings(Repository):
    """Key/value settings with JSON values."""

    def _settings(self) -> KeyedTable:
        return self._table(SETTINGS, "settings")

    def get(self, key: str, default: Any = None) -> Any:
        """A setting's value, or ``default``."""
        doc = self._settings().doc(str(key))
        return doc["value"] if doc is not None else default

    def set(self, key: str, value: Any) -> None:
        """Store a JSON-serialisable value."""
        with self._write():
            self._settings().put(str(key), {"value": value, "updated_at": self._now().isoformat()})

    def delete(self, key: str) -> bool:
        """Remove a setting; False when it was not set."""
        with self._write():
            return self._settings().delete(str(key))

    def all(self) -> dict[str, Any]:
        """Every setting (secrets included: do not show this to users)."""
        return {key: doc["value"] for key, doc in self._settings()._read_table().items()}  # type: ignore[index]

    def secret(self, key: str) -> str:
        """A random secret stored under ``key``, created on first use (e.g. the session secret)."""
        with self._write():
            value = self.get(key)
            if not value:
                value = secrets.token_urlsafe(32)
                self.set(key, value)
        return str(value)

    @property
    def device_id(self) -> str:
        """This appliance's id, created with the store."""
        return str(self.get(SettingKey.DEVICE_ID, ""))
