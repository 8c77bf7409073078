"""Validating scenarios, modules and curricula: the problems found, each with a code.

Public on purpose, outside ``appliance.engine``'s short top level.
"""

from appliance.engine._validation import (
    Problem,
    ProblemCode,
    validate_curriculum,
    validate_module,
    validate_scenario,
)

__all__ = [
    "Problem",
    "ProblemCode",
    "validate_curriculum",
    "validate_module",
    "validate_scenario",
]
