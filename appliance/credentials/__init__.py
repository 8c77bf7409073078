"""Signed, stackable Open Badges 3.0 credentials that anyone can verify offline (no UI code).

A passed module earns an ``OpenBadgeCredential`` (VC Data Model 2.0) signed by the site's ``did:key`` with an
embedded Data Integrity proof, cryptosuite ``eddsa-rdfc-2022``; JSON-LD contexts and the OB3 JSON Schema are
bundled and nothing is ever fetched. Revocation is a signed Bitstring Status List per site; a hub vouches for a
site's key with an ``EndorsementCredential``.

Errors::

    CredentialError
    ├── KeyFileError
    └── VerificationFailed              (.check names the failed check)
        ├── MalformedCredential         json
        ├── ContextInvalid              context
        ├── SchemaInvalid               schema
        ├── SignatureInvalid            signature
        ├── DatesInvalid > NotYetValid | Expired          dates
        ├── StatusInvalid > Revoked | StatusUnavailable   status
        └── EndorsementInvalid          endorsement
"""

from appliance.credentials._baking import badge_image, bake, unbake
from appliance.credentials._endorse import EndorsementFolder, endorse_site, verify_endorsement
from appliance.credentials._errors import (
    ContextInvalid,
    CredentialError,
    DatesInvalid,
    EndorsementInvalid,
    Expired,
    KeyFileError,
    MalformedCredential,
    NotYetValid,
    Revoked,
    SchemaInvalid,
    SignatureInvalid,
    StatusInvalid,
    StatusUnavailable,
    VerificationFailed,
)
from appliance.credentials._keys import SigningKey
from appliance.credentials._site import CredentialSite, local_status_lists, open_site
from appliance.credentials._verify import Check, MappingStatusLists, Verification, Verifier, parse

__all__ = [
    "Check",
    "ContextInvalid",
    "CredentialError",
    "CredentialSite",
    "DatesInvalid",
    "EndorsementFolder",
    "EndorsementInvalid",
    "Expired",
    "KeyFileError",
    "MalformedCredential",
    "MappingStatusLists",
    "NotYetValid",
    "Revoked",
    "SchemaInvalid",
    "SignatureInvalid",
    "SigningKey",
    "StatusInvalid",
    "StatusUnavailable",
    "Verification",
    "VerificationFailed",
    "Verifier",
    "badge_image",
    "bake",
    "endorse_site",
    "local_status_lists",
    "open_site",
    "parse",
    "unbake",
    "verify_endorsement",
]
