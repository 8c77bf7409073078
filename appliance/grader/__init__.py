"""The rationale grader: grade a learner's written reasoning against a rubric with local models.

``load_grader(settings)`` returns the configured grader: ``OnnxGrader`` (sentence embeddings, the default),
``LexicalGrader`` (the labelled fallback, model id ``lexical-fallback``), or ``CombinedGrader`` (ONNX plus a
llama.cpp ``GgufJudge`` for the cases ONNX is unsure of). Models are listed as data in ``models/*.json``
(``ModelSpec``), built by ``build_models`` and verified by sha256 before use. Beyond the top level:
``backends`` (the combined grader, the judge, the rubric grader and its scoring parameters), ``models``
(the registry and builds) and ``evaluation`` (what the evaluation scripts use).

GraderError
├── ModelError
│   ├── ModelNotFound
│   ├── ModelChecksumMismatch
│   └── ModelBuildError
├── BackendUnavailable
├── RubricMissing
├── RationaleRejected
└── JudgeOutputInvalid
"""

from appliance.grader._errors import (
    BackendUnavailable,
    GraderError,
    JudgeOutputInvalid,
    ModelBuildError,
    ModelChecksumMismatch,
    ModelError,
    ModelNotFound,
    RationaleRejected,
    RubricMissing,
)
from appliance.grader._factory import load_grader
from appliance.grader._graders import BaseGrader, Grader, LexicalGrader, OnnxGrader
from appliance.grader._text import MAX_CHARS, MAX_WORDS

__all__ = [
    "MAX_CHARS",
    "MAX_WORDS",
    "BackendUnavailable",
    "BaseGrader",
    "Grader",
    "GraderError",
    "JudgeOutputInvalid",
    "LexicalGrader",
    "ModelBuildError",
    "ModelChecksumMismatch",
    "ModelError",
    "ModelNotFound",
    "OnnxGrader",
    "RationaleRejected",
    "RubricMissing",
    "load_grader",
]
