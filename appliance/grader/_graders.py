"""The Grader protocol and the rubric graders: ONNX embeddings (default) and the lexical fallback."""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import time
from abc import ABC, abstractmethod
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Self, runtime_checkable

from appliance.engine import Grade, Rubric
from appliance.grader._embed import OnnxEmbedder, choose_providers
from appliance.grader._entail import OnnxEntailer
from appliance.grader._match import analyse
from appliance.grader._params import ScoringParams
from appliance.grader._prepare import PreparedRubric, RubricCache, prepare
from appliance.grader._registry import ModelSpec, trusted_sha256, verify
from appliance.grader._safety import screen
from appliance.grader._scorer import Assessment, assess, empty_grade, to_grade
from appliance.grader._text import check_limits

log = logging.getLogger(__name__)

SCORER_VERSION = "2"
LEXICAL_ID = "lexical-fallback"


@dataclass(frozen=True, slots=True)
class GraderInfo:
    """What the health page shows about the grader."""

    backend: str
    model_id: str
    model_version: str
    provider: str
    fallback_reason: str | None = None
    detail: str = ""


@runtime_checkable
class Grader(Protocol):
    """Grades a learner's answer to a question, given the action they chose, against a rubric.

    It knows nothing of scenarios: services turn a decision and a choice into these four values.
    """

    def grade(self, rubric: Rubric, question: str, choice: str, answer: str) -> Grade:
        """Grade an answer (blocking)."""
        ...

    async def async_grade(self, rubric: Rubric, question: str, choice: str, answer: str) -> Grade:
        """Grade an answer in a worker thread so the event loop never blocks."""
        ...

    def describe(self) -> GraderInfo:
        """Describe the backend, model and execution provider."""
        ...


def default_workers() -> int:
    """Grading threads per grader: one per core, at most four."""
    return min(4, os.cpu_count() or 1)


class BaseGrader(ABC):
    """Input limits, timing, the rubric lookup and a bounded worker pool shared by every backend."""

    def __init__(self, workers: int | None = None) -> None:
        self._executor = ThreadPoolExecutor(
            max_workers=workers or default_workers(), thread_name_prefix="grader"
        )

    def grade(self, rubric: Rubric, question: str, choice: str, answer: str) -> Grade:
        """Grade ``answer`` to ``question``, where the learner chose ``choice``, against ``rubric``.

        :param choice: the label of the action chosen ("" when there is none).
        :raises RationaleRejected: the answer exceeds the input limits (checked before any model runs).
        """
        return self.grade_text(question, answer, rubric, choice)

    async def async_grade(self, rubric: Rubric, question: str, choice: str, answer: str) -> Grade:
        """Grade in the grader's worker pool; awaiting it never blocks the event loop.

        :raises RationaleRejected: as :meth:`grade`.
        """
        loop = asyncio.get_running_loop()
        call = functools.partial(self.grade, rubric, question, choice, answer)
        return await loop.run_in_executor(self._executor, call)

    def grade_text(self, question: str, rationale: str, rubric: Rubric, choice: str = "") -> Grade:
        """Grade an answer to a question without a scenario (the evaluation harness uses this).

        :raises RationaleRejected: the rationale exceeds the input limits.
        """
        started = time.perf_counter()
        text = check_limits(rationale)
        grade = self._grade_clean(question, text, rubric, choice)
        return grade.model_copy(update={"latency_ms": round((time.perf_counter() - started) * 1000, 3)})

    @abstractmethod
    def _grade_clean(self, question: str, text: str, rubric: Rubric, choice: str) -> Grade:
        """Grade normalised text that is within the limits."""

    @abstractmethod
    def describe(self) -> GraderInfo:
        """Describe the backend, model and execution provider."""

    def close(self) -> None:
        """Stop the worker pool."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class RubricGrader(BaseGrader):
    """Scores key-point coverage, red flags and exemplar agreement; semantic when given an embedder."""

    def __init__(
        self,
        embedder: OnnxEmbedder | None,
        *,
        model_id: str,
        model_version: str,
        params: ScoringParams | None = None,
        workers: int | None = None,
        fallback_reason: str | None = None,
        entailer: OnnxEntailer | None = None,
    ) -> None:
        super().__init__(workers)
        self._entailer = entailer
        self._entail = entailer.probabilities if entailer is not None and embedder is not None else None
        self._embedder = embedder
        self._embed = embedder.embed if embedder is not None else None
        self._vocabulary = embedder.vocabulary() if embedder is not None else None
        self.params = params or ScoringParams()
        self.model_id = model_id
        self.model_version = model_version
        self._fallback_reason = fallback_reason
        self._cache = RubricCache(self._prepare)

    @property
    def has_entailment(self) -> bool:
        """True when the key-point entailment model is loaded."""
        return self._entail is not None

    def _prepare(self, rubric: Rubric, question: str, choice: str) -> PreparedRubric:
        return prepare(rubric, question, choice, self._embed, self.params, self._entail)

    def prepared(self, rubric: Rubric, question: str, choice: str = "") -> PreparedRubric:
        """Return the cached analysis of a rubric (built on first use)."""
        return self._cache.get(rubric, question, choice)

    def assess_text(
        self, question: str, text: str, rubric: Rubric, choice: str = ""
    ) -> tuple[Grade, Assessment | None]:
        """Grade normalised text and also return the signals behind the grade (None when nothing was scored)."""
        prepared = self.prepared(rubric, question, choice)
        screening = screen(text, self._vocabulary)
        view = analyse([screening.scored_text], self._embed)[0]
        if view.empty:
            return empty_grade(prepared, screening, self.model_id, self.model_version), None
        assessment = assess(
            prepared, view, screening, self.params, semantic=self._embed is not None, entail=self._entail
        )
        return to_grade(prepared, assessment, self.params, self.model_id, self.model_version), assessment

    def _grade_clean(self, question: str, text: str, rubric: Rubric, choice: str) -> Grade:
        return self.assess_text(question, text, rubric, choice)[0]

    def describe(self) -> GraderInfo:
        """Describe the backend, model and execution provider."""
        if self._embedder is None:
            return GraderInfo(
                "lexical", self.model_id, self.model_version, "python", self._fallback_reason,
                "word-overlap fallback: install/build the ONNX model for semantic grading",
            )  # fmt: skip
        entail = "+ key-point entailment model " if self._entail is not None else "(no entailment model) "
        return GraderInfo(
            "onnx", self.model_id, self.model_version, self._embedder.provider, None,
            f"sentence embeddings ({self._embedder.dimension}-d) {entail}+ lexical evidence, "
            f"scorer v{SCORER_VERSION}",
        )  # fmt: skip


class LexicalGrader(RubricGrader):
    """The clearly labelled fallback: word overlap only, used when no model can be loaded."""

    def __init__(
        self, *, reason: str | None = None, params: ScoringParams | None = None, workers: int | None = None
    ) -> None:
        super().__init__(
            None, model_id=LEXICAL_ID, model_version=f"scorer-{SCORER_VERSION}", params=params,
            workers=workers, fallback_reason=reason,
        )  # fmt: skip


class OnnxGrader(RubricGrader):
    """The default grader: all-MiniLM-L6-v2 (int8) sentence embeddings with onnxruntime."""

    @classmethod
    def load(
        cls,
        spec: ModelSpec,
        models_dir: Path,
        *,
        accelerator: str = "auto",
        params: ScoringParams | None = None,
        workers: int | None = None,
        threads: int | None = None,
        entail_spec: ModelSpec | None = None,
    ) -> OnnxGrader:
        """Verify the model's checksums, then load it (and the entailment model, when given) on the best
        available execution provider.

        :raises ModelNotFound: the model or its tokenizer is missing.
        :raises ModelChecksumMismatch: a file does not match its manifest / build record.
        :raises ModelError: onnxruntime cannot load the file.
        """
        path = verify(spec, models_dir)
        providers = choose_providers(accelerator)
        workers = workers or default_workers()
        threads = threads or max(1, (os.cpu_count() or 1) // workers)  # workers x threads = cores
        embedder = OnnxEmbedder(path, path.parent / "tokenizer.json", providers, threads=threads)
        version = f"{spec.version}+{(trusted_sha256(spec, models_dir) or '')[:12]}"
        entailer = None
        if entail_spec is not None:
            entail_path = verify(entail_spec, models_dir)
            entailer = OnnxEntailer(entail_path, entail_path.parent / "tokenizer.json", providers, threads)
            version += f"/{entail_spec.name}-{entail_spec.version}+{(trusted_sha256(entail_spec, models_dir) or '')[:12]}"
        version += f"/scorer-{SCORER_VERSION}"
        log.info("ONNX grader %s loaded on %s", spec.name, embedder.provider)
        return cls(
            embedder, model_id=spec.name, model_version=version, params=params, workers=workers,
            entailer=entailer,
        )  # fmt: skip

    @property
    def embedder(self) -> OnnxEmbedder:
        """The sentence embedder (the benchmark times it directly)."""
        assert self._embedder is not None
        return self._embedder
