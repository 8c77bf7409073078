"""Appliance settings kept in the store (site name, setup state, device id); secrets live in key files."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from appliance.keys import KeyFiles, KeysError
from appliance.store._layout import SETTINGS
from appliance.store._repo import Repository
from appliance.store.engine import KeyedTable, StoreIOError


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
        """Every setting (secrets are not here: they live in key files, see :meth:`secret`)."""
        return {key: doc["value"] for key, doc in self._settings()._read_table().items()}

    def secret(self, key: str) -> str:
        """A random secret named ``key``, created on first use (e.g. the session secret).

        It is kept in its own 0600 file, ``<data>/keys/<key>`` (see ``appliance.keys.KeyFiles``), never
        in the shards; a secret an older version kept in the settings moves there, and the next
        checkpoint purges it from the journal and the shards' previous generations.

        :raises StoreIOError: the key file cannot be written.
        """
        files = KeyFiles(self._core.data_dir)
        try:
            existing = files.read(str(key))
            legacy = self.get(key)
            if existing is None and legacy:
                files.write(str(key), f"{legacy}\n".encode())
            if legacy is not None:
                with self._write() as tx:
                    self._settings().delete(str(key))
                    tx.no_history.add(self._core.shard(SETTINGS))  # no .prev keeps the old value
                self._core.purge_pending = True  # the next checkpoint drops it from the journal too
            return files.secret(str(key))
        except KeysError as err:
            raise StoreIOError(f"could not keep the secret {key!r}: {err}") from err

    @property
    def device_id(self) -> str:
        """This appliance's id, created with the store."""
        return str(self.get(SettingKey.DEVICE_ID, ""))
