"""Credentials in the browser-less UI: the learner's page and downloads, the API, /verify, and revocation."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User

from appliance.credentials import unbake
from appliance.store import User as StoredUser
from tests.credentials.conftest import pass_module
from tests.ui.conftest import ADMIN_PIN, NURSE_PIN, provision, sign_in, svc


@pytest.fixture(autouse=True)
def lexical_grader(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Grade with the lexical backend: the demo's exemplars pass it, and it needs no model."""
    monkeypatch.setenv("WARD_GRADER_BACKEND", "lexical")
    yield


def _earn() -> StoredUser:
    _, nurse = provision()
    for module in svc().curriculum.curriculum.modules:
        pass_module(svc(), nurse, module.id)
    return nurse


async def test_the_learner_sees_and_downloads_their_credentials(user: User) -> None:
    nurse = _earn()
    await sign_in(user, "N200", NURSE_PIN)
    await user.open("/credentials")
    await user.should_see("Safe AI on the ward", retries=50)
    await user.should_see("MicroCredential", retries=50)
    await user.should_see("Results at each decision", retries=50)
    views = svc().credentials.for_learner(nurse.user_id)
    badge = next(v for v in views if v.level == "badge")
    user.find(marker=f"download-json-{badge.record_id}").click()
    assert json.loads((await user.download.next(timeout=10)).content) == badge.document
    user.find(marker=f"download-png-{badge.record_id}").click()
    assert json.loads(unbake((await user.download.next(timeout=10)).content)) == badge.document
    user.find(marker=f"qr-{badge.record_id}").click()
    await user.should_see(marker="qr", retries=50)
    await user.open(f"/credentials/{badge.record_id}/print")
    await user.should_see("Nia Nurse", retries=50)
    await user.should_see("certifies that", retries=50)


async def test_the_api_returns_only_the_callers_signed_credentials(user: User) -> None:
    nurse = _earn()
    client = user.http_client
    assert (await client.get("/api/v1/credentials")).status_code == 401
    token = (await client.post("/api/v1/session", json={"staff_id": "N200", "pin": NURSE_PIN})).json()[
        "token"
    ]
    response = await client.get("/api/v1/credentials", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    ids = {c["id"] for c in response.json()["credentials"]}
    assert ids == {v.credential_id for v in svc().credentials.for_learner(nurse.user_id)} and len(ids) == 3
    name = svc().credentials.site.status.name
    listed = await client.get(f"/credentials/status/{name}")
    assert listed.status_code == 200 and listed.json()["type"][-1] == "BitstringStatusListCredential"
    assert (await client.get("/credentials/status/nope.json")).status_code == 404


async def test_verify_page_checks_pasted_json_and_uploaded_png_without_sign_in(user: User) -> None:
    nurse = _earn()
    view = svc().credentials.for_learner(nurse.user_id)[0]
    await user.open("/verify")
    user.find(marker="verify-json").type(view.json)
    user.find(marker="verify-button").click()
    await user.should_see(marker="verify-valid", retries=50)
    forged = json.loads(view.json)
    forged["name"] = "Forged"
    user.find(marker="verify-json").clear().type(json.dumps(forged))
    user.find(marker="verify-button").click()
    await user.should_see("Not valid: the signature check failed", retries=50)
    upload = next(iter(user.find(ui.upload).elements))
    png = svc().credentials.baked_png(view)
    await upload.handle_uploads([SmallFileUpload("badge.png", "image/png", png)])
    await user.should_see(marker="verify-valid", retries=50)
    await user.open(f"/verify?credential={view.credential_id}")
    await user.should_see(marker="verify-valid", retries=50)


async def test_an_admin_revokes_with_a_reason_and_verify_then_says_revoked(user: User) -> None:
    nurse = _earn()
    view = svc().credentials.for_learner(nurse.user_id)[0]
    await sign_in(user, "A100", ADMIN_PIN)
    await user.open("/admin/credentials")
    user.find(marker=f"revoke-{view.record_id}").click()
    user.find(marker="revoke-confirm").click()
    await user.should_see("Give a reason for revoking.", retries=50)
    user.find(marker="revoke-reason").type("awarded to the wrong person")
    user.find(marker="revoke-confirm").click()
    await user.should_see("Revoked; the status list is re-signed.", retries=50)
    entry = svc().store.audit.entries(action="credential.revoke")[0]
    assert entry.details["reason"] == "awarded to the wrong person"
    await user.open(f"/verify?credential={view.credential_id}")
    await user.should_see("Not valid: the status check failed", retries=50)
