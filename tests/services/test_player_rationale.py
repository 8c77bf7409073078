"""The player keeps a rationale once, in its grade record: the play state refers to it, views read it there."""

from __future__ import annotations

import pytest

from appliance.engine import ChoiceRating, DecisionNode, current_node
from appliance.services import AttemptView, PlayerError, Services
from appliance.store import User

TEXT = "Her obs are worse than the score says, so I assess her now and call the registrar with SBAR."


def _to_decision(services: Services, nurse: User) -> tuple[AttemptView, DecisionNode]:
    module = services.curriculum.curriculum.modules[0]
    view = services.player.open(nurse.user_id, module.id, module.scenarios[0].id, new=True)
    while not isinstance(node := current_node(view.scenario, view.state), DecisionNode):
        view = services.player.advance(nurse.user_id, view.attempt_id, view.revision)
    assert node.requires_rationale
    return view, node


def test_a_blank_rationale_is_refused_before_anything_is_stored(services: Services, nurse: User) -> None:
    view, node = _to_decision(services, nurse)
    with pytest.raises(PlayerError, match="needs a graded rationale"):
        services.player.submit(nurse.user_id, view.attempt_id, view.revision, node.choices[0].id, "   ")
    assert services.store.grades.for_attempt(view.attempt_id) == ()
    assert services.store.attempts.get(view.attempt_id).revision == view.revision  # type: ignore[union-attr]


def test_the_step_refers_to_the_grade_record_that_alone_keeps_the_text(
    services: Services, nurse: User
) -> None:
    view, node = _to_decision(services, nurse)
    best = next(c for c in node.choices if c.rating is ChoiceRating.BEST)
    after = services.player.submit(nurse.user_id, view.attempt_id, view.revision, best.id, TEXT)
    step = after.state.steps[-1]  # the decision just taken
    (record,) = services.store.grades.for_attempt(view.attempt_id)
    assert step.rationale_id == record.grade_id and record.rationale == TEXT
    stored = services.store.attempts.get(view.attempt_id)
    assert stored is not None and TEXT not in stored.state.model_dump_json()
    assert all(kp.evidence is None for kp in step.grade.key_points)  # type: ignore[union-attr]
    assert after.last_grade == record.grade  # the feedback shows the grade as the grader gave it
