"""What goes to an educator: only what is uncertain or suspicious, not every thin answer."""

from __future__ import annotations

from appliance.engine import Choice, DecisionNode
from appliance.grader import OnnxGrader


def test_restating_the_action_goes_to_review_only_when_it_passes(
    onnx_grader: OnnxGrader, decision: DecisionNode, best: Choice
) -> None:
    assert decision.rubric is not None
    thin = onnx_grader.grade(
        decision.rubric, decision.prompt, best.label, "I'd go to the cot and call the registrar."
    )
    copied = onnx_grader.grade(decision.rubric, decision.prompt, best.label, f"{best.label}.")
    assert not thin.passed and "restates the chosen action" not in (thin.review_reason or "")
    assert (
        copied.passed and copied.needs_review and "restates the chosen action" in (copied.review_reason or "")
    )


def test_a_fail_of_off_topic_text_keeps_a_confident_verdict(
    onnx_grader: OnnxGrader, decision: DecisionNode, best: Choice
) -> None:
    assert decision.rubric is not None
    text = "The car park ticket machine on level two only takes coins, so bring change for the weekend."
    grade = onnx_grader.grade(decision.rubric, decision.prompt, best.label, text)
    assert not grade.passed and grade.needs_review and "off-topic" in (grade.review_reason or "")
    assert grade.confidence > 0.5  # a fail this clear is not a 0.3 guess; review is for the odd input
