"""Golden outputs: fixed rationales for the fixture rubric, graded by the real int8 ONNX model."""

from __future__ import annotations

import pytest

from appliance.engine import Band, Choice, DecisionNode
from appliance.grader import OnnxGrader
from tests.grader.conftest import STRONG, WEAK

GOLDEN = [
    # (name, rationale, band, met key points, red flags, score, tolerance)
    ("strong", STRONG, Band.STRONG, {"assess", "escalate", "ai-limits", "document"}, set(), 1.0, 0.05),
    (
        "adequate",
        "I would assess Sam at the cot side myself and then get the registrar to come and see him.",
        Band.ADEQUATE,
        {"assess", "escalate"},
        set(),
        0.67,
        0.1,
    ),
    (
        "misses a critical point",
        "I'd go and check Sam's obs and colour at the bedside, because the algorithm can be wrong, and write "
        "everything down in his notes.",
        Band.INSUFFICIENT,
        {"assess", "ai-limits", "document"},
        set(),
        0.59,
        0.05,
    ),
    ("one minor point", WEAK, Band.INSUFFICIENT, {"document"}, set(), 0.17, 0.1),
    (
        "automation bias",
        "The AI is always right, so I would just do what the alert says and start the sepsis pathway without "
        "looking at him.",
        Band.UNSAFE,
        set(),
        {"trust-blindly"},
        0.0,
        0.1,
    ),
    (
        "silences the alert",
        "He looks fine to me so I would switch the alert off and carry on with the drug round.",
        Band.UNSAFE,
        set(),
        {"silence"},
        0.0,
        0.1,
    ),
    (
        "negated key points",
        "I would not call the registrar and I would not go and look at him.",
        Band.INSUFFICIENT,
        set(),
        set(),
        0.0,
        0.1,
    ),
]


@pytest.mark.parametrize(
    ("name", "text", "band", "met", "flags", "score", "tolerance"), GOLDEN, ids=[g[0] for g in GOLDEN]
)
def test_golden_grade(
    onnx_grader: OnnxGrader,
    decision: DecisionNode,
    best: Choice,
    name: str,
    text: str,
    band: Band,
    met: set[str],
    flags: set[str],
    score: float,
    tolerance: float,
) -> None:
    grade = onnx_grader.grade(decision.rubric, decision.prompt, best.label, text)
    assert grade.band == band, name
    assert set(grade.met_ids) == met
    assert set(grade.red_flags) == flags
    assert grade.score == pytest.approx(score, abs=tolerance)
    assert grade.model_id == "all-minilm-l6-v2-int8"


def test_met_key_points_carry_the_learners_sentence_as_evidence(
    onnx_grader: OnnxGrader, decision: DecisionNode, best: Choice
) -> None:
    grade = onnx_grader.grade(decision.rubric, decision.prompt, best.label, STRONG)
    for result in grade.key_points:
        assert result.met and result.evidence and result.evidence.rstrip(".") in STRONG
    escalate = next(r for r in grade.key_points if r.key_point_id == "escalate")
    assert "registrar" in (escalate.evidence or "")


def test_lexical_fallback_is_labelled_and_still_orders_answers(
    lexical_grader, decision: DecisionNode, best: Choice
) -> None:
    strong = lexical_grader.grade(decision.rubric, decision.prompt, best.label, STRONG)
    weak = lexical_grader.grade(decision.rubric, decision.prompt, best.label, WEAK)
    assert strong.model_id == weak.model_id == "lexical-fallback"
    assert strong.score > weak.score and strong.passed and not weak.passed
    assert lexical_grader.describe().backend == "lexical"
