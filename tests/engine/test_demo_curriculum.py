"""The bundled demo curriculum validates clean and meets the content bar."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from appliance.config import Settings
from appliance.engine import DecisionNode, EndNode, FailStateNode, RecoveryNode
from appliance.engine.curriculum import CredentialLevel, load_curriculum
from appliance.engine.validation import validate_curriculum

DEMO = Settings().curriculum_dir
SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "schemas" / "curriculum-v1.schema.json").read_text()
)


def test_demo_curriculum_validates_clean() -> None:
    assert validate_curriculum(load_curriculum(DEMO)) == []


@pytest.mark.parametrize("path", sorted(DEMO.glob("**/*.json")), ids=lambda p: p.name)
def test_demo_files_match_the_published_json_schema(path: Path) -> None:
    jsonschema.validate(json.loads(path.read_text()), SCHEMA)


def test_every_demo_decision_has_a_full_rubric() -> None:
    curriculum = load_curriculum(DEMO)
    assert len(curriculum.modules) >= 2
    for module in curriculum.modules:
        for scenario in module.scenarios:
            decisions = [n for n in scenario.nodes if isinstance(n, DecisionNode)]
            assert len(decisions) >= 2, scenario.id
            assert any(isinstance(n, FailStateNode) for n in scenario.nodes)
            assert any(isinstance(n, RecoveryNode) for n in scenario.nodes)
            assert all(n.debrief for n in scenario.nodes if isinstance(n, EndNode))
            for node in decisions:
                rubric = node.rubric
                assert rubric is not None and 3 <= len(rubric.key_points) <= 6, node.id
                assert any(kp.critical for kp in rubric.key_points), node.id
                assert rubric.red_flags and len(rubric.exemplars) >= 4, node.id


def test_taxonomy_covers_the_roles_and_stacks_badges() -> None:
    taxonomy = load_curriculum(DEMO).taxonomy
    roles = {r.id for r in taxonomy.roles}
    assert {"nurse", "nicu-nurse", "physician", "cdi-specialist", "pharmacist", "it-informatics"} <= roles
    micro = [c for c in taxonomy.credentials if c.level is CredentialLevel.MICRO_CREDENTIAL]
    assert micro and len(micro[0].requires) >= 2
