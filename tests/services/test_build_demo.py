"""The editor's operations are enough: the demo's first scenario is rebuilt from a blank canvas with edits only."""

from __future__ import annotations

from pathlib import Path

from appliance.config import load_settings
from appliance.engine import DecisionNode, Scenario
from appliance.engine.curriculum import load_curriculum
from appliance.engine.validation import validate_scenario
from appliance.grader import LexicalGrader
from appliance.services import edits, open_services
from appliance.services.authoring import EditSession, blank

FIELDS = {
    "content": ("title", "body", "vitals", "ai_output", "rsvp", "rsvp_wpm"),
    "decision": ("title", "prompt", "requires_rationale", "rationale_prompt", "min_words"),
    "fail": ("title", "consequence", "severity"),
    "recovery": ("title", "body"),
    "end": ("title", "outcome", "debrief"),
}


def _rubric(session: EditSession, target: DecisionNode) -> None:
    rubric = target.rubric
    assert rubric is not None
    session.apply(edits.add_rubric, target.id)
    for kp in rubric.key_points:
        if kp.id != "kp-1":
            session.apply(edits.add_key_point, target.id, kp.text, kp.id)
        session.apply(
            edits.update_key_point, target.id, kp.id, text=kp.text, weight=kp.weight, critical=kp.critical,
            phrasings=list(kp.phrasings),
        )  # fmt: skip
    if "kp-1" not in {kp.id for kp in rubric.key_points}:
        session.apply(edits.remove_key_point, target.id, "kp-1")
    for rf in rubric.red_flags:
        session.apply(edits.add_red_flag, target.id, rf.text, rf.id)
        session.apply(edits.update_red_flag, target.id, rf.id, phrasings=list(rf.phrasings))
    for i, ex in enumerate(rubric.exemplars):
        session.apply(edits.add_exemplar, target.id, ex.text, ex.score, ex.met, ex.note)
        if ex.red_flags:
            session.apply(edits.update_exemplar, target.id, i, red_flags=ex.red_flags)
    session.apply(edits.set_threshold, target.id, rubric.pass_threshold)
    session.apply(edits.set_feedback, target.id, passed=rubric.feedback.passed, failed=rubric.feedback.failed)


def _build(session: EditSession, target: Scenario) -> None:
    session.apply(
        edits.update_scenario, title=target.title, summary=target.summary, max_steps=target.max_steps
    )
    for name, var in target.variables.items():
        session.apply(edits.set_variable, name, var.type, var.default, var.description)
    session.apply(edits.rename_node, "start", target.start)
    for node in target.nodes:
        if node.id != target.start:
            session.apply(edits.add_node, node.kind, node.position, node.id)
        session.apply(edits.update_node, node.id, **{f: getattr(node, f) for f in FIELDS[node.kind]})
        session.apply(edits.move_nodes, {node.id: node.position or (0.0, 0.0)})
        if isinstance(node, DecisionNode):
            for choice in node.choices:
                if choice.id != "c1":
                    session.apply(edits.add_choice, node.id, choice.label, choice.id)
                session.apply(
                    edits.update_choice, node.id, choice.id, label=choice.label, rating=choice.rating,
                    feedback=choice.feedback, effects=choice.effects,
                )  # fmt: skip
            if "c1" not in {c.id for c in node.choices}:
                session.apply(edits.remove_choice, node.id, "c1")
            if node.rubric is not None:
                _rubric(session, node)
            session.apply(edits.update_node, node.id, requires_rationale=node.requires_rationale)
    for edge in target.edges:
        session.apply(edits.connect, edge.source, edge.target, edge.choice)
        if edge.guard or edge.label:
            conditions = edits.conditions_of(edge.guard) if edge.guard else ("all", [])
            assert conditions is not None, f"{edge.guard!r} cannot be built from pickers"
            guard = edits.build_guard(session.scenario, conditions[1], conditions[0])
            session.apply(edits.set_edge_guard, edits.edge_key(edge), guard, edge.label)


def test_the_demos_first_scenario_is_built_from_a_blank_canvas(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "ward-data")
    target = load_curriculum(settings.curriculum_dir).modules[0].scenarios[0]
    services = open_services(settings, grader=LexicalGrader())
    try:
        admin = services.auth.provision("NICU", "A100", "Ada Admin", "402917")
        session = services.authoring.create("Rebuilt", blank(), admin.user_id)
        _build(session, target)
        built = session.scenario
        assert validate_scenario(built) == []
        assert built.model_dump(exclude={"id"}) == target.model_dump(exclude={"id"})
        assert session.publish("Rebuilt from a blank canvas.").version == "1.0.0"
    finally:
        services.close()
