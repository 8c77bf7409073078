"""Opportunistic sync with a central hub: records up, curriculum and notices down, nothing lost or doubled.

Site side::

    await async_enroll(store, client, "http://hub:8470", token)        # once: registers the site key
    report = await async_sync(store, client)                          # one session (the CLI's `sync now`)
    async with SyncLoop(store) as loop: ...                            # the background loop
    sync_status(settings.data_dir, store)                             # for /healthz and admin pages

The hub lives in :mod:`appliance.sync.hub`. Neither imports NiceGUI.

Errors::

    SyncError > HubUnreachable | HubImpostor | HubRejected (> DeviceRevoked) | NotEnrolled
              | BundleSignatureInvalid | BundleStale | BundleRejected | SiteRewound | HubStoreError
"""

from appliance.sync._bundle import Bundle, BundleFile, Manifest, build_bundle, verify_bundle
from appliance.sync._client import HubClient
from appliance.sync._crypto import SigningKey, fingerprint
from appliance.sync._discovery import SERVICE_TYPE, Candidate, async_advertise, async_browse
from appliance.sync._errors import (
    BundleRejected,
    BundleSignatureInvalid,
    BundleStale,
    DeviceRevoked,
    HubImpostor,
    HubRejected,
    HubStoreError,
    HubUnreachable,
    NotEnrolled,
    SiteRewound,
    SyncError,
)
from appliance.sync._install import Installed, Installer
from appliance.sync._loop import SyncLoop, backoff_delay
from appliance.sync._sneakernet import ImportReport, export_records, import_hub_pack
from appliance.sync._stages import Stage, SyncReport, async_enroll, async_sync, sync_status
from appliance.sync._state import SiteFiles, SiteIdentity, SyncState, SyncStatus
from appliance.sync._verify import HubIdentity, async_find_hub, async_verify_hub
from appliance.sync._wire import Ack, EventChunk, Notice, WireEvent

__all__ = [
    "SERVICE_TYPE",
    "Ack",
    "Bundle",
    "BundleFile",
    "BundleRejected",
    "BundleSignatureInvalid",
    "BundleStale",
    "Candidate",
    "DeviceRevoked",
    "EventChunk",
    "HubClient",
    "HubIdentity",
    "HubImpostor",
    "HubRejected",
    "HubStoreError",
    "HubUnreachable",
    "ImportReport",
    "Installed",
    "Installer",
    "Manifest",
    "NotEnrolled",
    "Notice",
    "SigningKey",
    "SiteFiles",
    "SiteIdentity",
    "SiteRewound",
    "Stage",
    "SyncError",
    "SyncLoop",
    "SyncReport",
    "SyncState",
    "SyncStatus",
    "WireEvent",
    "async_advertise",
    "async_browse",
    "async_enroll",
    "async_find_hub",
    "async_sync",
    "async_verify_hub",
    "backoff_delay",
    "build_bundle",
    "export_records",
    "fingerprint",
    "import_hub_pack",
    "sync_status",
    "verify_bundle",
]
