"""Builders for small scenarios used across engine tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from appliance.engine import Band, Grade, KeyPointResult, Scenario

FIXTURES = Path(__file__).parent / "fixtures"

RUBRIC: dict[str, Any] = {
    "key_points": [
        {"id": "assess", "text": "Assess the infant at the bedside", "critical": True},
        {"id": "escalate", "text": "Escalate to the medical team"},
    ],
    "red_flags": [{"id": "trust", "text": "The AI is always right"}],
}


def content(node_id: str, **extra: Any) -> dict[str, Any]:
    """A content node."""
    return {"kind": "content", "id": node_id, "title": node_id, "body": "text", **extra}


def decision(
    node_id: str, *choices: str, rubric: dict[str, Any] | None = RUBRIC, **extra: Any
) -> dict[str, Any]:
    """A decision node whose choices are all rated acceptable."""
    node = {
        "kind": "decision",
        "id": node_id,
        "title": node_id,
        "prompt": "What now?",
        "choices": [{"id": c, "label": c, "rating": "acceptable"} for c in choices],
        **extra,
    }
    if rubric is not None:
        node["rubric"] = rubric
    return node


def end(node_id: str, outcome: str = "success") -> dict[str, Any]:
    """An end node."""
    return {"kind": "end", "id": node_id, "title": node_id, "outcome": outcome, "debrief": "done"}


def fail(node_id: str) -> dict[str, Any]:
    """A fail-state node."""
    return {"kind": "fail", "id": node_id, "title": node_id, "consequence": "harm", "severity": "severe"}


def recovery(node_id: str) -> dict[str, Any]:
    """A recovery node."""
    return {"kind": "recovery", "id": node_id, "title": node_id, "body": "try again"}


def edge(source: str, target: str, choice: str | None = None, guard: str | None = None) -> dict[str, Any]:
    """An edge."""
    return {"source": source, "target": target, "choice": choice, "guard": guard}


def scenario(
    nodes: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    start: str | None = None,
    variables: dict[str, Any] | None = None,
) -> Scenario:
    """Build and validate-as-model (not graph-validate) a scenario."""
    return Scenario.model_validate(
        {
            "id": "s",
            "title": "S",
            "start": start or nodes[0]["id"],
            "nodes": nodes,
            "edges": edges,
            "variables": variables or {},
        }
    )


def make_grade(score: float, *, critical_met: bool = True, red_flag: bool = False) -> Grade:
    """A grade with the critical key point met or missed."""
    passed = score >= 0.6 and critical_met and not red_flag
    return Grade(
        score=score,
        band=Band.STRONG if passed else Band.INSUFFICIENT,
        passed=passed,
        key_points=(
            KeyPointResult(key_point_id="assess", met=critical_met, critical=True),
            KeyPointResult(key_point_id="escalate", met=score > 0.5),
        ),
        red_flags=("trust",) if red_flag else (),
    )


@pytest.fixture
def mini_module_path() -> Path:
    """The small valid module used by CLI and loader tests."""
    return FIXTURES / "mini_module.json"
