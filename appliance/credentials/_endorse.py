"""The hub's endorsement of a site's issuer key: an OB3 ``EndorsementCredential``.

The seam for sync: the hub calls :func:`endorse_site` with its own key for each site it vouches for (the
subject is the site's ``did:key``) and hands the document to the site, which keeps it with
:class:`EndorsementFolder`. A verifier that trusts the hub's DID checks with :func:`verify_endorsement` that
the credential's issuer is endorsed, signed by the hub and currently valid.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from appliance.credentials._contexts import DEFAULT_LOADER, OB_V3, VC_V2, ContextLoader
from appliance.credentials._errors import EndorsementInvalid, VerificationFailed
from appliance.credentials._keys import SigningKey
from appliance.credentials._proof import sign, verify
from appliance.credentials._time import timestamp


def endorse_site(
    hub_key: SigningKey,
    hub_name: str,
    site_did: str,
    site_name: str,
    *,
    valid_from: datetime,
    valid_until: datetime,
    comment: str = "",
    loader: ContextLoader = DEFAULT_LOADER,
) -> dict[str, Any]:
    """The hub's signed ``EndorsementCredential`` vouching for the site whose issuer key is ``site_did``."""
    document = {
        "@context": [VC_V2, OB_V3],
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "name": f"{hub_name} endorses {site_name} as a credential issuer",
        "issuer": {"id": hub_key.did, "type": ["Profile"], "name": hub_name},
        "validFrom": timestamp(valid_from),
        "validUntil": timestamp(valid_until),
        "credentialSubject": {
            "id": site_did,
            "type": ["EndorsementSubject"],
            "endorsementComment": comment or f"{site_name} issues credentials for the central curriculum.",
        },
    }
    return sign(document, hub_key, valid_from, loader)


def verify_endorsement(
    document: dict[str, Any],
    site_did: str,
    trusted_hubs: frozenset[str],
    now: datetime,
    loader: ContextLoader = DEFAULT_LOADER,
) -> str:
    """Check that ``document`` is a valid endorsement of ``site_did`` by a trusted hub; return the hub's DID.

    :raises EndorsementInvalid: wrong type or subject, an untrusted or wrong signer, or outside its dates.
    """
    types = document.get("type", [])
    if "EndorsementCredential" not in types:
        raise EndorsementInvalid("not an EndorsementCredential")
    subject = document.get("credentialSubject", {})
    if not isinstance(subject, dict) or subject.get("id") != site_did:
        raise EndorsementInvalid("the endorsement is about another issuer")
    try:
        signer = verify(document, loader)
    except VerificationFailed as err:
        raise EndorsementInvalid(f"the endorsement's signature: {err}") from err
    issuer = document.get("issuer")
    if (issuer.get("id") if isinstance(issuer, dict) else issuer) != signer:
        raise EndorsementInvalid("the endorsement is not signed by its issuer")
    if signer not in trusted_hubs:
        raise EndorsementInvalid(f"the endorser {signer} is not a trusted hub")
    try:
        start = datetime.fromisoformat(str(document["validFrom"]).replace("Z", "+00:00"))
        end = datetime.fromisoformat(str(document["validUntil"]).replace("Z", "+00:00"))
    except (KeyError, ValueError) as err:
        raise EndorsementInvalid("the endorsement has no valid dates") from err
    if not start <= now < end:
        raise EndorsementInvalid("the endorsement is outside its validity period")
    return signer


class EndorsementFolder:
    """The endorsements a site holds, one JSON file each (the sync engine adds them)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def add(self, document: dict[str, Any], site_did: str, hub_did: str, now: datetime) -> Path:
        """Keep an endorsement after checking it names this site and verifies against ``hub_did``.

        :raises EndorsementInvalid: it does not.
        """
        verify_endorsement(document, site_did, frozenset({hub_did}), now)
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{str(document['id']).rsplit(':', 1)[-1]}.json"
        path.write_text(json.dumps(document, indent=2), "utf-8")
        return path

    def all(self) -> tuple[dict[str, Any], ...]:
        """Every endorsement kept."""
        if not self.folder.is_dir():
            return ()
        return tuple(json.loads(p.read_text("utf-8")) for p in sorted(self.folder.glob("*.json")))
