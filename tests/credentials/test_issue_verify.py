"""Issue -> verify round trip with our verifier and with openbadgeslib; each defect fails its own check."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from openbadgeslib.ob3.ldp import OB3LdpVerifier
from openbadgeslib.ob3.verifier import OB3VerificationError

from appliance.credentials import SigningKey, Verifier, local_status_lists
from appliance.credentials._proof import sign
from appliance.services import CredentialNotFound, ServiceError
from tests.credentials.conftest import Issued


def _verifier(issued: Issued, now: datetime | None = None) -> Verifier:
    verifier = issued.services.credentials.site.verifier()
    if now is not None:
        verifier.clock = lambda: now
    return verifier


def test_the_demo_learner_holds_two_badges_and_the_micro_credential_that_all_verify(issued: Issued) -> None:
    assert sorted(v.level for v in issued.views) == ["badge", "badge", "micro-credential"]
    for view in issued.views:
        result = _verifier(issued).verify(view.json)
        assert result.valid, result.checks
        assert [c.name for c in result.checks] == [
            "json",
            "context",
            "schema",
            "signature",
            "dates",
            "status",
            "endorsement",
        ]
        assert result.status_list_age_s is not None and result.status_list_age_s < 60


def test_openbadgeslib_verifies_every_credential_independently(issued: Issued) -> None:
    lists = {issued.services.credentials.site.status.url: issued.services.credentials.site.status.current()}
    for view in issued.views:
        credential = OB3LdpVerifier().verify(view.json)
        assert credential.issuer.id == issued.services.credentials.site.key.did
        # status too, from the cached list (download is injected: nothing is fetched). openbadgeslib verifies
        # a status list's own signature only for JWT-VC lists, so ours (Data Integrity) is read unverified there.
        OB3LdpVerifier().verify(
            view.json,
            check_status=True,
            verify_status_list=False,
            download=lambda url: json.dumps(lists[url]).encode(),
        )


def test_openbadgeslib_sees_a_revoked_credential_as_revoked(issued: Issued) -> None:
    view = issued.views[-1]
    issued.services.credentials.revoke("admin", view.record_id, "issued in error")
    listed = json.dumps(issued.services.credentials.site.status.current()).encode()
    with pytest.raises(OB3VerificationError, match="status 'revocation' is set"):
        OB3LdpVerifier().verify(
            view.json, check_status=True, verify_status_list=False, download=lambda url: listed
        )


def test_the_credential_says_what_was_achieved_and_how(issued: Issued) -> None:
    doc = issued.doc("badge")
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert doc["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert doc["issuer"]["id"].startswith("did:key:z6Mk")
    subject = doc["credentialSubject"]
    achievement = subject["achievement"]
    assert achievement["achievementType"] == "Badge" and achievement["criteria"]["narrative"]
    kinds = {a["targetType"] for a in achievement["alignment"]}
    assert kinds == {"ceasn:Competency", "ext:HospitalRole"}
    bands = [r["value"] for r in subject["result"] if r["resultDescription"].endswith(":band")]
    assert bands and set(bands) <= {"strong", "adequate", "insufficient", "unsafe"}
    assert all(e["genre"] == "Assessment" and ":attempt:" in e["id"] for e in doc["evidence"])
    identity = subject["identifier"][0]
    assert (
        identity["hashed"]
        and "N200" not in json.dumps(doc)
        and identity["identityHash"].startswith("sha256$")
    )
    assert doc["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert datetime.fromisoformat(doc["validUntil"]) - datetime.fromisoformat(doc["validFrom"]) == timedelta(
        days=730
    )


def test_no_rationale_text_is_in_the_credential(issued: Issued) -> None:
    text = json.dumps([v.document for v in issued.views])
    for record in issued.services.store.grades.for_learner(issued.nurse.user_id):  # the texts live here
        if record.rationale:
            assert record.rationale[:40] not in text


def _failed(issued: Issued, data: str | dict[str, Any], now: datetime | None = None) -> tuple[str, str]:
    result = _verifier(issued, now).verify(json.dumps(data) if isinstance(data, dict) else data)
    assert not result.valid and result.failed is not None
    return result.failed.name, result.failed.detail


def test_a_tampered_field_fails_the_signature(issued: Issued) -> None:
    for path in (("name",), ("credentialSubject", "achievement", "achievementType"), ("validUntil",)):
        doc = issued.doc()
        target = doc
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = (
            "Certificate"
            if path[-1] == "achievementType"
            else ("2099-01-01T00:00:00Z" if path[-1] == "validUntil" else "Forged badge")
        )
        assert _failed(issued, doc)[0] == "signature", path


def test_a_signature_by_another_key_fails_the_signature(issued: Issued) -> None:
    forged = sign(issued.doc(), SigningKey.generate(), datetime.now(UTC))
    name, detail = _failed(issued, forged)
    assert name == "signature" and "issuer" in detail


def test_expired_and_not_yet_valid_fail_the_dates(issued: Issued) -> None:
    doc = issued.doc()
    name, detail = _failed(issued, doc, now=datetime.now(UTC) + timedelta(days=731))
    assert (name, detail.split()[0]) == ("dates", "expired")
    name, detail = _failed(issued, doc, now=datetime.now(UTC) - timedelta(days=1))
    assert (name, detail.split()[0]) == ("dates", "not")


def test_a_revoked_credential_fails_the_status(issued: Issued) -> None:
    view = issued.views[0]
    assert _verifier(issued).verify(view.json).valid
    issued.services.credentials.revoke("admin", view.record_id, "exam misconduct")
    name, detail = _failed(issued, view.json)
    assert name == "status" and "revoked" in detail
    entry = issued.services.store.audit.entries(action="credential.revoke")[0]
    assert entry.details["reason"] == "exam misconduct" and entry.target == view.record_id
    with pytest.raises(ServiceError, match="already revoked"):
        issued.services.credentials.revoke("admin", view.record_id, "twice")
    with pytest.raises(CredentialNotFound):
        issued.services.credentials.revoke("admin", "nope", "no such record")
    others = [v for v in issued.views if v.record_id != view.record_id]
    assert all(_verifier(issued).verify(v.json).valid for v in others)


def test_without_a_cached_status_list_the_status_check_fails(issued: Issued) -> None:
    bare = Verifier()
    result = bare.verify(issued.views[0].json)
    assert result.failed is not None and result.failed.name == "status"
    assert "no cached copy" in result.failed.detail


def test_malformed_json_fails_the_json_check(issued: Issued) -> None:
    assert _failed(issued, issued.views[0].json[:-20])[0] == "json"
    assert _failed(issued, "[1, 2]")[0] == "json"


def test_a_wrong_context_fails_the_context_check(issued: Issued) -> None:
    doc = issued.doc()
    doc["@context"] = ["https://www.w3.org/2018/credentials/v1", *doc["@context"][1:]]
    assert _failed(issued, doc)[0] == "context"
    doc = issued.doc()
    doc["@context"].append("https://evil.example/context.json")
    name, detail = _failed(issued, doc)
    assert name == "context" and "not one of the bundled" in detail


def test_a_document_that_breaks_the_ob3_schema_fails_the_schema_check(issued: Issued) -> None:
    doc = issued.doc()
    del doc["credentialSubject"]["achievement"]["criteria"]
    assert _failed(issued, doc)[0] == "schema"
    doc = issued.doc()
    doc["type"] = ["VerifiableCredential"]
    assert _failed(issued, doc)[0] == "schema"


def test_the_box_keeps_its_signed_status_list_in_the_data_folder(issued: Issued) -> None:
    site = issued.services.credentials.site
    listed = local_status_lists(issued.services.settings.data_dir).get(site.status.url)
    assert listed is not None and listed["type"][-1] == "BitstringStatusListCredential"
    assert listed["proof"]["verificationMethod"].startswith(site.key.did)


def test_oversized_or_deeply_built_documents_are_refused_before_canonicalisation(issued: Issued) -> None:
    doc = issued.doc()
    doc["description"] = "x" * 300_000
    name, detail = _failed(issued, doc)
    assert name == "json" and "larger than" in detail
    doc = issued.doc()
    doc["credentialSubject"]["extra"] = [{"a": {}} for _ in range(1_500)]
    name, detail = _failed(issued, doc)
    assert name == "json" and "more than 2000" in detail
