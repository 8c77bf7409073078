"""The model registry and builds: ``ModelSpec`` records, building models and verifying them by sha256.

Public on purpose, outside ``appliance.grader``'s short top level.
"""

from appliance.grader._build import BuildOutcome, build_model, build_models
from appliance.grader._registry import BuildRecord, ModelSpec, get_spec, list_specs, verify

__all__ = [
    "BuildOutcome",
    "BuildRecord",
    "ModelSpec",
    "build_model",
    "build_models",
    "get_spec",
    "list_specs",
    "verify",
]
