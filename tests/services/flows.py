"""Play-throughs the review tests share: a module whose only badge-deciding answer is a borderline one."""

from __future__ import annotations

from appliance.engine import DecisionNode, current_node
from appliance.services import AttemptView, Services

MODULE = "ai-safety-sepsis"
SCENARIOS = ("quiet-alert", "loud-alert")
BORDERLINE_NODE = "d1-escalate"
BORDERLINE = (
    "Her score is low but she is mottled, floppy and having more bradycardias, so I am worried and will "
    "call the registrar to review her now."
)
SIMILAR = (
    "Her score is low, but she is mottled, floppy and having more bradycardias, so I'm worried and will call "
    "the registrar to review her."
)


def middling(node: DecisionNode) -> str:
    """The best exemplar at or below 60 %: a fair answer that does not pass the module on its own."""
    ranked = sorted(node.rubric.exemplars if node.rubric else (), key=lambda e: -e.score)
    return next(e.text for e in ranked if e.score <= 0.6)


def play(svc: Services, learner_id: str, scenario_id: str) -> AttemptView:
    """Play one scenario with the best choices: the borderline answer at d1-escalate, fair ones elsewhere."""
    view = svc.player.open(learner_id, MODULE, scenario_id, new=True)
    while not view.state.finished:
        node = current_node(view.scenario, view.state)
        if isinstance(node, DecisionNode):
            best = next(c for c in node.choices if c.rating.value == "best")
            text = BORDERLINE if node.id == BORDERLINE_NODE else middling(node)
            view = svc.player.submit(learner_id, view.attempt_id, view.revision, best.id, text)
        else:
            view = svc.player.advance(learner_id, view.attempt_id, view.revision)
    return view


def play_module(svc: Services, learner_id: str) -> AttemptView:
    """Play both scenarios of the module; returns the last view (with the module result)."""
    play(svc, learner_id, SCENARIOS[0])
    return play(svc, learner_id, SCENARIOS[1])
