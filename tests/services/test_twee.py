"""Twee 3 import: passages, links and tags become a scenario, with a report of what was and was not mapped."""

from __future__ import annotations

from pathlib import Path

import pytest

from appliance.engine import ChoiceRating, DecisionNode, EndNode, FailStateNode, HarmSeverity, Outcome
from appliance.engine.validation import ProblemCode, validate_scenario
from appliance.services import ImportFailed
from appliance.services.authoring import import_twee

FIXTURE = Path(__file__).parent / "fixtures" / "night_shift.twee"


def test_passages_links_and_tags_map_to_nodes_choices_and_kinds() -> None:
    result = import_twee(FIXTURE.read_text())
    s = result.scenario
    assert (s.title, s.start) == ("Night shift alert", "handover")
    assert [n.id for n in s.nodes] == ["handover", "assessment", "missed", "recovery", "escalated", "debrief"]
    assert [n.kind for n in s.nodes] == ["content", "decision", "fail", "recovery", "end", "end"]
    assert s.node("handover").position == (100.0, 100.0)
    assert "[[" not in s.node("handover").body and "Look at the baby" in s.node("handover").body  # type: ignore[union-attr]
    decision = s.node("assessment")
    assert isinstance(decision, DecisionNode)
    assert [c.label for c in decision.choices] == ["Escalate now", "Trust the score", "Ask a colleague"]
    assert {c.rating for c in decision.choices} == {ChoiceRating.ACCEPTABLE}
    assert [(e.choice, e.target) for e in s.outgoing("assessment")] == [("c1", "escalated"), ("c2", "missed")]
    missed, debrief = s.node("missed"), s.node("debrief")
    assert isinstance(missed, FailStateNode) and missed.severity is HarmSeverity.SEVERE
    assert isinstance(debrief, EndNode) and debrief.outcome is Outcome.PARTIAL
    assert s.outgoing("recovery")[0].target == "debrief"  # [[Debrief<-Next]]


def test_the_report_names_what_was_not_mapped() -> None:
    result = import_twee(FIXTURE.read_text())
    report = "\n".join(result.not_mapped)
    assert "'UserScript': script" in report
    assert "missing passage 'Nowhere'" in report
    assert "macros" in report and "'Assessment'" in report
    assert "tag(s) sticky" in report
    assert "needs a rubric" in report
    assert any("'Missed' -> fail node 'missed' (tag 'fail')" in m for m in result.mapped)


def test_validation_then_shows_what_the_author_must_finish() -> None:
    codes = {p.code for p in validate_scenario(import_twee(FIXTURE.read_text()).scenario)}
    assert codes == {ProblemCode.MISSING_RUBRIC, ProblemCode.DEAD_END}  # no rubric; 'Ask a colleague' dangles


def test_untagged_passages_take_their_kind_from_their_links() -> None:
    s = import_twee(":: A\n[[B]] [[C]]\n:: B\n[[C]]\n:: C\nThe end.").scenario
    assert [n.kind for n in s.nodes] == ["decision", "content", "end"]


def test_text_without_passages_is_refused() -> None:
    with pytest.raises(ImportFailed, match="No Twee passages"):
        import_twee("just some text")
