"""Fixtures for grader tests: the real built models (built through the same code path if missing)."""

from __future__ import annotations

import importlib.util
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from appliance.engine import Choice, DecisionNode, load_document
from appliance.engine.documents import scenarios_in
from appliance.grader import LexicalGrader, ModelError, OnnxGrader
from appliance.grader.backends import GgufJudge
from appliance.grader.models import build_model, get_spec, verify

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


_PROBE = """
import sys
import llama_cpp
llm = llama_cpp.Llama(model_path=sys.argv[1], n_ctx=256, n_threads=2, verbose=False)
out = llm("The baby is", max_tokens=4, temperature=0.0)
print(repr(out["choices"][0]["text"]))
"""


@pytest.fixture(scope="session")
def llama_survives() -> Path:
    """Run the GGUF model once in a child process first: a crash in native code fails the tests, not the run.

    A llama.cpp built with -march=native on a CPU that advertises AMX dies with SIGILL (see
    scripts/build_llama_wheel.sh); in-process, that would kill the whole pytest run.
    """
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python (the llm extra) is not installed")
    path = ensure_built(GGUF)
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path)], capture_output=True, text=True, timeout=300, check=False
    )
    if probe.returncode != 0:
        cause = (
            f"signal {signal.Signals(-probe.returncode).name}"
            if probe.returncode < 0
            else f"exit {probe.returncode}"
        )
        pytest.fail(
            f"llama.cpp died running {path.name} ({cause}); rebuild it portably with "
            f"scripts/build_llama_wheel.sh.\n{probe.stderr[-2000:]}",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def gemma_judge(llama_survives: Path) -> GgufJudge:
    """The real gemma3 270m base model on llama.cpp (skipped where llama-cpp-python is not installed)."""
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
