"""Fixtures for grader tests: the real built models (built through the same code path if missing)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

from appliance.engine import Choice, DecisionNode, load_document, scenarios_in
from appliance.grader import GgufJudge, LexicalGrader, ModelError, OnnxGrader, build_model, get_spec, verify

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "models"
FIXTURES = Path(__file__).parent / "fixtures"
ONNX = "all-minilm-l6-v2-int8"
ENTAIL = "minilm-entail-int8"
GGUF = "gemma3-270m-q4km"


def ensure_built(name: str) -> Path:
    """Return the verified model path, building it with ``build_model`` when it is missing or stale."""
    spec = get_spec(MODELS, name)
    try:
        return verify(spec, MODELS)
    except ModelError:
        build_model(spec, MODELS, quiet=True)
        return verify(spec, MODELS)


@pytest.fixture(scope="session")
def onnx_grader() -> Iterator[OnnxGrader]:
    """The real default grader: int8 all-MiniLM-L6-v2 on onnxruntime."""
    ensure_built(ONNX)
    with OnnxGrader.load(get_spec(MODELS, ONNX), MODELS, accelerator="cpu") as grader:
        yield grader


@pytest.fixture(scope="session")
def entail_grader() -> Iterator[OnnxGrader]:
    """The grader with the optional key-point entailment model (skipped where it is not built: training it
    takes minutes, so tests never do)."""
    ensure_built(ONNX)
    try:
        verify(get_spec(MODELS, ENTAIL), MODELS)
    except ModelError as err:
        pytest.skip(f"optional entailment model not built ({err}): appliance models build {ENTAIL}")
    with OnnxGrader.load(
        get_spec(MODELS, ONNX), MODELS, accelerator="cpu", entail_spec=get_spec(MODELS, ENTAIL)
    ) as grader:
        yield grader


@pytest.fixture(scope="session")
def lexical_grader() -> Iterator[LexicalGrader]:
    """The labelled fallback grader."""
    with LexicalGrader(reason="test") as grader:
        yield grader


@pytest.fixture(scope="session")
def gemma_judge() -> GgufJudge:
    """The real gemma3 270m base model on llama.cpp (skipped where llama-cpp-python is not installed)."""
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python (the llm extra) is not installed")
    ensure_built(GGUF)
    return GgufJudge.load(get_spec(MODELS, GGUF), MODELS, accelerator="cpu", feedback_chars=40)


@pytest.fixture(scope="session")
def decision() -> DecisionNode:
    """The fixture decision: an AI sepsis alert with four key points, two red flags and four exemplars."""
    document = load_document(FIXTURES / "escalation_module.json")
    return next(n for n in scenarios_in(document)[0].nodes if isinstance(n, DecisionNode))


@pytest.fixture(scope="session")
def best(decision: DecisionNode) -> Choice:
    """The best choice at the fixture decision."""
    return decision.choice("assess-escalate")


STRONG = (
    "The alert could be a false positive, so first I would go to the cot and assess Sam myself: colour, "
    "perfusion, temperature and heart rate. Whatever I find, I would call the registrar to review him now, "
    "and I would document the alert, my assessment and the call in his notes with times."
)
WEAK = "I would document the alert in the notes."
