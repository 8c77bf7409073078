"""What rubric structure and graded exemplars teach the grader: "do X, not Y" wordings, learned phrasings."""

from __future__ import annotations

import pytest

from appliance.engine.rubrics import Exemplar, KeyPoint, Rubric
from appliance.grader import OnnxGrader
from appliance.grader._contrast import split_contrast

QUESTION = (
    "Priya has pasted identifiable patient details into a public chatbot on her own phone. What do you do?"
)
POINTS = (
    KeyPoint(id="stop-now", critical=True,
             text="Stops the disclosure straight away: identifiable patient information must not go into public "
                  "or unapproved AI tools."),
    KeyPoint(id="report", critical=True,
             text="Reports it as an information governance or data protection incident through the local process."),
    KeyPoint(id="support", text="Supports the colleague without blame and points her to the approved template."),
)  # fmt: skip


@pytest.mark.parametrize(
    ("wording", "affirmative", "contrary"),
    [
        ("Escalates to the registrar now, not at the next cares or after the next score.",
         "Escalates to the registrar now", ("at the next cares or after the next score",)),
        ("Measures the bilirubin properly instead of relying on the app",
         "Measures the bilirubin properly", ("relying on the app",)),
        ("stick to facts, no comments about the reg", "stick to facts", ("comments about the reg",)),
        # kept whole: a negated main clause, one negated statement, a contrast inside brackets, a thin contrary
        ("Green doesn't mean she's safe, I go on what I see", "Green doesn't mean she's safe, I go on what I see", ()),
        ("a normal score can't overrule clinical signs", "a normal score can't overrule clinical signs", ()),
        ("the tool used the wrong weight (2.1 kg, not 1.2 kg)", "the tool used the wrong weight (2.1 kg, not 1.2 kg)", ()),
        ("diagnoses come from the medical team, not the tool", "diagnoses come from the medical team, not the tool", ()),
    ],
)  # fmt: skip
def test_contrast_wordings_split_into_what_is_asked_and_what_is_ruled_out(
    wording: str, affirmative: str, contrary: tuple[str, ...]
) -> None:
    split = split_contrast(wording)
    assert (split.affirmative, split.contrary) == (affirmative, contrary)


def test_an_answer_that_states_what_a_key_point_rules_out_earns_no_tick(onnx_grader: OnnxGrader) -> None:
    point = KeyPoint(id="escalate", critical=True,
                     text="Escalates to the registrar now, not at the next cares or after the next score.")  # fmt: skip
    rubric = Rubric(key_points=(point,), pass_threshold=0.5)
    question = "Ellis has new apnoeas and a low sepsis score. What do you do?"
    ruled_out = onnx_grader.grade_text(
        question, "I'll see how she is at the next cares and after the next score.", rubric
    )
    asked = onnx_grader.grade_text(question, "I'm calling the registrar now to review her.", rubric)
    assert "escalate" not in ruled_out.met_ids
    assert "escalate" in asked.met_ids


def test_a_graded_exemplar_teaches_how_learners_say_a_key_point(onnx_grader: OnnxGrader) -> None:
    answer = (
        "Get her to stop sharing it at once - patient details stay out of chatbots - then report it to IG."
    )
    plain = Rubric(key_points=POINTS, pass_threshold=0.6)
    before = onnx_grader.grade_text(QUESTION, answer, plain)
    taught = plain.model_copy(update={"exemplars": (
        Exemplar(text="Stop her sharing it straight away, patient details stay out of public chatbots. I'd report "
                      "it to the IG team.", score=0.8, met=("stop-now", "report")),
    )})  # fmt: skip
    after = onnx_grader.grade_text(QUESTION, answer, taught)
    assert "stop-now" not in before.met_ids
    assert "stop-now" in after.met_ids
    assert onnx_grader.prepared(taught, QUESTION).key_points[0].targets[-1].learned


def test_a_negated_exemplar_sentence_is_never_learned_as_a_wording(onnx_grader: OnnxGrader) -> None:
    taught = Rubric(key_points=POINTS, pass_threshold=0.6, exemplars=(
        Exemplar(text="I wouldn't let her carry on typing. I'd report it to the IG team today.",
                 score=0.8, met=("stop-now", "report")),
    ))  # fmt: skip
    learned = [
        t.text for c in onnx_grader.prepared(taught, QUESTION).key_points for t in c.targets if t.learned
    ]
    assert learned and not any("wouldn't" in t for t in learned)


def test_with_one_key_point_a_failed_exemplar_is_a_contrary_answer(onnx_grader: OnnxGrader) -> None:
    question = "Why does the bulb light when the switch is pressed?"
    point = KeyPoint(
        id="reference", text="The switch closes the circuit so current can flow through the bulb."
    )
    rubric = Rubric(key_points=(point,), pass_threshold=0.5, exemplars=(
        Exemplar(text="Pressing the switch opens the circuit so the battery makes light.", score=0.0, met=()),
    ))  # fmt: skip
    wrong = onnx_grader.grade_text(
        question, "Pressing it opens the circuit and the battery makes the light.", rubric
    )
    right = onnx_grader.grade_text(
        question, "It closes the circuit, so current flows through the bulb.", rubric
    )
    assert "reference" not in wrong.met_ids
    assert "reference" in right.met_ids
