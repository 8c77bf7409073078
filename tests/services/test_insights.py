"""Agreement (Cohen's kappa), misconception clusters, the replay and the dashboard figures."""

from __future__ import annotations

import numpy as np
import pytest

from appliance.engine import Band
from appliance.services import Services
from appliance.services._agreement import agreement
from appliance.services._clusters import agglomerate, clusters, tfidf
from appliance.services.review import ReviewDecision, ReviewFilter
from appliance.store import User
from tests.services.flows import BORDERLINE_NODE, MODULE, all_key_points, play_module


def test_kappa_matches_a_worked_example() -> None:
    # 20 yes/yes, 5 grader-only, 10 reviewer-only, 15 no/no: p_o = 0.7, p_e = 0.5, kappa = 0.4
    pairs = [(True, True)] * 20 + [(True, False)] * 5 + [(False, True)] * 10 + [(False, False)] * 15
    a = agreement(pairs)
    assert a.n == 50 and a.rate == pytest.approx(0.7) and a.kappa == pytest.approx(0.4)
    assert agreement([(True, True)] * 3).kappa is None  # one label only: undefined, not 1
    assert agreement([]).rate is None


def test_agglomerative_clusters_keep_meanings_apart() -> None:
    texts = [
        "waited for the next score before calling anyone",
        "waited for the score to update before calling",
        "I will wait for the next score then call",
        "switched the alert off because it keeps alarming",
        "turned the alert off since it alarms too often",
        "the alert alarms too often so I switched it off",
    ]
    missed = [("escalate-now",)] * 3 + [("no-local-off",)] * 3
    groups = clusters(texts, missed, threshold=0.15)
    assert [g.size for g in groups] == [3, 3]
    assert {g.missed[0][0] for g in groups} == {"escalate-now", "no-local-off"}
    vectors = tfidf(texts)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert agglomerate(vectors, threshold=2.0) == [[i] for i in range(6)]


@pytest.fixture
def reviewed(services: Services, nurse: User) -> Services:
    admin = services.store.users.by_staff_id("A100")
    assert admin is not None
    reviewer = services.auth.create_user(admin.user_id, "R300", "Rui", ("reviewer",), None, "731904")
    play_module(services, nurse.user_id)
    entry = services.review.queue(ReviewFilter(node_id=BORDERLINE_NODE))[0]
    services.review.decide(
        reviewer.user_id,
        entry.grade_id,
        ReviewDecision(
            passed=True, band=Band.STRONG, key_points_met=all_key_points(services), reason="clear",
            add_as_exemplar=True,
        ),
    )  # fmt: skip
    return services


def test_replay_grades_reviewed_answers_without_their_own_exemplar(reviewed: Services) -> None:
    result = reviewed.insights.replay(MODULE, BORDERLINE_NODE)
    assert result.answers == 1 and result.overlay == 1
    assert [p.exemplars for p in result.points] == [0, 1]
    assert all(p.agreement.n == 1 for p in result.points)
    assert reviewed.insights.overlay_counts() == {(MODULE, BORDERLINE_NODE): 1}


def test_dashboard_counts_match_the_records_and_render_empty(reviewed: Services, tmp_path: object) -> None:
    board = reviewed.dashboard.build()
    grades = reviewed.store.reviews.graded()
    graded = list(grades)
    assert sum(r.graded for r in board.modules) == len(graded) == sum(d.graded for d in board.decisions)
    assert sum(r.passed for r in board.modules) == sum(1 for g in graded if g.passed)
    assert board.reviewed == 1 and board.pending == sum(1 for g in graded if g.grade.needs_review) - 1
    assert board.modules[0].completion == 1.0 and board.months
    assert {r.key for r in board.roles} == {"nicu-nurse"}
    assert board.competencies and board.missed and board.missed[0].text
    empty = reviewed.dashboard.build(since_month="2099-01")
    assert empty.empty and empty.modules == () and empty.decisions == ()


def test_dashboard_totals_follow_new_answers_and_deleted_learners(reviewed: Services, nurse: User) -> None:
    first = reviewed.dashboard.build()
    play_module(reviewed, nurse.user_id)
    second = reviewed.dashboard.build()
    graded = len(reviewed.store.grades.for_learner(nurse.user_id))
    assert sum(r.graded for r in second.modules) == graded == 2 * sum(r.graded for r in first.modules)
    assert sum(d.graded for d in second.decisions) == graded
    assert second.reviewed == 1
    reviewed.store.delete_learner(nurse.user_id, actor="test")
    gone = reviewed.dashboard.build()
    assert gone.decisions == () and gone.pending == 0 and gone.reviewed == 0
    assert (
        sum(r.graded for r in gone.modules) == graded
    )  # kept as anonymised counts, as the cohort summary does
