"""Errors raised by the rationale grader.

GraderError
├── ModelError                  a model file cannot be used
│   ├── ModelNotFound           no manifest of that name, or its built file is missing
│   ├── ModelChecksumMismatch   a model file's sha256 differs from its manifest / build record
│   └── ModelBuildError         building a model from its source package failed
├── BackendUnavailable          the runtime a backend needs (onnxruntime, llama_cpp) is not installed
├── RubricMissing               the decision has no rubric to grade against
├── RationaleRejected           the rationale is refused before any model runs (too long)
└── JudgeOutputInvalid          an LLM judge produced output that does not fit its schema
"""

from __future__ import annotations


class GraderError(Exception):
    """Base class for every error the grader raises."""


class ModelError(GraderError):
    """A model cannot be used."""


class ModelNotFound(ModelError):
    """No manifest of that name, or the model's built file is missing."""


class ModelChecksumMismatch(ModelError):
    """A model file's sha256 differs from the one recorded for it."""

    def __init__(self, path: str, expected: str, actual: str) -> None:
        self.path = path
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"{path}: sha256 {actual[:16]}... does not match the expected {expected[:16]}...; "
            "rebuild it with `appliance models build` or replace the file"
        )


class ModelBuildError(ModelError):
    """Building a model from its source package failed."""


class BackendUnavailable(GraderError):
    """The runtime a backend needs is not installed."""


class RubricMissing(GraderError):
    """The decision has no rubric, so a rationale cannot be graded."""


class RationaleRejected(GraderError):
    """The rationale is refused before any model runs; the message is fit to show the learner."""


class JudgeOutputInvalid(GraderError):
    """An LLM judge produced output that does not fit the grading schema."""
