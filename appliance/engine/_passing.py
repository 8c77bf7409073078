"""Apply a module's pass rule to finished play-throughs."""

from __future__ import annotations

from dataclasses import dataclass

from appliance.engine._curriculum import Module
from appliance.engine._nodes import Outcome
from appliance.engine._runtime import PlayState


@dataclass(frozen=True)
class ModuleResult:
    """Whether a module was passed, and why not when it was not."""

    passed: bool
    average_score: float | None
    reasons: tuple[str, ...]


def module_result(module: Module, states: dict[str, PlayState]) -> ModuleResult:
    """Judge a module from the latest finished play-through of each scenario (keyed by scenario id)."""
    rule = module.pass_rule
    reasons: list[str] = []
    scores: list[float] = []
    for scenario in module.scenarios:
        state = states.get(scenario.id)
        if state is None or not state.finished:
            reasons.append(f"'{scenario.title}' is not finished")
            continue
        if rule.require_success_outcome and state.outcome is not Outcome.SUCCESS:
            reasons.append(f"'{scenario.title}' did not end in a safe outcome")
        if state.unsafe_choices > rule.max_unsafe_choices:
            reasons.append(f"'{scenario.title}' had {state.unsafe_choices} unsafe choice(s)")
        scores.extend(g.score for g in state.grades)
    average = sum(scores) / len(scores) if scores else None
    if average is not None and average < rule.min_average_score:
        reasons.append(f"average rationale score {average:.0%} is below {rule.min_average_score:.0%}")
    return ModuleResult(passed=not reasons, average_score=average, reasons=tuple(reasons))
