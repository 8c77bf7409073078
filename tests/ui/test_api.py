"""The player's JSON API: bearer sessions, own attempts only, graded decisions, clear errors."""

from __future__ import annotations

from typing import Any

from nicegui.testing import User

from tests.ui.conftest import NURSE_PIN, provision, svc

BASE = "/api/v1"
OPEN = f"{BASE}/modules/ai-safety-sepsis/scenarios/quiet-alert/attempt"


async def _token(user: User, staff_id: str = "N200", pin: str = NURSE_PIN) -> dict[str, str]:
    response = await user.http_client.post(f"{BASE}/session", json={"staff_id": staff_id, "pin": pin})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


async def _to_first_decision(user: User, auth: dict[str, str]) -> dict[str, Any]:
    """Open the attempt and continue until its first decision."""
    client = user.http_client
    view = (await client.post(OPEN, headers=auth)).json()
    while view["node"]["kind"] != "decision":
        advance = f"{BASE}/attempts/{view['attempt_id']}/advance"
        view = (await client.post(advance, params={"revision": view["revision"]}, headers=auth)).json()
    return view


async def test_api_plays_to_a_graded_decision(user: User) -> None:
    provision()
    auth = await _token(user)
    client = user.http_client
    view = await _to_first_decision(user, auth)
    answer = {
        "revision": view["revision"],
        "choice_id": "escalate-now",
        "rationale": "Her obs are worse than the score: I will assess and call the registrar with SBAR.",
    }
    response = await client.post(f"{BASE}/attempts/{view['attempt_id']}/decisions", json=answer, headers=auth)
    assert response.status_code == 200
    grade = response.json()["last_grade"]
    assert 0 <= grade["score"] <= 1 and grade["key_points"]
    again = await client.post(f"{BASE}/attempts/{view['attempt_id']}/decisions", json=answer, headers=auth)
    assert again.status_code == 409  # the same decision twice is refused


async def test_api_refuses_missing_tokens_bad_pins_and_other_peoples_attempts(user: User) -> None:
    admin, _ = provision()
    svc().auth.create_user(admin.user_id, "N300", "Oli Other", ("learner",), None, "640913")
    client = user.http_client
    assert (await client.post(OPEN)).status_code == 401
    bad = await client.post(f"{BASE}/session", json={"staff_id": "N200", "pin": "000001"})
    assert bad.status_code == 401 and "not recognised" in bad.json()["detail"]
    theirs = (await client.post(OPEN, headers=await _token(user, "N300", "640913"))).json()
    mine = await _token(user)
    stolen = await client.post(
        f"{BASE}/attempts/{theirs['attempt_id']}/advance", params={"revision": 1}, headers=mine
    )
    assert stolen.status_code == 404


async def test_api_rejects_a_huge_rationale_with_422(user: User) -> None:
    provision()
    auth = await _token(user)
    client = user.http_client
    view = await _to_first_decision(user, auth)
    answer = {"revision": view["revision"], "choice_id": "escalate-now", "rationale": "x " * 15000}
    response = await client.post(f"{BASE}/attempts/{view['attempt_id']}/decisions", json=answer, headers=auth)
    assert response.status_code == 422 and "too long" in response.json()["detail"]
