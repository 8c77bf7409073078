"""The parts: baked PNG, status-list bits, the key file, the OB3 schema, bundled contexts, the endorsement seam."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from jsonschema import Draft201909Validator
from openbadgeslib.baking import ITXT_KEYWORD_OB3, extract_png

from appliance.credentials import (
    ContextInvalid,
    EndorsementInvalid,
    KeyFileError,
    MalformedCredential,
    SigningKey,
    badge_image,
    bake,
    endorse_site,
    unbake,
    verify_endorsement,
)
from appliance.credentials._contexts import BUNDLED, DEFAULT_LOADER
from appliance.credentials._statuslist import MIN_ENTRIES, bit_is_set, encode_bits
from tests.credentials.conftest import Issued

DATA = Path(__file__).resolve().parents[2] / "appliance" / "credentials" / "data"


def test_a_baked_png_round_trips_and_verifies(issued: Issued) -> None:
    view = issued.views[0]
    baked = issued.services.credentials.baked_png(view)
    assert json.loads(unbake(baked)) == view.document
    assert (
        json.loads(extract_png(baked, keyword=ITXT_KEYWORD_OB3) or "") == view.document
    )  # openbadgeslib reads it
    assert issued.services.credentials.verify(baked).valid
    assert unbake(bake(baked, '{"a": 1}')) == '{"a": 1}'  # re-baking replaces, never duplicates


def test_a_png_without_a_credential_fails_the_json_check(issued: Issued) -> None:
    with pytest.raises(MalformedCredential):
        unbake(badge_image("badge"))
    result = issued.services.credentials.verify(badge_image("badge"))
    assert result.failed is not None and result.failed.name == "json"


def test_status_bits_are_msb_first_gzip_base64url_and_at_least_131072_long() -> None:
    encoded = encode_bits({0, 9, 131_071})
    assert encoded.startswith("u") and "=" not in encoded
    assert [bit_is_set(encoded, i) for i in (0, 1, 8, 9, 131_071)] == [True, False, False, True, True]
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(raw) * 8 == MIN_ENTRIES and raw[0] == 0x80 and raw[1] == 0x40


def test_the_key_file_is_created_0600_and_refused_when_others_can_read_it(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "issuer.pem"
    key = SigningKey.load_or_create(path)
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert SigningKey.load_or_create(path).did == key.did and key.did.startswith("did:key:z6Mk")
    path.chmod(0o644)
    with pytest.raises(KeyFileError, match="chmod 600"):
        SigningKey.load_or_create(path)


def test_the_signing_key_never_enters_the_store(issued: Issued) -> None:
    key_file = issued.services.settings.data_dir / "keys" / "issuer-ed25519.pem"
    secret = key_file.read_bytes().split(b"\n")[1]
    for path in (issued.services.settings.data_dir / "store").rglob("*"):
        if path.is_file():
            assert secret not in path.read_bytes(), path


def test_every_credential_validates_against_the_vendored_ob3_schema(issued: Issued) -> None:
    schema = json.loads((DATA / "schemas" / "ob_v3p0_achievementcredential_schema.json").read_text())
    validator = Draft201909Validator(schema)
    for view in issued.views:
        assert list(validator.iter_errors(view.document)) == []


def test_bundled_files_are_unmodified_copies() -> None:
    table = (DATA / "README.md").read_text()
    for name in [*BUNDLED.values()]:
        digest = hashlib.sha256((DATA / "contexts" / name).read_bytes()).hexdigest()
        assert digest in table, name
    schema = (DATA / "schemas" / "ob_v3p0_achievementcredential_schema.json").read_bytes()
    assert hashlib.sha256(schema).hexdigest() in table


def test_an_unbundled_context_is_refused_without_fetching() -> None:
    with pytest.raises(ContextInvalid, match="never fetched"):
        DEFAULT_LOADER.canonize({"@context": "https://example.org/ctx.jsonld", "name": "x"})


def test_a_hub_endorsement_of_the_site_verifies_and_a_stranger_does_not(issued: Issued) -> None:
    site = issued.services.credentials.site
    hub = SigningKey.generate()
    now = datetime.now(UTC)
    endorsement = endorse_site(
        hub, "Central educators", site.key.did, "NICU", valid_from=now, valid_until=now + timedelta(days=365)
    )
    assert verify_endorsement(endorsement, site.key.did, frozenset({hub.did}), now) == hub.did
    site.endorsements.add(endorsement, site.key.did, hub.did, now)
    doc = issued.views[0].json
    endorsed = site.verifier(trusted_hubs=frozenset({hub.did})).verify(doc)
    assert endorsed.valid and f"endorsed by {hub.did}" in endorsed.checks[-1].detail
    stranger = SigningKey.generate().did
    refused = site.verifier(trusted_hubs=frozenset({stranger})).verify(doc)
    assert refused.failed is not None and refused.failed.name == "endorsement"
    with pytest.raises(EndorsementInvalid, match="another issuer"):
        verify_endorsement(endorsement, stranger, frozenset({hub.did}), now)
    tampered = json.loads(json.dumps(endorsement))
    tampered["credentialSubject"]["endorsementComment"] = "anything"
    with pytest.raises(EndorsementInvalid, match="signature"):
        verify_endorsement(tampered, site.key.did, frozenset({hub.did}), now)
    with pytest.raises(EndorsementInvalid, match="validity"):
        verify_endorsement(endorsement, site.key.did, frozenset({hub.did}), now + timedelta(days=400))
