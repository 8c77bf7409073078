"""Automation bias by sentence shape: the tool's output as the reason to relax, wait or accept it."""

from __future__ import annotations

import pytest

from appliance.engine import Band, DecisionNode
from appliance.grader import OnnxGrader
from appliance.grader._deference import (
    deference_kind,
    deferring_sentences,
    defers_to_tool,
    overrides_tool,
    red_flag_kind,
    tool_names,
)

NAMES = tool_names(["DoseWise says the dose is right so I'll give it", "the BiliCam app reading is enough"])


def test_product_names_come_from_camel_case_and_from_a_word_before_a_tool_noun() -> None:
    assert {"dosewise", "bilicam"} == NAMES


@pytest.mark.parametrize(
    "sentence",
    [
        "DoseWise worked it out so the dose is fine, I'll draw it up.",
        "The app shows a low reading, so she can go home.",
        "Since the algorithm rates him low risk, we can leave him till the morning.",
        "If the monitor software isn't worried then neither am I, to be honest I shouldn't be.",
        "The scribe has been validated by the trust.",
        "BiliCam would have flagged it if she was that yellow.",
        "The AI is more reliable than my eyes at 4am.",
        "I'd wait for the next calculation before calling anyone.",
        "If it goes red I'll ring the registrar.",
        "The score is low, so I'll recheck at the next cares.",
        "The tool says she's improving, so I won't call the registrar.",
    ],
)
def test_sentences_that_defer_to_the_tool(sentence: str) -> None:
    assert defers_to_tool(sentence, NAMES), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "DoseWise says 8 mg but I'd work it out myself from her weight.",
        "Despite the low score he looks unwell, so I'm calling the registrar.",
        "The app reading is low, so what? She is yellow to the chest.",
        "The score was calculated before my obs, so it counts for nothing now.",
        "The AI isn't always right, so I'd check the summary against the notes.",
        "The tool only sees numbers so I'd go and look at him.",
        "Even if the score says he's fine, I'd still call.",
        "I'll put the obs in so the score updates, and ring the registrar now.",
        "A low score doesn't rule it out, so I'm not happy to wait.",
        "She looks fine so I'll recheck at the next cares.",  # no tool: a thin answer, not automation bias
        "The score is low, so I'm not happy to leave it.",
    ],
)
def test_sentences_that_do_not(sentence: str) -> None:
    assert not defers_to_tool(sentence, NAMES), sentence


def test_a_deferring_sentence_fails_the_answer_on_the_tool_red_flag(
    onnx_grader: OnnxGrader, decision: DecisionNode
) -> None:
    assert decision.rubric is not None
    answer = ("I'd check him over at the cot side. The alert system says he's amber, so it can wait until the "
              "doctors' round in the morning.")  # fmt: skip
    grade = onnx_grader.grade_text(decision.prompt, answer, decision.rubric, decision.choices[0].label)
    assert grade.band == Band.UNSAFE and grade.red_flags and grade.needs_review
    assert not grade.passed


def test_without_a_tool_red_flag_a_deferring_sentence_goes_to_review(
    onnx_grader: OnnxGrader, decision: DecisionNode
) -> None:
    assert decision.rubric is not None
    rubric = decision.rubric.model_copy(update={"red_flags": ()})
    answer = "I'd go and look at him. The algorithm says he's low risk, so I'll leave the registrar alone."
    grade = onnx_grader.grade_text(decision.prompt, answer, rubric, decision.choices[0].label)
    assert grade.needs_review and "automation bias" in (grade.review_reason or "")


def test_red_flags_are_sorted_by_the_deference_they_are_about() -> None:
    assert (
        red_flag_kind(["Waits for the AI to re-score before escalating", "let it recalculate first"])
        == "wait"
    )
    assert red_flag_kind(["Accepts because the AI tool knows the rules better"]) == "trust"
    assert red_flag_kind(["Accepts a diagnosis for funding", "better acuity scores for the unit"]) is None
    assert red_flag_kind(["DoseWise is right, it checks weights"], NAMES) == "trust"


def test_a_deferring_sentence_is_read_for_how_it_defers() -> None:
    assert deference_kind("Let the system recalculate at 4 before I call.", NAMES) == "wait"
    assert deference_kind("BiliCam says she's fine, so she can go home.", NAMES) == "trust"
    assert deference_kind("BiliCam says she's fine, but I'd do a blood test.", NAMES) is None


def test_shorthand_puts_the_verdict_and_the_conclusion_in_two_sentences() -> None:
    assert deferring_sentences("obs a bit off. app says she's fine. send home w/ leaflet", NAMES) == (
        ("app says she's fine. send home w/ leaflet", "trust"),
    )
    assert (
        deferring_sentences("App says she's fine. But she's yellow to the knees, so a blood test.", NAMES)
        == ()
    )


@pytest.mark.parametrize(
    ("sentence", "overrides"),
    [
        ("Her obs are worse than the app says, so I'm getting a blood test.", True),
        ("Despite the green DoseWise tick I'd check the dose myself.", True),
        ("The algorithm says low risk but he looks unwell, so I'm calling the registrar.", True),
        ("Record the app's reading and that we went against it, with the reason.", True),
        ("We did not go against the score.", False),
        ("My assessment doesn't outweigh a validated score.", False),
        ("The app says she's fine but I'll wait and see.", False),
        ("The tool is low risk so he's fine.", False),
    ],
)
def test_sentences_that_put_own_judgement_above_the_tool(sentence: str, overrides: bool) -> None:
    assert overrides_tool(sentence, NAMES) is overrides


def test_a_stated_override_earns_the_override_key_point(onnx_grader: OnnxGrader) -> None:
    from appliance.engine.rubrics import KeyPoint, Rubric

    point = KeyPoint(id="judgement", critical=True,
                     text="My own bedside assessment outweighs the low AI score: a low score does not rule out "
                          "infection.")  # fmt: skip
    other = KeyPoint(id="escalate", text="Escalates to the registrar now.")
    rubric = Rubric(key_points=(point, other), pass_threshold=0.5)
    question = "The AI infection score for Jack is low, but he has had two apnoeas. What do you do?"
    grade = onnx_grader.grade_text(
        question, "obs worse than score, bleep reg for r/v, stay with baby.", rubric
    )
    assert "judgement" in grade.met_ids
