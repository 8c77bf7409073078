"""Signed, versioned curriculum bundles: one JSON file holding a manifest, its signature and the files.

The manifest lists every file with its size and SHA-256 and is signed (Ed25519) by the hub key over its
canonical JSON. It has a long validity (a year by default) so a ward offline for months, or one that
only ever sees a USB stick, can still check it. A bundle is a full snapshot (taxonomy plus the latest
version of every module), so installing one never depends on having installed the one before.
Checks, in order, before anything is written: format, signer, signature, expiry, version, file hashes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from appliance.sync._crypto import SigningKey, canonical, fingerprint, sha256_hex, verify
from appliance.sync._errors import BundleSignatureInvalid, BundleStale

BUNDLE_FORMAT = "ward-bundle/1"
DEFAULT_VALIDITY = timedelta(days=365)
MAX_BUNDLE_BYTES = 64 * 1024 * 1024


class BundleFile(BaseModel):
    """One file of a bundle: ``taxonomy.json`` or ``modules/<id>.json``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str = Field(pattern=r"^(taxonomy\.json|modules/[a-z0-9][a-z0-9._-]{0,80}\.json)$")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)
    module_id: str | None = None
    module_version: str | None = None


class Manifest(BaseModel):
    """What a bundle holds, who made it and until when it may be installed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: str = BUNDLE_FORMAT
    hub_id: str
    version: int = Field(ge=1)
    created_at: AwareDatetime
    expires_at: AwareDatetime
    files: tuple[BundleFile, ...] = Field(min_length=1)


class Bundle(BaseModel):
    """A manifest, the hub's signature over it, and the files' text by path."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    manifest: Manifest
    signature: str
    files: dict[str, str]

    def to_json(self) -> str:
        """The bundle as a file's text."""
        return self.model_dump_json()

    @classmethod
    def from_json(cls, text: str | bytes) -> Bundle:
        """Parse a bundle file.

        :raises BundleSignatureInvalid: not a bundle (malformed, wrong format, too large).
        """
        if len(text) > MAX_BUNDLE_BYTES:
            raise BundleSignatureInvalid("the bundle is larger than any this appliance accepts")
        try:
            bundle = cls.model_validate_json(text)
        except ValidationError as err:
            raise BundleSignatureInvalid(f"not a curriculum bundle: {err.errors()[0]['msg']}") from None
        if bundle.manifest.format != BUNDLE_FORMAT:
            raise BundleSignatureInvalid(f"unknown bundle format {bundle.manifest.format!r}")
        return bundle


def build_bundle(
    key: SigningKey,
    version: int,
    files: Mapping[str, tuple[str, str | None, str | None]],
    *,
    now: datetime | None = None,
    validity: timedelta = DEFAULT_VALIDITY,
) -> Bundle:
    """Sign a bundle of ``files`` (path -> (text, module id, module version)) as version ``version``."""
    created = now or datetime.now(UTC)
    entries = tuple(
        BundleFile(
            path=path,
            sha256=sha256_hex(text.encode()),
            size=len(text.encode()),
            module_id=mid,
            module_version=ver,
        )
        for path, (text, mid, ver) in sorted(files.items())
    )
    manifest = Manifest(
        hub_id=key.fingerprint,
        version=version,
        created_at=created,
        expires_at=created + validity,
        files=entries,
    )
    signature = key.sign(canonical(manifest.model_dump(mode="json")))
    return Bundle(manifest=manifest, signature=signature, files={p: t for p, (t, _, _) in files.items()})


def verify_bundle(bundle: Bundle, hub_key: str, *, now: datetime, installed: int = 0) -> None:
    """Check a bundle against the trusted hub key before anything of it is used.

    :param installed: the version installed now; an older bundle is refused (no silent downgrade).
    :raises BundleSignatureInvalid: another signer, a bad signature, or a file that does not match its hash.
    :raises BundleStale: expired, or older than ``installed``.
    """
    manifest = bundle.manifest
    if manifest.hub_id != fingerprint(hub_key):
        raise BundleSignatureInvalid(f"the bundle was signed by hub {manifest.hub_id}, not the trusted hub")
    if not verify(hub_key, bundle.signature, canonical(manifest.model_dump(mode="json"))):
        raise BundleSignatureInvalid("the bundle's signature does not match its manifest")
    if now >= manifest.expires_at:
        raise BundleStale(f"bundle {manifest.version} expired on {manifest.expires_at:%Y-%m-%d}")
    if manifest.version < installed:
        raise BundleStale(f"bundle {manifest.version} is older than the installed version {installed}")
    listed = {f.path for f in manifest.files}
    if listed != set(bundle.files):
        raise BundleSignatureInvalid("the bundle's files are not the ones its manifest lists")
    for entry in manifest.files:
        if sha256_hex(bundle.files[entry.path].encode()) != entry.sha256:
            raise BundleSignatureInvalid(f"{entry.path} does not match its hash in the signed manifest")
