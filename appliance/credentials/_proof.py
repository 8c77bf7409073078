"""Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (W3C vc-di-eddsa).

Signing: canonicalise (RDFC-1.0) the proof options without ``proofValue``, carrying the document's
``@context``, and the document without ``proof``; sign sha256(proof config) || sha256(document) with Ed25519;
``proofValue`` is ``z`` + base58btc(signature). Verifying recomputes the same bytes from the bundled contexts.
"""

from __future__ import annotations

import copy
import hashlib
from datetime import datetime
from typing import Any

import base58

from appliance.credentials._contexts import DEFAULT_LOADER, ContextLoader
from appliance.credentials._errors import SignatureInvalid
from appliance.credentials._keys import SigningKey, did_key_public_key, verify_signature
from appliance.credentials._time import timestamp

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"


def hash_data(document: dict[str, Any], proof_config: dict[str, Any], loader: ContextLoader) -> bytes:
    """sha256(canonical proof config) || sha256(canonical document without its proof)."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    config = {k: v for k, v in proof_config.items() if k != "proofValue"}
    config["@context"] = document["@context"]
    proof_hash = hashlib.sha256(loader.canonize(config).encode("utf-8")).digest()
    doc_hash = hashlib.sha256(loader.canonize(unsecured).encode("utf-8")).digest()
    return proof_hash + doc_hash


def sign(
    document: dict[str, Any],
    key: SigningKey,
    created: datetime,
    loader: ContextLoader = DEFAULT_LOADER,
) -> dict[str, Any]:
    """Return a copy of ``document`` with an embedded ``eddsa-rdfc-2022`` proof by ``key``."""
    signed = copy.deepcopy({k: v for k, v in document.items() if k != "proof"})
    proof: dict[str, Any] = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": timestamp(created),
        "verificationMethod": key.verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = key.sign(hash_data(signed, proof, loader))
    proof["proofValue"] = "z" + base58.b58encode(signature).decode("ascii")
    signed["proof"] = proof
    return signed


def verify(document: dict[str, Any], loader: ContextLoader = DEFAULT_LOADER) -> str:
    """Check the document's proof; return the DID that signed it.

    :raises SignatureInvalid: no single ``eddsa-rdfc-2022`` assertion proof, an unusable key, or no match.
    :raises ContextInvalid: the document names a context that is not bundled.
    """
    proof = document.get("proof")
    if not isinstance(proof, dict):
        raise SignatureInvalid("the credential has no (single) embedded proof")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise SignatureInvalid(f"unsupported proof {proof.get('type')!r}/{proof.get('cryptosuite')!r}")
    if proof.get("proofPurpose") != "assertionMethod":
        raise SignatureInvalid("the proof's purpose is not assertionMethod")
    value = proof.get("proofValue")
    method = proof.get("verificationMethod")
    if not isinstance(value, str) or not value.startswith("z") or not isinstance(method, str):
        raise SignatureInvalid("the proof has no base58btc proofValue or verificationMethod")
    try:
        signature = base58.b58decode(value[1:])
    except ValueError as err:
        raise SignatureInvalid("proofValue is not base58btc") from err
    did, public = did_key_public_key(method)
    verify_signature(public, signature, hash_data(document, proof, loader))
    return did
