"""Our eddsa-rdfc-2022 implementation reproduces the W3C vc-di-eddsa test vector byte for byte.

Fixtures: TestVectors/ of github.com/w3c/vc-di-eddsa (W3C Software and Document License), plus the
``https://www.w3.org/ns/credentials/examples/v2`` context from github.com/w3c/vc-data-model.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from appliance.credentials import SignatureInvalid, SigningKey
from appliance.credentials._contexts import ContextLoader
from appliance.credentials._proof import hash_data, sign, verify
from tests.credentials.conftest import FIXTURES

VECTORS = FIXTURES / "vc-di-eddsa"


def _json(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((VECTORS / name).read_text())
    return loaded


@pytest.fixture
def loader() -> ContextLoader:
    return ContextLoader(
        {"https://www.w3.org/ns/credentials/examples/v2": _json("credentials-examples-v2.json")}
    )


@pytest.fixture
def key() -> SigningKey:
    pair = _json("keyPair.json")
    key = SigningKey.from_multibase(pair["privateKeyMultibase"])
    assert key.multikey == pair["publicKeyMultibase"]
    return key


def test_canonical_document_and_proof_config_match_the_vector(loader: ContextLoader) -> None:
    assert loader.canonize(_json("unsigned.json")) == (VECTORS / "canonDocDataInt.txt").read_text()
    assert (
        loader.canonize(_json("proofConfigDataInt.json")) == (VECTORS / "proofCanonDataInt.txt").read_text()
    )


def test_hash_signature_and_signed_document_match_the_vector(loader: ContextLoader, key: SigningKey) -> None:
    config = _json("proofConfigDataInt.json")
    combined = hash_data(_json("unsigned.json"), config, loader)
    assert combined.hex() == (VECTORS / "combinedHashDataInt.txt").read_text().strip()
    assert key.sign(combined).hex() == (VECTORS / "sigHexDataInt.txt").read_text().strip()
    signed = sign(_json("unsigned.json"), key, datetime(2023, 2, 24, 23, 36, 38, tzinfo=UTC), loader)
    assert signed == _json("signedDataInt.json")


def test_the_vector_verifies_and_a_changed_claim_does_not(loader: ContextLoader, key: SigningKey) -> None:
    signed = _json("signedDataInt.json")
    assert verify(signed, loader) == key.did
    signed["credentialSubject"]["alumniOf"] = "The School of Forgeries"
    with pytest.raises(SignatureInvalid):
        verify(signed, loader)
