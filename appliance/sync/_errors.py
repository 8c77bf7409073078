"""Errors of the sync package.

::

    SyncError                  base of everything sync raises
    ├── HubUnreachable         no answer from the hub (network down, hub stopped, timeout): try again later
    ├── HubImpostor            a hub that cannot prove the pinned key (or the token's fingerprint)
    ├── HubRejected            the hub refused a request (bad signature, clock, token, malformed chunk)
    │   └── DeviceRevoked      this site was revoked on the hub; ``reason`` says why
    ├── NotEnrolled            the site has no hub identity yet: run ``appliance sync enroll``
    ├── BundleSignatureInvalid a curriculum bundle or sneakernet pack whose signature or file hashes fail
    ├── BundleStale            a bundle that is expired, or older than the one installed
    ├── BundleRejected         a correctly signed bundle whose content cannot be installed
    ├── SiteRewound            the hub holds events beyond this store's last sequence (store restored?)
    └── HubStoreError          the hub's database failed or is at an unknown schema version
"""

from __future__ import annotations


class SyncError(Exception):
    """Base class for sync errors."""


class HubUnreachable(SyncError):
    """The hub did not answer; the loop backs off and tries again."""


class HubImpostor(SyncError):
    """The peer cannot prove the hub key this site trusts."""


class HubRejected(SyncError):
    """The hub refused the request."""

    def __init__(self, message: str, *, code: str = "rejected", hub_time: float | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.hub_time = hub_time


class DeviceRevoked(HubRejected):
    """This site's key was revoked on the hub."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"this site was revoked on the hub: {reason}", code="revoked")
        self.reason = reason


class NotEnrolled(SyncError):
    """The site has not been enrolled with a hub."""


class BundleSignatureInvalid(SyncError):
    """A bundle's signature, signer or file hashes do not check out; nothing was installed."""


class BundleStale(SyncError):
    """A bundle that has expired or is older than the installed one; nothing was installed."""


class BundleRejected(SyncError):
    """A signed bundle whose content is invalid (bad curriculum, conflicting versions)."""


class SiteRewound(SyncError):
    """The hub has events past this store's last sequence number: sending would be ambiguous."""


class HubStoreError(SyncError):
    """The hub's database failed, or its schema is newer than this code."""
