"""Edit sessions: autosave, undo/redo, concurrent edits, publish rules, history, export, preview and doctor."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from appliance.config import load_settings
from appliance.engine import ChoiceRating, DecisionNode, current_node
from appliance.engine.documents import parse_document
from appliance.engine.validation import ProblemCode, validate_scenario
from appliance.grader import LexicalGrader
from appliance.services import DraftConflict, EditRefused, PublishRefused, Services, edits, open_services
from appliance.services.authoring import (
    TEMPLATES,
    EditSession,
    blank,
    examine,
    preview_continue,
    preview_decide,
    preview_from,
    template,
)
from appliance.store import User


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    """Services on a fresh data folder with the lexical grader (no model load)."""
    svc = open_services(load_settings(data_dir=tmp_path / "ward-data"), grader=LexicalGrader())
    try:
        yield svc
    finally:
        svc.close()


@pytest.fixture
def author(services: Services) -> User:
    """The site's administrator (admins may author)."""
    return services.auth.provision("NICU", "A100", "Ada Admin", "402917")


@pytest.fixture
def session(services: Services, author: User) -> EditSession:
    """A new module from the alert-conflict template."""
    return services.authoring.create("Alert practice", template("ai-alert-conflict").scenario, author.user_id)


def test_every_template_is_a_valid_scenario() -> None:
    assert {t.title for t in TEMPLATES} == {
        "AI alert conflicts with bedside assessment",
        "AI documentation suggestion to verify",
        "Privacy of patient data in a prompt",
    }
    for t in TEMPLATES:
        assert validate_scenario(t.scenario) == [], t.id


def test_every_edit_is_saved_as_a_draft_before_apply_returns(
    services: Services, session: EditSession
) -> None:
    outcome = session.apply(edits.update_node, "situation", title="Bed 3 at 02:00")
    draft = services.store.curriculum.get_draft(session.module.id)
    assert draft is not None and draft.revision == outcome.revision == 2
    reopened = services.authoring.open(session.module.id, "someone-else")
    assert reopened.scenario.node("situation").title == "Bed 3 at 02:00"


def test_a_refused_edit_changes_nothing(services: Services, session: EditSession) -> None:
    before = session.revision
    with pytest.raises(EditRefused):
        session.apply(edits.connect, "end-safe", "situation")
    assert session.revision == before and not session.can_undo


def test_undo_and_redo_across_the_session(session: EditSession) -> None:
    original = session.scenario
    session.apply(edits.update_node, "situation", title="One")
    outcome = session.apply(edits.remove_nodes, ["end-safe"])
    assert ProblemCode.DEAD_END in {p.code for p in outcome.problems}
    assert not session.undo().problems
    assert session.undo().scenario == original
    with pytest.raises(EditRefused, match="Nothing to undo"):
        session.undo()
    assert session.redo().scenario.node("situation").title == "One"
    session.apply(edits.update_node, "situation", title="Two")
    assert not session.can_redo  # a new edit clears the redo stack


def test_a_second_authors_save_is_never_silently_overwritten(
    services: Services, session: EditSession
) -> None:
    other = services.authoring.open(session.module.id, "user-b", "Bea")
    assert services.authoring.others_editing(session.module.id, session.user_id) == ["Bea"]
    other.apply(edits.update_node, "situation", title="Bea's title")
    with pytest.raises(DraftConflict, match="saved elsewhere by user-b"):
        session.apply(edits.update_node, "situation", title="Ada's title")
    stored = services.authoring.open(session.module.id, "reader")
    assert stored.scenario.node("situation").title == "Bea's title"
    session.keep_mine()  # on purpose
    assert (
        services.authoring.open(session.module.id, "reader").scenario.node("situation").title == "Ada's title"
    )
    with pytest.raises(DraftConflict):
        other.apply(edits.update_node, "situation", title="again")
    assert other.reload().scenario.node("situation").title == "Ada's title"


def test_publish_needs_a_note_and_a_clean_draft(services: Services, session: EditSession) -> None:
    with pytest.raises(PublishRefused, match="change note"):
        session.publish("  ")
    session.apply(edits.disconnect, ["situation/->decide"])
    with pytest.raises(PublishRefused, match="problem"):
        session.publish("first version")
    assert services.store.curriculum.versions(session.module.id) == ()
    session.undo()
    record = session.publish("first version")
    assert record.version == "1.0.0" and record.content_hash.startswith("sha256:")
    with pytest.raises(PublishRefused, match="Nothing changed"):
        session.publish("again")
    session.apply(edits.update_node, "situation", title="Changed")
    assert session.publish("retitled").version == "1.0.1"
    history = services.authoring.history(session.module.id)
    assert [(v.version, v.note) for v in history] == [("1.0.1", "retitled"), ("1.0.0", "first version")]


def test_a_published_module_is_playable_and_running_attempts_keep_their_version(
    services: Services, session: EditSession, author: User
) -> None:
    session.publish("first")
    nurse = services.auth.create_user(author.user_id, "N200", "Nia", ("learner",), "nicu-nurse", "583920")
    cards = services.catalogue.for_learner(nurse.user_id, "nicu-nurse").modules
    assert session.module.id in {c.module.id for c in cards}
    view = services.player.open(nurse.user_id, session.module.id, session.scenario_id)
    session.apply(edits.update_node, "decide", prompt="A new prompt for version two?")
    session.publish("second")
    view = services.player.advance(nurse.user_id, view.attempt_id, view.revision)
    node = current_node(view.scenario, view.state)
    assert isinstance(node, DecisionNode) and node.prompt != "A new prompt for version two?"
    best = next(c for c in node.choices if c.rating is ChoiceRating.BEST)
    text = "A low score does not overrule a worrying bedside assessment, so I escalate promptly with SBAR."
    view = services.player.submit(nurse.user_id, view.attempt_id, view.revision, best.id, text)
    assert view.state.finished
    fresh = services.player.open(nurse.user_id, session.module.id, session.scenario_id, new=True)
    fresh = services.player.advance(nurse.user_id, fresh.attempt_id, fresh.revision)
    assert current_node(fresh.scenario, fresh.state).prompt == "A new prompt for version two?"  # type: ignore[union-attr]


def test_restore_a_version_and_export_any_version(services: Services, session: EditSession) -> None:
    session.publish("first")
    session.apply(edits.update_node, "situation", title="Second")
    session.publish("second")
    session.restore("1.0.0")
    assert session.scenario.node("situation").title == "The situation"
    session.undo()
    assert session.scenario.node("situation").title == "Second"
    exported = parse_document(services.authoring.export(session.module.id, "1.0.0"))
    assert exported.content_hash  # type: ignore[union-attr]
    assert exported.module.version == "1.0.0"  # type: ignore[union-attr]
    with pytest.raises(EditRefused):
        services.authoring.export(session.module.id, "9.9.9")
    with pytest.raises(EditRefused):
        session.restore("9.9.9")


def test_json_export_imports_back_as_a_new_draft(services: Services, session: EditSession) -> None:
    text = services.authoring.export_draft(session)
    copy = services.authoring.import_json(text, session.user_id)
    assert copy.module.id != session.module.id and copy.scenario == session.scenario


def test_blank_module_and_editing_the_module_record(services: Services, author: User) -> None:
    s = services.authoring.create("From scratch", blank(), author.user_id)
    assert s.module.id == "from-scratch"
    s.update_module(description="Practice", minutes=15)
    assert s.module.minutes == 15
    with pytest.raises(EditRefused):
        s.update_module(version="9.0.0")
    assert services.authoring.create("From scratch", blank(), author.user_id).module.id == "from-scratch-2"
    assert "from-scratch" in {m[0] for m in services.authoring.modules()}


def test_preview_from_any_node_uses_the_real_grader_and_records_nothing(
    services: Services, session: EditSession
) -> None:
    outbox_before = len(services.store.outbox.after(0))
    preview = preview_from(session.scenario, "decide")
    text = "A low score does not overrule a worrying bedside assessment; escalate promptly with SBAR."
    preview = preview_decide(preview, services.grader, "unsafe", text)
    assert preview.last_grade is not None and preview.state.node_id == "harm"
    preview = preview_continue(preview_continue(preview))
    assert preview.state.finished
    assert len(services.store.outbox.after(0)) == outbox_before
    with pytest.raises(EditRefused):
        preview_from(session.scenario, "nowhere")


def test_rubric_doctor_flags_label_disagreement_and_confusable_points(
    services: Services, session: EditSession
) -> None:
    s = session.apply(
        edits.add_key_point, "decide", "A low score does not overrule a worrying bedside assessment."
    )
    kp_copy = s.result
    s = session.apply(edits.add_exemplar, "decide", "Trust the score and wait, all is fine.", 0.95, ())
    node = session.scenario.node("decide")
    assert isinstance(node, DecisionNode)
    report = examine(services.grader, node)
    disagreeing = [c for c in report.exemplars if not c.agrees]
    assert any(c.index == 2 and c.label_passed and not c.grader_passed for c in disagreeing)
    assert any("kp-1" in w and kp_copy in w and "cannot tell" in w for w in report.warnings)
    assert any(f"meeting key point '{kp_copy}'" in w for w in report.warnings)


def test_opening_an_unknown_or_malformed_module_is_refused(services: Services, author: User) -> None:
    with pytest.raises(EditRefused, match="no module"):
        services.authoring.open("no-such-module", author.user_id)
    with pytest.raises(EditRefused, match="not a module id"):
        services.authoring.open("../etc", author.user_id)
