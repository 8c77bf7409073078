"""Sneakernet packs: the same records and bundles as the network, in one signed JSON file on a USB stick.

A pack is ``{format, kind, signer, created_at, body, signature}``; the signature (Ed25519) covers all the
rest in canonical JSON. ``records`` packs go from a site to the hub, signed by the site key and
checked against the enrolled key; ``hub`` packs go from the hub to sites, signed by the hub key, and
carry the newest bundle (verified again by the installer), notices and every site's cursor.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError

from appliance.sync._crypto import SigningKey, canonical, verify
from appliance.sync._errors import BundleSignatureInvalid
from appliance.sync._files import write_atomic

PACK_FORMAT: Final = "ward-pack/1"
MAX_PACK_BYTES = 256 * 1024 * 1024


class Pack(BaseModel):
    """A signed sneakernet file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["ward-pack/1"] = PACK_FORMAT
    kind: Literal["records", "hub"]
    signer: str
    created_at: AwareDatetime
    body: dict[str, Any]
    signature: str

    def signed_part(self) -> bytes:
        """The bytes the signature covers."""
        return canonical(self.model_dump(mode="json", exclude={"signature"}))


def write_pack(
    path: Path, key: SigningKey, kind: Literal["records", "hub"], signer: str, body: dict[str, Any]
) -> Pack:
    """Sign ``body`` and write it to ``path`` atomically."""
    draft = Pack(kind=kind, signer=signer, created_at=datetime.now(UTC), body=body, signature="")
    pack = draft.model_copy(update={"signature": key.sign(draft.signed_part())})
    write_atomic(path, pack.model_dump_json().encode())
    return pack


def read_pack(path: Path, kind: Literal["records", "hub"]) -> Pack:
    """Parse a pack (its signature is checked by :func:`check_pack` once the signer's key is known).

    :raises BundleSignatureInvalid: unreadable, malformed, too large, or of the other kind.
    """
    try:
        if path.stat().st_size > MAX_PACK_BYTES:
            raise BundleSignatureInvalid(f"{path} is larger than any pack this appliance accepts")
        pack = Pack.model_validate_json(path.read_bytes())
    except (OSError, ValidationError, json.JSONDecodeError) as err:
        raise BundleSignatureInvalid(f"{path} is not a ward sync pack: {err}") from err
    if pack.kind != kind:
        raise BundleSignatureInvalid(f"{path} is a {pack.kind} pack, not a {kind} pack")
    return pack


def check_pack(pack: Pack, public_key: str) -> None:
    """Check the pack's signature.

    :raises BundleSignatureInvalid: not signed by ``public_key`` or changed after signing.
    """
    if not verify(public_key, pack.signature, pack.signed_part()):
        raise BundleSignatureInvalid(
            "the pack is not signed by the expected key, or was changed after signing"
        )
