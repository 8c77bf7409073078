"""Passing modules awards badges once, and two badges stack into the micro-credential."""

from __future__ import annotations

from appliance.engine import ChoiceRating, DecisionNode, current_node
from appliance.services import Services
from appliance.store import User


def _play_well(services: Services, learner: User, module_id: str, scenario_id: str) -> tuple[str, ...]:
    """Play with the best choices, writing each rubric's strongest exemplar as the rationale."""
    view = services.player.open(learner.user_id, module_id, scenario_id, new=True)
    while not view.state.finished:
        node = current_node(view.scenario, view.state)
        if isinstance(node, DecisionNode):
            best = next(c for c in node.choices if c.rating is ChoiceRating.BEST)
            assert node.rubric is not None
            exemplar = max(node.rubric.exemplars, key=lambda e: e.score)
            view = services.player.submit(
                learner.user_id, view.attempt_id, view.revision, best.id, exemplar.text
            )
        else:
            view = services.player.advance(learner.user_id, view.attempt_id, view.revision)
    assert view.module_result is not None
    return view.awarded


def test_passing_both_modules_awards_two_badges_then_the_micro_credential(
    services: Services, nurse: User
) -> None:
    awarded: list[str] = []
    for module in services.curriculum.curriculum.modules:
        for scenario in module.scenarios:
            awarded += _play_well(services, nurse, module.id, scenario.id)
    held = services.catalogue.for_learner(nurse.user_id, "nicu-nurse").credentials
    assert [c.title for c in held if c.earned] == [c.title for c in held], awarded
    assert awarded[-1] == "Safe AI on the ward"
    levels = sorted(c.level for c in services.store.credentials.for_learner(nurse.user_id))
    assert levels == ["badge", "badge", "micro-credential"]
    events = [e.type for e in services.store.outbox.after(0)]
    assert events.count("credential.awarded") == 3


def test_a_badge_is_awarded_once_however_often_the_module_is_passed(services: Services, nurse: User) -> None:
    module = services.curriculum.module("nursing-ai-workflows")
    first = _play_well(services, nurse, module.id, module.scenarios[0].id)
    again = _play_well(services, nurse, module.id, module.scenarios[0].id)
    assert first == ("Nursing AI workflows",) and again == ()
    assert len(services.store.credentials.for_learner(nurse.user_id)) == 1


def test_an_unsafe_play_through_earns_nothing(services: Services, nurse: User) -> None:
    view = services.player.open(nurse.user_id, "nursing-ai-workflows", "night-scribe")
    while not view.state.finished:
        node = current_node(view.scenario, view.state)
        if isinstance(node, DecisionNode):
            unsafe = next(c for c in node.choices if c.rating is ChoiceRating.UNSAFE)
            view = services.player.submit(
                nurse.user_id, view.attempt_id, view.revision, unsafe.id, "AI is fine."
            )
        else:
            view = services.player.advance(nurse.user_id, view.attempt_id, view.revision)
    assert view.module_result is not None and not view.module_result.passed
    assert view.awarded == () and services.store.credentials.for_learner(nurse.user_id) == ()


def test_warm_up_prepares_every_rubric_and_choice_once(services: Services) -> None:
    pairs = [
        (n, c)
        for m in services.curriculum.curriculum.modules
        for s in m.scenarios
        for n in s.nodes
        if isinstance(n, DecisionNode)
        for c in n.choices
    ]
    services.warm_up().join(timeout=300)
    node, choice = pairs[0]
    assert node.rubric is not None
    cached = services.grader.prepared(node.rubric, node.prompt, choice.label)
    assert services.prepare_rubrics() == len(pairs)
    assert services.grader.prepared(node.rubric, node.prompt, choice.label) is cached
