"""The grader's other backends and their parts: the combined ONNX + llama.cpp judge, the rubric
grader and its calibrated scoring parameters, and loading the ONNX grader by hand.

Public on purpose, outside ``appliance.grader``'s short top level.
"""

from appliance.grader._combined import CombinedGrader, GgufGrader
from appliance.grader._factory import load_onnx
from appliance.grader._gguf import GgufJudge, Verdict
from appliance.grader._graders import LEXICAL_ID, GraderInfo, RubricGrader
from appliance.grader._params import Logistic, ScoringParams

__all__ = [
    "LEXICAL_ID",
    "CombinedGrader",
    "GgufGrader",
    "GgufJudge",
    "GraderInfo",
    "Logistic",
    "RubricGrader",
    "ScoringParams",
    "Verdict",
    "load_onnx",
]
