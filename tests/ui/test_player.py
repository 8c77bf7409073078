"""Playing a demo module in the browser-less UI: fail-states, recovery, debrief, resume and bad input."""

from __future__ import annotations

import asyncio
import json

import pytest
from nicegui.testing import User

from appliance.engine import DecisionNode, current_node
from appliance.services import AttemptConflict
from appliance.store import Attempt
from tests.ui.conftest import NURSE_PIN, provision, sign_in, svc

MODULE, SCENARIO = "ai-safety-sepsis", "quiet-alert"
RATIONALE = (
    "Her obs are worse than the score suggests: more apnoeas, desats and a raised heart rate. "
    "I would assess her at the bedside and escalate to the registrar with an SBAR."
)


def active(learner_id: str) -> Attempt:
    attempt = svc().store.attempts.latest_active(learner_id, SCENARIO)
    assert attempt is not None
    return attempt


async def choose_and_submit(user: User, choice_id: str, text: str) -> None:
    """Pick a choice, write a rationale and submit it."""
    next(iter(user.find(marker="choices").elements)).set_value(choice_id)
    user.find(marker="rationale").type(text)
    user.find(marker="submit").click()


async def test_full_play_through_with_fail_states_and_recovery(user: User) -> None:
    _, nurse = provision()
    await sign_in(user, "N200", NURSE_PIN)
    await user.should_see("Your training")
    user.find(marker=f"open-{SCENARIO}").click()
    await user.should_see(marker="node-title")
    seen_kinds: list[str] = []
    for _ in range(40):
        attempt = svc().store.attempts.get(active(nurse.user_id).attempt_id)
        scenario = svc().curriculum.scenario(MODULE, SCENARIO)
        node = current_node(scenario, attempt.state)
        seen_kinds.append(node.kind)
        if isinstance(node, DecisionNode):
            unsafe = next(c for c in node.choices if c.rating.value == "unsafe")
            await user.should_see(marker="choices", retries=50)  # the page may still be drawing the step
            await choose_and_submit(user, unsafe.id, RATIONALE)
            await user.should_see(marker="feedback", retries=50)
            await user.should_see("About the action you chose")
            user.find(marker="continue").click()
        else:
            if node.kind == "fail":
                await user.should_see(marker="fail-state")
                await user.should_see("Clinical consequence")
            user.find(marker="continue").click()
        await asyncio.sleep(0.05)
        if svc().store.attempts.latest_active(nurse.user_id, SCENARIO) is None:
            break
    await user.should_see(marker="outcome")
    await user.should_see(marker="summary")
    await user.should_see("Module not passed yet")
    assert {"decision", "fail", "recovery"} <= set(seen_kinds)
    grades = svc().store.grades.for_learner(nurse.user_id)
    assert len(grades) == 3 and all(g.rationale == RATIONALE for g in grades)
    events = [e.type for e in svc().store.outbox.after(0)]
    assert events.count("rationale.graded") == 3 and "attempt.finished" in events


async def test_attempt_resumes_after_reload_at_the_same_node(user: User) -> None:
    _, nurse = provision()
    await sign_in(user, "N200", NURSE_PIN)
    await user.open(f"/play/{MODULE}/{SCENARIO}")
    user.find(marker="continue").click()  # past the handover
    await asyncio.sleep(0.1)
    node_before = active(nurse.user_id).state.node_id
    await user.open("/")
    await user.should_see("In progress")
    await user.open(f"/play/{MODULE}/{SCENARIO}")
    title = svc().curriculum.scenario(MODULE, SCENARIO).node(node_before).title
    await user.should_see(title)
    assert active(nurse.user_id).state.node_id == node_before


async def test_huge_rationale_is_refused_with_a_clear_message_and_kept(user: User) -> None:
    _, nurse = provision()
    await sign_in(user, "N200", NURSE_PIN)
    await user.open(f"/play/{MODULE}/{SCENARIO}")
    for _ in range(2):
        user.find(marker="continue").click()
        await asyncio.sleep(0.1)
    await user.should_see(marker="choices")
    huge = "The baby looks unwell. " * 1000  # ~23k characters
    await choose_and_submit(user, "escalate-now", huge)
    await user.should_see("characters", retries=30)
    error = next(iter(user.find(marker="decision-error").elements)).text
    assert "too long to grade" in error and "the limit is 12,000" in error
    assert next(iter(user.find(marker="rationale").elements)).value.strip() == huge.strip()
    assert svc().store.grades.for_learner(nurse.user_id) == ()


async def test_another_learners_attempt_cannot_be_opened_by_url(user: User) -> None:
    admin, nurse = provision()
    other = svc().auth.create_user(admin.user_id, "N300", "Oli Other", ("learner",), "nurse", "640913")
    view = svc().player.open(other.user_id, MODULE, SCENARIO)
    await sign_in(user, "N200", NURSE_PIN)
    await user.should_see("Your training")
    await user.open(f"/attempt/{view.attempt_id}")
    await user.should_see("That attempt is not one of yours.")
    assert nurse.user_id != other.user_id


async def test_double_submit_from_two_tabs_records_one_decision(user: User) -> None:
    _, nurse = provision()
    player = svc().player
    view = player.open(nurse.user_id, MODULE, SCENARIO)
    view = player.advance(nurse.user_id, view.attempt_id, view.revision)
    view = player.advance(nurse.user_id, view.attempt_id, view.revision)
    first, second = await asyncio.gather(
        player.async_submit(nurse.user_id, view.attempt_id, view.revision, "escalate-now", RATIONALE),
        player.async_submit(nurse.user_id, view.attempt_id, view.revision, "nic-first", RATIONALE),
        return_exceptions=True,
    )
    outcomes = [type(r) for r in (first, second)]
    assert outcomes.count(AttemptConflict) == 1
    assert len(svc().store.grades.for_learner(nurse.user_id)) == 1


async def test_healthz_reports_storage_grader_and_disk(user: User) -> None:
    provision()
    response = await user.http_client.get("/healthz")
    report = response.json()
    assert report["status"] == "ok" and report["storage"]["ok"] is True
    assert report["grader"]["backend"] in {"onnx", "lexical"} and isinstance(report["grader"]["warm"], bool)
    assert report["disk_free_mb"] > 0 and report["version"]


@pytest.mark.usefixtures("missing_models")
async def test_missing_grader_model_falls_back_to_the_labelled_lexical_grader(user: User) -> None:
    _, nurse = provision()
    report = (await user.http_client.get("/healthz")).json()
    assert report["grader"]["model"] == "lexical-fallback" and report["grader"]["fallback_reason"]
    view = svc().player.open(nurse.user_id, MODULE, SCENARIO)
    view = svc().player.advance(nurse.user_id, view.attempt_id, view.revision)
    view = svc().player.advance(nurse.user_id, view.attempt_id, view.revision)
    view = await svc().player.async_submit(
        nurse.user_id, view.attempt_id, view.revision, "escalate-now", RATIONALE
    )
    grade = view.state.steps[-1].grade
    assert grade is not None and grade.model_id == "lexical-fallback"
    assert json.loads(view.state.model_dump_json())["steps"]
