"""The health report IT and the image's service checks read from ``/healthz``."""

from __future__ import annotations

import shutil
from typing import Any

from appliance import __version__
from appliance.config import Settings
from appliance.grader import Grader
from appliance.store import Store, StoreError


def health_report(settings: Settings, store: Store, grader: Grader) -> dict[str, Any]:
    """Version, storage state, grader backend/model/provider and free disk, as JSON-ready data."""
    info = grader.describe()
    try:
        report = store.check(quick=True)
        storage: dict[str, Any] = {
            "ok": report.ok,
            "schema_version": report.schema_version,
            "shards": report.shards,
            "bytes_on_disk": report.bytes_on_disk,
            "findings": [str(f) for f in report.findings],
        }
    except StoreError as err:
        storage = {"ok": False, "error": str(err)}
    disk = shutil.disk_usage(settings.data_dir)
    space = store.health()
    storage["writable"] = space.writable
    storage["disk_full"] = space.disk_full
    storage["message"] = space.message
    return {
        "status": "ok" if storage["ok"] and space.writable else "degraded",
        "version": __version__,
        "storage": storage,
        "grader": {
            "backend": info.backend,
            "model": info.model_id,
            "model_version": info.model_version,
            "fallback_reason": info.fallback_reason,
        },
        "accelerator": info.provider,
        "disk_free_mb": disk.free // (1024 * 1024),
    }
