"""The rationale grader: grade a learner's written reasoning against a rubric with local models.

``load_grader(settings)`` returns the configured grader: ``OnnxGrader`` (sentence embeddings, the default),
``LexicalGrader`` (the labelled fallback, model id ``lexical-fallback``), or ``CombinedGrader`` (ONNX plus a
llama.cpp ``GgufJudge`` for the cases ONNX is unsure of). Models are listed as data in ``models/*.json``
(``ModelSpec``), built by ``build_models`` and verified by sha256 before use.

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

from appliance.grader._build import BuildOutcome, build_model, build_models
from appliance.grader._combined import CombinedGrader, GgufGrader
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
from appliance.grader._factory import load_grader, load_onnx
from appliance.grader._gguf import GgufJudge, Verdict
from appliance.grader._graders import (
    LEXICAL_ID,
    BaseGrader,
    Grader,
    GraderInfo,
    LexicalGrader,
    OnnxGrader,
    RubricGrader,
)
from appliance.grader._params import Logistic, ScoringParams
from appliance.grader._registry import BuildRecord, ModelSpec, get_spec, list_specs, verify
from appliance.grader._text import MAX_CHARS, MAX_WORDS

__all__ = [
    "LEXICAL_ID",
    "MAX_CHARS",
    "MAX_WORDS",
    "BackendUnavailable",
    "BaseGrader",
    "BuildOutcome",
    "BuildRecord",
    "CombinedGrader",
    "GgufGrader",
    "GgufJudge",
    "Grader",
    "GraderError",
    "GraderInfo",
    "JudgeOutputInvalid",
    "LexicalGrader",
    "Logistic",
    "ModelBuildError",
    "ModelChecksumMismatch",
    "ModelError",
    "ModelNotFound",
    "ModelSpec",
    "OnnxGrader",
    "RationaleRejected",
    "RubricGrader",
    "RubricMissing",
    "ScoringParams",
    "Verdict",
    "build_model",
    "build_models",
    "get_spec",
    "list_specs",
    "load_grader",
    "load_onnx",
    "verify",
]
