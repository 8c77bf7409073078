"""The curriculum engine: scenario graphs, rubrics, validation, the play runtime and the file format.

Pure Python with no UI and no storage: the player, the CLI and the tests all drive it the same way.
"""

from appliance.engine._curriculum import (
    Competency,
    CredentialLevel,
    CredentialSpec,
    Curriculum,
    HospitalRole,
    Module,
    PassRule,
    Taxonomy,
)
from appliance.engine._documents import (
    ModuleDocument,
    ScenarioDocument,
    TaxonomyDocument,
    document_json_schema,
)
from appliance.engine._errors import EngineError, GuardSyntaxError, PlayError, ScenarioFormatError
from appliance.engine._grade import Band, Grade, KeyPointResult
from appliance.engine._guards import Guard, parse_guard
from appliance.engine._loader import (
    content_hash,
    dump_document,
    load_curriculum,
    load_document,
    parse_document,
    publish,
    save_document,
    scenarios_in,
)
from appliance.engine._nodes import (
    AIOutput,
    Choice,
    ChoiceRating,
    ContentNode,
    DecisionNode,
    Edge,
    EndNode,
    FailStateNode,
    HarmSeverity,
    Node,
    Outcome,
    RecoveryNode,
)
from appliance.engine._passing import ModuleResult, module_result
from appliance.engine._rubric import Exemplar, KeyPoint, RedFlag, Rubric, RubricFeedback
from appliance.engine._runtime import PlayState, PlayStatus, Step, advance, current_node, decide, start
from appliance.engine._scenario import SCHEMA_VERSION, Scenario, Variable
from appliance.engine._validation import (
    Problem,
    ProblemCode,
    validate_curriculum,
    validate_module,
    validate_scenario,
)

__all__ = [
    "SCHEMA_VERSION",
    "AIOutput",
    "Band",
    "Choice",
    "ChoiceRating",
    "Competency",
    "ContentNode",
    "CredentialLevel",
    "CredentialSpec",
    "Curriculum",
    "DecisionNode",
    "Edge",
    "EndNode",
    "EngineError",
    "Exemplar",
    "FailStateNode",
    "Grade",
    "Guard",
    "GuardSyntaxError",
    "HarmSeverity",
    "HospitalRole",
    "KeyPoint",
    "KeyPointResult",
    "Module",
    "ModuleDocument",
    "ModuleResult",
    "Node",
    "Outcome",
    "PassRule",
    "PlayError",
    "PlayState",
    "PlayStatus",
    "Problem",
    "ProblemCode",
    "RecoveryNode",
    "RedFlag",
    "Rubric",
    "RubricFeedback",
    "Scenario",
    "ScenarioDocument",
    "ScenarioFormatError",
    "Step",
    "Taxonomy",
    "TaxonomyDocument",
    "Variable",
    "advance",
    "content_hash",
    "current_node",
    "decide",
    "document_json_schema",
    "dump_document",
    "load_curriculum",
    "load_document",
    "module_result",
    "parse_document",
    "parse_guard",
    "publish",
    "save_document",
    "scenarios_in",
    "start",
    "validate_curriculum",
    "validate_module",
    "validate_scenario",
]
