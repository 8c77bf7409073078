"""The curriculum engine: scenario graphs, rubrics, validation, the play runtime and the file format.

Pure Python with no UI and no storage: the player, the CLI and the tests all drive it the same way.
The top level is the scenario graph, grades, the play runtime, loading a document and the errors
(``EngineError > ScenarioFormatError | GuardSyntaxError | PlayError``); the rest is public in submodules:
``curriculum`` (taxonomy, credential specs, pass rules, publish), ``documents`` (the file format),
``guards``, ``guard_ast``, ``rubrics`` and ``validation``.
"""

from appliance.engine._curriculum import Module
from appliance.engine._errors import EngineError, GuardSyntaxError, PlayError, ScenarioFormatError
from appliance.engine._grade import Band, Grade, KeyPointResult
from appliance.engine._loader import load_document
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
from appliance.engine._rubric import Rubric
from appliance.engine._runtime import PlayState, PlayStatus, Step, advance, current_node, decide, start
from appliance.engine._scenario import Scenario, Variable

__all__ = [
    "AIOutput",
    "Band",
    "Choice",
    "ChoiceRating",
    "ContentNode",
    "DecisionNode",
    "Edge",
    "EndNode",
    "EngineError",
    "FailStateNode",
    "Grade",
    "GuardSyntaxError",
    "HarmSeverity",
    "KeyPointResult",
    "Module",
    "Node",
    "Outcome",
    "PlayError",
    "PlayState",
    "PlayStatus",
    "RecoveryNode",
    "Rubric",
    "Scenario",
    "ScenarioFormatError",
    "Step",
    "Variable",
    "advance",
    "current_node",
    "decide",
    "load_document",
    "start",
]
