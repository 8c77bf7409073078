"""The educator's workspace in the browser-less UI: review queue end to end, roles, history, dashboard, API."""

from __future__ import annotations

import asyncio
from typing import Any

from nicegui import ui
from nicegui.testing import User

from appliance.services import grade_decision
from tests.services.flows import BORDERLINE_NODE, MODULE, all_key_points, plan, play_module
from tests.ui.conftest import ADMIN_PIN, NURSE_PIN, provision, sign_in, sign_out, svc

REVIEWER_PIN = "731904"
AUTHOR_PIN = "815273"


def staff() -> tuple[Any, Any, Any]:
    admin, nurse = provision()
    reviewer = svc().auth.create_user(
        admin.user_id, "R300", "Rui Reviewer", ("reviewer",), None, REVIEWER_PIN
    )
    return admin, nurse, reviewer


def element(user: User, marker: str) -> Any:
    return next(iter(user.find(marker=marker).elements))


async def test_reviewer_override_reaches_the_learner_awards_the_badge_and_teaches_the_grader(
    user: User,
) -> None:
    _, nurse, _ = staff()
    play_module(svc(), nurse.user_id)
    assert not svc().store.credentials.for_learner(nurse.user_id)

    await sign_in(user, "N200", NURSE_PIN)
    await user.open("/history")
    await user.should_see("Awaiting an educator")
    await sign_out(user)

    await sign_in(user, "R300", REVIEWER_PIN, expect_success=False)
    await user.should_see("Review queue", retries=30)  # a reviewer-only account lands on the queue
    element(user, "filter-node_id").set_value(BORDERLINE_NODE)
    borderline, met = plan(svc()).borderline, all_key_points(svc())
    await user.should_see(borderline, retries=30)
    await user.should_see(marker="review-grader")
    for kp in met:  # the reviewer ticks every key point
        box = element(user, f"kp-{kp}")
        if not box.value:
            box.set_value(True)
    element(user, "verdict").set_value("pass")
    element(user, "band").set_value("strong")
    user.find(marker="reason").type("Names the signs and escalates now")
    user.find(marker="feedback-text").type("Good escalation; add her risk factors next time.")
    element(user, "exemplar").set_value(True)
    user.find(marker="override").click()
    await user.should_see("Override saved", retries=30)
    await user.should_see("earned")

    grade = next(g for g in svc().store.grades.for_learner(nurse.user_id) if g.rationale == borderline)
    assert grade.override is not None and grade.override.passed and grade.override.band.value == "strong"
    assert set(grade.override.key_points_met or ()) == set(met)
    assert svc().store.credentials.for_learner(nurse.user_id), (
        "the badge is awarded once the review passes it"
    )
    assert svc().store.audit.entries(action="review.override")

    node = svc().curriculum.scenario(MODULE, "quiet-alert").node(BORDERLINE_NODE)
    rubric = svc().review.item(grade.grade_id).rubric
    similar = grade_decision(svc().grader, node, node.choices[0], plan(svc()).similar, rubric)  # type: ignore[attr-defined]
    assert similar.passed

    await sign_out(user)
    await sign_in(user, "N200", NURSE_PIN)
    await user.should_see("Passed")
    await user.open("/history")
    await user.should_see("Reviewed by an educator: strong")
    await user.should_see("Good escalation; add her risk factors next time.")
    await user.open(f"/attempt/{grade.attempt_id}")  # the debrief of that attempt now shows the review
    await user.should_see("strong (reviewed by an educator)", retries=30)
    await user.should_see("Module passed")


async def test_confirming_with_the_keyboard_moves_on(user: User) -> None:
    _, nurse, _ = staff()
    play_module(svc(), nurse.user_id)
    play_module(svc(), nurse.user_id)
    waiting = len(svc().review.queue())
    assert waiting >= 2
    await sign_in(user, "R300", REVIEWER_PIN, expect_success=False)
    await user.should_see(f"{waiting} waiting for review", retries=30)

    async def press(key: str) -> None:
        args = {"action": "keydown", "key": key, "code": f"Key{key.upper()}", "location": 0, "repeat": False}
        modifiers = {"altKey": False, "ctrlKey": False, "metaKey": False, "shiftKey": False}
        user.find(ui.keyboard).trigger("key", args | modifiers)
        await asyncio.sleep(0.1)

    for key in ("n", "c"):
        await press(key)
    await user.should_see("Confirmed", retries=30)
    assert len(svc().review.queue()) == waiting - 1
    assert svc().store.audit.entries(action="review.confirm")
    boxes = [b for b in user.find(ui.checkbox).elements if any(m.startswith("kp-") for m in b._markers)]
    first = min(boxes, key=lambda b: b.id)  # key point 1 of the answer on screen
    before = first.value
    for key in ("f", "1", "e"):
        await press(key)
    assert element(user, "verdict").value == "fail"
    assert first.value is not before
    assert element(user, "exemplar").value is True


async def test_learners_and_authors_cannot_open_the_queue_or_its_api(user: User) -> None:
    admin, _, _ = staff()
    svc().auth.create_user(admin.user_id, "W400", "Ari Author", ("author", "learner"), None, AUTHOR_PIN)
    for staff_id, pin in (("N200", NURSE_PIN), ("W400", AUTHOR_PIN)):
        await sign_in(user, staff_id, pin)
        for page in ("/review", "/dashboard"):
            await user.open(page)
            await user.should_see("That page needs another role.")
        token = (
            await user.http_client.post("/api/v1/session", json={"staff_id": staff_id, "pin": pin})
        ).json()
        auth = {"Authorization": f"Bearer {token['token']}"}
        assert (await user.http_client.get("/api/v1/review", headers=auth)).status_code == 403
        posted = await user.http_client.post("/api/v1/review/x", json={"confirm": True}, headers=auth)
        assert posted.status_code == 403
        await sign_out(user)
    assert (await user.http_client.get("/api/v1/review")).status_code == 401
    svc().auth.create_user(admin.user_id, "W500", "Ola Author", ("author",), None, "624817")
    await sign_in(user, "W500", "624817", expect_success=False)
    await user.should_see("Author scenarios", retries=30)  # an author-only account lands on its page


async def test_review_api_lists_and_decides(user: User) -> None:
    _, nurse, _ = staff()
    play_module(svc(), nurse.user_id)
    token = (
        await user.http_client.post("/api/v1/session", json={"staff_id": "R300", "pin": REVIEWER_PIN})
    ).json()
    auth = {"Authorization": f"Bearer {token['token']}"}
    listed = await user.http_client.get("/api/v1/review", params={"node_id": BORDERLINE_NODE}, headers=auth)
    assert listed.status_code == 200
    item = listed.json()["items"][0]
    assert (
        item["rationale"] == plan(svc()).borderline
        and item["rubric"]["key_points"]
        and item["grade"]["needs_review"]
    )
    url = f"/api/v1/review/{item['grade_id']}"
    refused = await user.http_client.post(url, json={"passed": False}, headers=auth)
    assert refused.status_code == 422 and "reason" in refused.json()["detail"]
    decided = await user.http_client.post(
        url, json={"passed": False, "reason": "no risk factors"}, headers=auth
    )
    assert decided.status_code == 200 and decided.json()["review"]["passed"] is False
    missing = await user.http_client.post(
        "/api/v1/review/u1-202601-aa-bb", json={"confirm": True}, headers=auth
    )
    assert missing.status_code == 404


async def test_dashboard_draws_every_chart_with_and_without_data(user: User) -> None:
    _, nurse, _ = staff()
    await sign_in(user, "A100", ADMIN_PIN)
    await user.open("/dashboard")
    await user.should_see(marker="dashboard-empty", retries=30)
    for marker in ("chart-modules", "chart-scores", "chart-missed", "chart-backlog", "chart-modules-time"):
        chart = element(user, marker)
        assert chart.props["options"]["title"]["subtext"] == "No data yet"
    play_module(svc(), nurse.user_id)
    await user.open("/dashboard")
    await user.should_see(marker="figure-graded-answers", retries=30)
    assert element(user, "figure-graded-answers").text == str(
        len(svc().store.grades.for_learner(nurse.user_id))
    )
    modules = element(user, "chart-modules").props["options"]
    assert modules["yAxis"]["data"] and modules["series"][0]["data"][0] == 100.0
    assert "subtext" not in element(user, "chart-scores").props["options"]["title"]
    user.find(marker="download-csv").click()
    response = await user.download.next(timeout=5)
    assert response.content.startswith(b"\xef\xbb\xbflearner_staff_id,")


async def test_the_case_can_be_reread_at_a_decision(user: User) -> None:
    provision()
    await sign_in(user, "N200", NURSE_PIN)
    await user.open(f"/play/{MODULE}/quiet-alert")
    for _ in range(2):
        user.find(marker="continue").click()
        await asyncio.sleep(0.1)
    await user.should_see(marker="choices")
    await user.should_see("Reread the case")
    await user.should_see(marker="case-notes")
