"""Attacks a stranger on the ward Wi-Fi would try (loopback only): each must fail (issue 8)."""

from __future__ import annotations

import asyncio
import os
import time

from nicegui.testing import User

from appliance.engine import DecisionNode, current_node
from tests.security.conftest import client_from
from tests.ui.conftest import ADMIN_PIN, NURSE_PIN, provision, sign_in, svc

API = "/api/v1"


def _add_nurses(count: int) -> list[str]:
    admin = svc().store.users.by_staff_id("A100")
    assert admin is not None
    ids = []
    for i in range(count):
        staff = f"N{300 + i}"
        svc().auth.create_user(admin.user_id, staff, f"Nurse {i}", ("learner",), "nicu-nurse", NURSE_PIN)
        ids.append(staff)
    return ids


async def test_a_pin_spray_from_one_address_never_locks_out_staff_on_other_tablets(user: User) -> None:
    provision()
    nurses = _add_nurses(4)
    started = time.monotonic()
    async with client_from("127.0.0.2") as attacker:
        statuses = []
        for attempt in range(30):
            for staff in ["A100", "N200", *nurses]:
                response = await attacker.post(
                    f"{API}/session", json={"staff_id": staff, "pin": f"{attempt:06d}"}
                )
                statuses.append(response.status_code)
        assert 429 in statuses  # the spraying address is slowed down ...
    async with client_from(
        "127.0.0.3"
    ) as tablet:  # ... but every nurse and the admin still sign in elsewhere
        for staff, pin in [("A100", ADMIN_PIN), ("N200", NURSE_PIN), *((n, NURSE_PIN) for n in nurses)]:
            response = await tablet.post(f"{API}/session", json={"staff_id": staff, "pin": pin})
            assert response.status_code == 200, (staff, response.text)
    assert time.monotonic() - started < 120
    throttled = [e for e in svc().store.audit.entries() if e.action == "sign-in-throttled"]
    assert throttled and throttled[0].target == "127.0.0.2"


async def test_known_and_unknown_staff_ids_get_the_same_answers(user: User) -> None:
    provision()
    answers: dict[str, list[int]] = {}
    for staff, address in (("N200", "127.0.0.4"), ("NOBODY", "127.0.0.5")):
        async with client_from(address) as client:
            answers[staff] = [
                (await client.post(f"{API}/session", json={"staff_id": staff, "pin": "999999"})).status_code
                for _ in range(8)
            ]
    assert answers["N200"] == answers["NOBODY"]
    assert answers["N200"][:4] == [401] * 4 and 429 in answers["N200"]


async def test_a_token_is_useless_after_api_sign_out(user: User) -> None:
    provision()
    async with client_from("127.0.0.2") as client:
        token = (await client.post(f"{API}/session", json={"staff_id": "N200", "pin": NURSE_PIN})).json()[
            "token"
        ]
        auth = {"Authorization": f"Bearer {token}"}
        opened = await client.post(
            f"{API}/modules/ai-safety-sepsis/scenarios/quiet-alert/attempt", headers=auth
        )
        assert opened.status_code == 200
        assert (await client.delete(f"{API}/session", headers=auth)).status_code == 200
        again = await client.post(
            f"{API}/modules/ai-safety-sepsis/scenarios/quiet-alert/attempt", headers=auth
        )
        assert again.status_code == 401


async def test_each_sign_in_gets_a_fresh_token_in_its_own_cookie(user: User) -> None:
    provision()
    await sign_in(user, "N200", NURSE_PIN)
    first = user.http_client.cookies.get("ward_session")
    browser = user.http_client.cookies.get("session")
    user.find(marker="sign-out").click()
    await user.should_see(marker="staff-id", retries=30)
    assert svc().sessions.touch(first) is None  # signed out on the server, not just in the browser
    await sign_in(user, "A100", ADMIN_PIN)
    second = user.http_client.cookies.get("ward_session")
    assert first and second and first != second and browser and second != browser


async def test_a_stale_tab_cannot_submit_after_sign_out(user: User) -> None:
    _, nurse = provision()
    await sign_in(user, "N200", NURSE_PIN)
    user.find(marker="open-quiet-alert").click()
    await user.should_see(marker="node-title", retries=30)
    scenario = svc().curriculum.scenario("ai-safety-sepsis", "quiet-alert")
    for _ in range(10):
        attempt = svc().store.attempts.latest_active(nurse.user_id, "quiet-alert")
        assert attempt is not None
        if isinstance(current_node(scenario, attempt.state), DecisionNode):
            break
        user.find(marker="continue").click()
        await asyncio.sleep(0.3)
    await user.should_see(marker="choices", retries=30)
    svc().sessions.end_user(nurse.user_id)  # e.g. signed out in another tab, or a PIN reset
    next(iter(user.find(marker="choices").elements)).set_value("escalate-now")
    user.find(marker="rationale").type("Her obs are worse than the score, so I escalate now with SBAR.")
    user.find(marker="submit").click()
    await user.should_see(marker="staff-id", retries=30)
    attempt = svc().store.attempts.latest_active(nurse.user_id, "quiet-alert")
    assert attempt is not None and not attempt.state.decisions


async def test_setup_needs_the_code_from_the_console(user: User) -> None:
    await user.open("/setup")
    user.find(marker="setup-code").type("AAAA-BBBB")
    user.find("Administrator staff ID").type("A100")
    user.find("Administrator name").type("Mallory")
    user.find("PIN (6-12 digits)").type(ADMIN_PIN)
    user.find("PIN again").type(ADMIN_PIN)
    user.find(marker="setup-submit").click()
    await user.should_see("That setup code is not right")
    assert not svc().auth.is_provisioned()
    code_file = svc().settings.data_dir / "keys" / "setup-code"
    assert code_file.exists() and (os.stat(code_file).st_mode & 0o777) == 0o600


async def test_oversized_bodies_are_refused_before_they_are_read(user: User) -> None:
    async with client_from("127.0.0.2") as client:
        big = b"x" * (2 * 1024 * 1024)
        response = await client.post(
            f"{API}/session", content=big, headers={"content-type": "application/json"}
        )
        assert response.status_code == 413

        async def chunks():  # no Content-Length: counted as it arrives
            for _ in range(64):
                yield b"x" * 4096

        response = await client.post(
            f"{API}/session", content=chunks(), headers={"content-type": "application/json"}
        )
        assert response.status_code == 413


async def test_cross_site_requests_and_websockets_are_refused(user: User) -> None:
    provision()
    async with client_from("127.0.0.2") as client:
        evil = {"origin": "http://evil.example", "host": "box.test"}
        response = await client.post(
            f"{API}/session", json={"staff_id": "N200", "pin": NURSE_PIN}, headers=evil
        )
        assert response.status_code == 403
        polling = await client.get("/_nicegui_ws/socket.io/?EIO=4&transport=polling", headers=evil)
        assert polling.status_code == 403
        same = {"origin": "http://box.test", "host": "box.test"}
        response = await client.post(
            f"{API}/session", json={"staff_id": "N200", "pin": NURSE_PIN}, headers=same
        )
        assert response.status_code == 200


async def test_pages_send_security_headers_and_unknown_urls_get_a_clean_404(user: User) -> None:
    async with client_from("127.0.0.2") as client:
        page = await client.get("/login", follow_redirects=True)
        csp = page.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
        assert page.headers["x-content-type-options"] == "nosniff"
        missing = await client.get("/no/such/page", headers={"accept": "text/html"})
        assert (
            missing.status_code == 404
            and "Page not found" in missing.text
            and "HTTPException" not in missing.text
        )
        api = await client.get(f"{API}/nothing")
        assert api.status_code == 404 and "detail" in api.json()


async def test_healthz_tells_strangers_only_ok_or_degraded(user: User) -> None:
    async with client_from("127.0.0.2") as stranger:
        body = (await stranger.get("/healthz")).json()
        assert set(body) == {"status"} and body["status"] in {"ok", "degraded"}
    async with client_from("127.0.0.1") as box:
        assert "storage" in (await box.get("/healthz")).json()


async def test_malformed_and_foreign_attempt_ids_are_a_clean_404_and_grow_nothing(user: User) -> None:
    provision()
    async with client_from("127.0.0.2") as client:
        token = (await client.post(f"{API}/session", json={"staff_id": "N200", "pin": NURSE_PIN})).json()[
            "token"
        ]
        auth = {"Authorization": f"Bearer {token}"}
        for bad in ("x", "../../etc", "N200-999999-zz", "A100-202601-abcdef0123"):
            response = await client.post(
                f"{API}/attempts/{bad}/advance", params={"revision": 0}, headers=auth
            )
            assert response.status_code == 404, (bad, response.text)


async def test_a_state_change_never_happens_on_get(user: User) -> None:
    provision()
    await sign_in(user, "N200", NURSE_PIN)
    response = await user.http_client.get("/logout")
    assert response.status_code in (404, 405)
    assert svc().sessions.touch(user.http_client.cookies.get("ward_session")) is not None
