"""The grader API: async use, concurrency, caching, exemplar calibration, feedback and the fallback."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from appliance.engine import Choice, DecisionNode, Grade, Rubric
from appliance.engine.rubrics import Exemplar, KeyPoint
from appliance.grader import Grader, LexicalGrader, OnnxGrader, RubricMissing
from appliance.services import grade_decision
from tests.grader.conftest import STRONG, WEAK


def test_both_graders_satisfy_the_protocol(onnx_grader: OnnxGrader, lexical_grader: LexicalGrader) -> None:
    assert isinstance(onnx_grader, Grader) and isinstance(lexical_grader, Grader)
    info = onnx_grader.describe()
    assert info.backend == "onnx" and info.model_id == "all-minilm-l6-v2-int8"
    assert info.provider == "CPUExecutionProvider" and info.model_version.startswith("1+f5711d6034ea")
    assert lexical_grader.describe().fallback_reason == "test"


async def test_async_grade_keeps_the_event_loop_responsive(
    onnx_grader: OnnxGrader, decision: DecisionNode, best: Choice
) -> None:
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.001)
            ticks += 1

    task = asyncio.create_task(ticker())
    grades = await asyncio.gather(
        *(onnx_grader.async_grade(decision.rubric, decision.prompt, best.label, STRONG) for _ in range(30))
    )
    task.cancel()
    assert all(g.passed for g in grades)
    assert ticks > 5, "the loop was blocked while grading"


def test_concurrent_grading_gives_identical_results(
    onnx_grader: OnnxGrader, decision: DecisionNode, best: Choice
) -> None:
    texts = [STRONG, WEAK] * 16
    with ThreadPoolExecutor(8) as pool:
        grades = list(
            pool.map(lambda t: onnx_grader.grade(decision.rubric, decision.prompt, best.label, t), texts)
        )
    strong = {g.model_dump_json(exclude={"latency_ms"}) for g in grades[::2]}
    weak = {g.model_dump_json(exclude={"latency_ms"}) for g in grades[1::2]}
    assert len(strong) == 1 and len(weak) == 1


def test_rubric_side_work_is_cached_per_rubric_content(
    onnx_grader: OnnxGrader, decision: DecisionNode, best: Choice
) -> None:
    rubric = Rubric(key_points=(KeyPoint(id="k", text="Check the cannula site for swelling"),))
    first = onnx_grader.prepared(rubric, "What now?")
    again = onnx_grader.prepared(Rubric.model_validate(rubric.model_dump()), "What now?")
    other = onnx_grader.prepared(rubric, "Another question?")
    assert first is again and first is not other


def test_a_decision_without_a_rubric_is_refused(
    onnx_grader: OnnxGrader, decision: DecisionNode, best: Choice
) -> None:
    bare = decision.model_copy(update={"rubric": None})
    with pytest.raises(RubricMissing, match="no rubric"):
        grade_decision(onnx_grader, bare, best, STRONG)


def test_grade_reports_latency_and_model(
    onnx_grader: OnnxGrader, decision: DecisionNode, best: Choice
) -> None:
    grade = onnx_grader.grade(decision.rubric, decision.prompt, best.label, STRONG)
    assert 0 < grade.latency_ms < 5_000
    assert grade.model_version and grade.confidence > 0.5 and not grade.needs_review


def _tokens_grade(grader: OnnxGrader, rubric: Rubric, answer: str) -> Grade:
    return grader.grade_text("Which metal does a magnet attract?", answer, rubric)


def test_exemplars_move_the_decision_towards_the_educators_labels(onnx_grader: OnnxGrader) -> None:
    point = KeyPoint(id="iron", text="Magnets attract iron and steel")
    bare = Rubric(key_points=(point,), pass_threshold=0.5)
    answer = "Things with ferrous metal in them."
    before = _tokens_grade(onnx_grader, bare, answer)
    taught = bare.model_copy(
        update={
            "exemplars": (
                Exemplar(text="Anything ferrous, like a steel nail.", score=1.0, met=("iron",)),
                Exemplar(text="Ferrous metals such as iron.", score=1.0, met=("iron",)),
                Exemplar(text="Objects with ferrous metal inside.", score=1.0, met=("iron",)),
                Exemplar(text="Copper and aluminium.", score=0.0),
                Exemplar(text="All metals.", score=0.0),
            )
        }
    )
    after = _tokens_grade(onnx_grader, taught, answer)
    assert after.score > before.score
    assert after.passed
    wrong = _tokens_grade(onnx_grader, taught, "Copper and aluminium cans.")
    assert not wrong.passed


def test_feedback_uses_the_rubric_wording_and_never_quotes_exemplars(
    onnx_grader: OnnxGrader, decision: DecisionNode, best: Choice
) -> None:
    rubric = decision.rubric
    assert rubric is not None
    grade = onnx_grader.grade(
        decision.rubric,
        decision.prompt,
        best.label,
        "I'd check him over at the bedside and phone the reg so a doctor sees him.",
    )
    assert rubric.feedback.passed in grade.feedback or rubric.feedback.failed in grade.feedback
    assert "assess the baby at the bedside before acting on the alert" in grade.feedback
    assert "document the alert, the assessment and the actions taken" in grade.feedback
    for exemplar in rubric.exemplars:
        assert exemplar.text not in grade.feedback
        assert exemplar.text[:40] not in grade.feedback


def test_missing_a_critical_point_fails_even_with_a_high_score(
    onnx_grader: OnnxGrader, decision: DecisionNode, best: Choice
) -> None:
    text = "I'd check Sam's obs and colour at the bedside because the algorithm can be wrong, and write it all in the notes."
    grade = onnx_grader.grade(decision.rubric, decision.prompt, best.label, text)
    assert grade.missed_critical and not grade.passed
    assert grade.score < (decision.rubric.pass_threshold if decision.rubric else 0.6)


def test_lexical_grader_is_fast_and_needs_no_model(
    lexical_grader: LexicalGrader, decision: DecisionNode, best: Choice
) -> None:
    started = time.perf_counter()
    grade = lexical_grader.grade(decision.rubric, decision.prompt, best.label, STRONG)
    assert time.perf_counter() - started < 1.0
    assert grade.model_id == "lexical-fallback" and grade.passed
