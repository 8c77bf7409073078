"""The curriculum around the scenarios: taxonomy, competencies, credential specs and pass rules,
loading and publishing a curriculum, and judging a module's result.

Public on purpose, outside ``appliance.engine``'s short top level.
"""

from appliance.engine._curriculum import (
    Competency,
    CredentialLevel,
    CredentialSpec,
    Curriculum,
    HospitalRole,
    PassRule,
    Taxonomy,
)
from appliance.engine._loader import load_curriculum, publish
from appliance.engine._passing import ModuleResult, module_result

__all__ = [
    "Competency",
    "CredentialLevel",
    "CredentialSpec",
    "Curriculum",
    "HospitalRole",
    "ModuleResult",
    "PassRule",
    "Taxonomy",
    "load_curriculum",
    "module_result",
    "publish",
]
