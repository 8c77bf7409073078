"""One rule for "module passed": a weaker replay never contradicts the catalogue (issue 8)."""

from __future__ import annotations

from appliance.engine import ChoiceRating, DecisionNode, current_node
from appliance.services import Services
from appliance.store import User
from tests.services.test_credentials import _play_well


def test_a_failed_replay_keeps_the_pass_in_the_debrief_and_the_catalogue(
    services: Services, nurse: User
) -> None:
    module = services.curriculum.module("nursing-ai-workflows")
    assert _play_well(services, nurse, module.id, module.scenarios[0].id) == ("Nursing AI workflows",)
    view = services.player.open(nurse.user_id, module.id, module.scenarios[0].id, new=True)
    while not view.state.finished:
        node = current_node(view.scenario, view.state)
        if isinstance(node, DecisionNode):
            unsafe = next(c for c in node.choices if c.rating is ChoiceRating.UNSAFE)
            view = services.player.submit(
                nurse.user_id, view.attempt_id, view.revision, unsafe.id, "AI is fine."
            )
        else:
            view = services.player.advance(nurse.user_id, view.attempt_id, view.revision)
    assert view.module_result is not None and not view.module_result.passed  # this replay alone fails ...
    assert view.module_passed_on is not None  # ... but the debrief knows the module stays passed
    card = next(
        c
        for c in services.catalogue.for_learner(nurse.user_id, "nicu-nurse").modules
        if c.module.id == module.id
    )
    assert card.passed
