"""Play-throughs the review tests share: a module whose badge depends on one borderline answer's review.

Which answers are borderline depends on the grader in use (ONNX when the model is built, else the lexical
fallback), so the answers are chosen by grading candidates with the grader first: real answers from the
rubrics' exemplars and the double-labelled demo set. The plan makes the module's average fall short of the
pass mark before review and reach it once the reviewer marks the borderline answer strong with every key point.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from appliance.engine import DecisionNode, current_node
from appliance.services import AttemptView, Services, grade_decision

MODULE = "ai-safety-sepsis"
SCENARIOS = ("quiet-alert", "loud-alert")
BORDERLINE_NODE = "d1-escalate"
BORDERLINE = (
    "Her score is low but she is mottled, floppy and having more bradycardias, so I am worried and will "
    "call the registrar to review her now."
)
DEMO_SET = Path(__file__).resolve().parents[2] / "data" / "eval" / "demo_rationales.jsonl"


@dataclass(frozen=True)
class Plan:
    """The answer for each decision, and the borderline one the reviewer will see."""

    answers: dict[str, str]
    borderline: str
    similar: str


_PLANS: dict[str, Plan] = {}


def _decisions(svc: Services) -> list[DecisionNode]:
    module = svc.curriculum.module(MODULE)
    nodes = []
    for scenario_id in SCENARIOS:
        nodes += [n for n in module.scenario(scenario_id).nodes if isinstance(n, DecisionNode) and n.rubric]
    return nodes


def _candidates(node: DecisionNode) -> list[str]:
    texts = [e.text for e in (node.rubric.exemplars if node.rubric else ())]
    for line in DEMO_SET.read_text("utf-8").splitlines():
        row = json.loads(line)
        if row["decision_id"] == node.id and row["category"] in ("strong", "partial", "wrong"):
            texts.append(row["student_answer"])
    return list(dict.fromkeys(texts))


def similar_to(text: str) -> str:
    """A light rewording: the same reasoning, slightly different words."""
    return text.replace(" and ", " & ").replace("I am", "I'm").replace("I will", "I'll").rstrip(".") + "."


def plan(svc: Services) -> Plan:
    """Choose the answers for the grader in use (cached per grader)."""
    key = f"{svc.grader.describe().model_id}/{svc.grader.describe().model_version}"
    if key in _PLANS:
        return _PLANS[key]
    nodes = _decisions(svc)
    grade = {}
    border = next(n for n in nodes if n.id == BORDERLINE_NODE)
    best = next(c for c in border.choices if c.rating.value == "best")
    flagged = []
    for text in [BORDERLINE, *_candidates(border)]:
        g = grade_decision(svc.grader, border, best, text)
        clean = not g.red_flags and not g.missed_critical and "injection" not in (g.review_reason or "")
        if g.needs_review and clean:
            flagged.append((g.score, text))
    chosen = (min(flagged)[1], min(flagged)[0]) if flagged else None  # the lowest score leaves most room
    assert chosen is not None, "no candidate answer is borderline for this grader"
    answers = {BORDERLINE_NODE: chosen[0]}
    others = [n for n in nodes if n.id != BORDERLINE_NODE]
    # The module passes at an average of 0.6 over its 5 graded answers: before review it must fall short,
    # after the borderline answer becomes 1.0 it must reach it.
    low, high = 3.0 - 1.0 + 0.02, 3.0 - chosen[1] - 0.02
    remaining = (low + high) / 2
    for i, node in enumerate(others):
        choice = next(c for c in node.choices if c.rating.value == "best")
        target = remaining / (len(others) - i)
        scored = []
        for text in _candidates(node):
            g = grade_decision(svc.grader, node, choice, text)
            if not g.red_flags and not g.missed_critical:
                scored.append((abs(g.score - target), g.score, text))
        _, score, text = min(scored)
        grade[node.id] = score
        answers[node.id] = text
        remaining -= score
    total = sum(grade.values())
    assert low <= total <= high, (
        f"could not plan answers for this grader ({total:.2f} not in {low:.2f}-{high:.2f})"
    )
    result = Plan(answers, chosen[0], similar_to(chosen[0]))
    _PLANS[key] = result
    return result


def play(svc: Services, learner_id: str, scenario_id: str) -> AttemptView:
    """Play one scenario with the best choices and the planned answers."""
    answers = plan(svc).answers
    view = svc.player.open(learner_id, MODULE, scenario_id, new=True)
    while not view.state.finished:
        node = current_node(view.scenario, view.state)
        if isinstance(node, DecisionNode):
            best = next(c for c in node.choices if c.rating.value == "best")
            text = answers.get(node.id) or _candidates(node)[0]
            view = svc.player.submit(learner_id, view.attempt_id, view.revision, best.id, text)
        else:
            view = svc.player.advance(learner_id, view.attempt_id, view.revision)
    return view


def play_module(svc: Services, learner_id: str) -> AttemptView:
    """Play both scenarios of the module; returns the last view (with the module result)."""
    play(svc, learner_id, SCENARIOS[0])
    return play(svc, learner_id, SCENARIOS[1])


def all_key_points(svc: Services) -> tuple[str, ...]:
    """Every key point of the borderline decision (what the reviewer ticks)."""
    node = svc.curriculum.scenario(MODULE, SCENARIOS[0]).node(BORDERLINE_NODE)
    assert isinstance(node, DecisionNode) and node.rubric is not None
    return tuple(kp.id for kp in node.rubric.key_points)
