"""The review queue end to end over real services: queue, override, audit, outbox, badge, exemplar."""

from __future__ import annotations

import pytest

from appliance.engine import Band
from appliance.services import ReviewInvalid, Services, grade_decision
from appliance.services.review import ReviewDecision, ReviewFilter
from appliance.store import User
from tests.services.flows import BORDERLINE_NODE, MODULE, all_key_points, plan, play_module

REVIEWER_PIN = "731904"


@pytest.fixture
def reviewer(services: Services, nurse: User) -> User:
    admin = services.store.users.by_staff_id("A100")
    assert admin is not None
    return services.auth.create_user(admin.user_id, "R300", "Rui Reviewer", ("reviewer",), None, REVIEWER_PIN)


def borderline_entry(services: Services, learner_id: str) -> str:
    queue = services.review.queue(ReviewFilter(module_id=MODULE, node_id=BORDERLINE_NODE))
    mine = [e for e in queue if e.learner_id == learner_id]
    assert mine, "the borderline answer should be waiting for review"
    return mine[0].grade_id


def test_override_awards_the_badge_audits_and_queues_it(
    services: Services, nurse: User, reviewer: User
) -> None:
    view = play_module(services, nurse.user_id)
    assert view.module_result is not None and not view.module_result.passed
    assert view.awarded == ()
    grade_id = borderline_entry(services, nurse.user_id)
    item = services.review.item(grade_id)
    met = all_key_points(services)
    assert item.record.rationale == plan(services).borderline and item.choice_label and item.rubric.key_points
    outcome = services.review.decide(
        reviewer.user_id,
        grade_id,
        ReviewDecision(
            passed=True, band=Band.STRONG, key_points_met=met, reason="Clear escalation", feedback="Good"
        ),
    )
    assert outcome.record.override is not None and outcome.record.override.score >= 0.8
    assert outcome.awarded, "the module passed only after review, so its badge is awarded now"
    assert grade_id not in {e.grade_id for e in services.review.queue()}
    audit = services.store.audit.entries(action="review.override")
    assert audit and audit[0].actor == reviewer.user_id and audit[0].target == grade_id
    types = [e.type for e in services.store.outbox.after(0, limit=500)]
    assert "rationale.reviewed" in types and "credential.awarded" in types
    reviewed = [e for e in services.store.outbox.after(0, limit=500) if e.type == "xapi.statement"]
    assert any(e.payload["verb"]["id"].endswith("/scored") for e in reviewed)
    assert services.store.grades.get(grade_id).passed  # type: ignore[union-attr]


def test_override_as_exemplar_makes_a_similar_answer_graded_like_it(
    services: Services, nurse: User, reviewer: User
) -> None:
    play_module(services, nurse.user_id)
    grade_id = borderline_entry(services, nurse.user_id)
    node = services.curriculum.scenario(MODULE, "quiet-alert").node(BORDERLINE_NODE)
    choice = node.choices[0]  # type: ignore[attr-defined]
    similar, met = plan(services).similar, all_key_points(services)
    before = grade_decision(services.grader, node, choice, similar, services.review.item(grade_id).rubric)  # type: ignore[arg-type]
    outcome = services.review.decide(
        reviewer.user_id,
        grade_id,
        ReviewDecision(
            passed=True, band=Band.STRONG, key_points_met=met, reason="Clear", add_as_exemplar=True
        ),
    )
    assert outcome.exemplar is not None and outcome.exemplar.seq == 1
    rubric = services.review.item(grade_id).rubric
    assert len(rubric.exemplars) == len(node.rubric.exemplars) + 1  # type: ignore[attr-defined]
    after = grade_decision(services.grader, node, choice, similar, rubric)  # type: ignore[arg-type]
    target = outcome.record.override.score  # type: ignore[union-attr]
    assert after.passed and abs(after.score - target) < abs(before.score - target)
    assert len(after.met_ids) >= len(before.met_ids)
    # The player grades new answers with the extended rubric, and records which version graded them.
    with pytest.raises(ReviewInvalid):
        services.review.add_exemplar(reviewer.user_id, grade_id)


def test_an_override_needs_a_verdict_a_reason_and_a_fitting_band(
    services: Services, nurse: User, reviewer: User
) -> None:
    play_module(services, nurse.user_id)
    grade_id = borderline_entry(services, nurse.user_id)
    with pytest.raises(ReviewInvalid, match="reason"):
        services.review.decide(reviewer.user_id, grade_id, ReviewDecision(passed=False))
    with pytest.raises(ReviewInvalid, match="contradicts"):
        services.review.decide(
            reviewer.user_id, grade_id, ReviewDecision(passed=False, band=Band.STRONG, reason="x")
        )
    with pytest.raises(ReviewInvalid, match="Not in this rubric"):
        services.review.decide(
            reviewer.user_id, grade_id, ReviewDecision(passed=False, key_points_met=("nope",), reason="x")
        )
    with pytest.raises(ReviewInvalid, match="Review the answer first"):
        services.review.add_exemplar(reviewer.user_id, grade_id)


def test_confirming_keeps_the_grade_and_counts_as_agreement(
    services: Services, nurse: User, reviewer: User
) -> None:
    play_module(services, nurse.user_id)
    grade_id = borderline_entry(services, nurse.user_id)
    record = services.store.grades.get(grade_id)
    assert record is not None
    outcome = services.review.decide(reviewer.user_id, grade_id, ReviewDecision(confirm=True))
    assert outcome.record.override is not None and outcome.record.override.confirmed
    assert outcome.record.score == record.grade.score
    rows = [r for r in services.insights.agreement() if r.node_id == BORDERLINE_NODE]
    assert rows[0].passed.n == 1 and rows[0].passed.agreed == 1 and rows[0].confirmations == 1
    assert all(kp.agreement.n == 1 and kp.agreement.agreed == 1 for kp in rows[0].key_points)


def test_queue_filters_by_module_reason_and_role(services: Services, nurse: User, reviewer: User) -> None:
    play_module(services, nurse.user_id)
    assert services.review.queue(ReviewFilter(job_role="nicu-nurse"))
    assert services.review.queue(ReviewFilter(job_role="pharmacist")) == ()
    assert services.review.queue(ReviewFilter(module_id="nursing-ai-workflows")) == ()
    reason = services.review.queue()[0].reason.split()[0]
    assert services.review.queue(ReviewFilter(reason=reason.upper()))
    assert services.review.queue(ReviewFilter(reason="no such reason")) == ()
