"""The editor pages under NiceGUI's ``user`` fixture: roles, create, canvas proposals, panel, problems, publish."""

from __future__ import annotations

from pathlib import Path

from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User

from appliance.engine import DecisionNode
from appliance.services import edits
from appliance.ui.widgets.node_canvas import NodeCanvas
from tests.ui.conftest import NURSE_PIN, provision, sign_in, sign_out, svc

AUTHOR_PIN = "771203"


async def _as_author(user: User) -> None:
    admin, _ = provision()
    svc().auth.create_user(admin.user_id, "E300", "Eve Educator", ("author",), None, AUTHOR_PIN)
    await sign_in(user, "E300", AUTHOR_PIN, expect_success=False)
    await user.should_see("Author scenarios", retries=30)  # an author-only account lands on its own home


def _canvas(user: User) -> NodeCanvas:
    element = next(iter(user.find(NodeCanvas).elements))
    assert isinstance(element, NodeCanvas)
    return element


async def _new_module(user: User, title: str, template: str | None = None) -> None:
    await user.open("/author")
    user.find(marker="new-title").type(title)
    if template:
        user.find(marker="new-template").elements.pop().set_value(template)
    user.find(marker="create").click()
    await user.should_see("Edit scenario", retries=30)


async def test_a_learner_is_sent_away_from_the_editor(user: User) -> None:
    provision()
    await sign_in(user, "N200", NURSE_PIN)
    await user.open("/author")
    await user.should_see("That page needs another role.")


async def test_an_author_starts_from_a_blank_canvas_and_proposes_edits(user: User) -> None:
    await _as_author(user)
    await _new_module(user, "Night alert")
    await user.should_see("2 problem(s) to fix before publishing")
    canvas = _canvas(user)
    assert [n["id"] for n in canvas.props["graph"]["nodes"]] == ["start"]
    canvas.run_method = lambda *a, **k: None  # type: ignore[method-assign]  # no browser under this fixture
    user.find(NodeCanvas).trigger("add", {"kind": "end", "x": 300, "y": 0})
    await user.should_see("End node", retries=20)  # the new node is selected in the side panel
    user.find(NodeCanvas).trigger("connect", {"source": "start", "target": "end-1", "choice": None})
    await user.should_see("No problems: this scenario can be published.", retries=20)
    graph = canvas.props["graph"]
    assert [e["id"] for e in graph["edges"]] == ["start/->end-1"]
    user.find(NodeCanvas).trigger("connect", {"source": "end-1", "target": "start", "choice": None})
    await user.should_see("An end node finishes the scenario", retries=20)  # refused, nothing changed
    user.find(marker="undo").click()
    await user.should_see("2 problem(s) to fix", retries=20)
    session_module = next(iter(svc().store.curriculum.drafts()))
    assert session_module.revision >= 3


async def test_editing_a_node_in_the_panel_saves_it_and_markers_follow(user: User) -> None:
    await _as_author(user)
    await _new_module(user, "Alert practice", "ai-alert-conflict")
    await user.should_see("No problems", retries=20)
    canvas = _canvas(user)
    user.find(NodeCanvas).trigger("select", {"node": "decide"})
    await user.should_see("Decision node", retries=20)
    user.find(NodeCanvas).trigger("delete", {"nodes": [], "edges": ["decide/best->end-safe"]})
    await user.should_see("leads nowhere", retries=20)
    decide = next(n for n in canvas.props["graph"]["nodes"] if n["id"] == "decide")
    assert decide["data"]["problems"]  # the marker on the node
    user.find(NodeCanvas).trigger("connect", {"source": "decide", "target": "end-safe", "choice": "best"})
    await user.should_see("No problems", retries=20)
    decide = next(n for n in canvas.props["graph"]["nodes"] if n["id"] == "decide")
    assert decide["data"]["problems"] == []
    user.find(marker="kp-text-kp-2").type(" Use SBAR.").trigger("blur")
    await user.should_see("Saved.", retries=20)
    draft = next(iter(svc().store.curriculum.drafts()))
    node = svc().authoring.module_of(draft).scenarios[0].node("decide")
    assert isinstance(node, DecisionNode) and node.rubric is not None
    assert node.rubric.key_point("kp-2").text.endswith("Use SBAR.")


async def test_publish_asks_for_a_note_and_then_learners_see_the_module(user: User) -> None:
    await _as_author(user)
    await _new_module(user, "Privacy drill", "privacy-in-prompt")
    user.find(marker="publish").click()
    await user.should_see(marker="confirm-publish", retries=20)
    user.find(marker="confirm-publish").click()
    await user.should_see("change note", retries=20)
    user.find(marker="change-note").type("First version for the ward.")
    user.find(marker="confirm-publish").click()
    await user.should_see("Published 1.0.0.", retries=30)
    assert "privacy-drill" in {m.id for m in svc().curriculum.curriculum.modules}
    await sign_out(user)
    await sign_in(user, "N200", NURSE_PIN)
    await user.should_see("Privacy drill", retries=20)


async def test_rubric_doctor_preview_and_a_guard_from_pickers(user: User) -> None:
    await _as_author(user)
    await _new_module(user, "Docs drill", "ai-documentation-check")
    canvas = _canvas(user)
    canvas.run_method = lambda *a, **k: None  # type: ignore[method-assign]
    user.find(NodeCanvas).trigger("select", {"node": "decide"})
    await user.should_see(marker="doctor", retries=20)
    user.find(marker="doctor").click()
    await user.should_see(marker="doctor-exemplar-1", retries=50)

    user.find(marker="preview-here").click()
    await user.should_see("Preview (nothing is recorded)", retries=20)
    next(iter(user.find(marker="preview-choices").elements)).set_value("unsafe")
    user.find(marker="preview-rationale").type(
        "I would check each detail against the chart before I sign it."
    )
    user.find(marker="preview-submit").click()
    await user.should_see(marker="preview-grade", retries=50)
    await user.should_see("What went wrong", retries=20)
    assert all(e.type != "rationale.graded" for e in svc().store.outbox.after(0))  # nothing recorded

    user.find(NodeCanvas).trigger("select", {"edge": "harm/->recover"})
    await user.should_see("Always (no condition)", retries=20)
    user.find(marker="add-condition").click()
    await user.should_see(marker="guard-subject-0", retries=20)
    next(iter(user.find(marker="guard-subject-0").elements)).set_value("grade.passed")
    next(iter(user.find(marker="guard-value-0").elements)).set_value("yes")
    user.find(marker="save-condition").click()
    await user.should_see("when the rationale passed", retries=20)
    await user.should_see("only has guarded edges", retries=20)  # validation: no default link left
    edge = next(e for e in canvas.props["graph"]["edges"] if e["id"] == "harm/->recover")
    assert edge["label"] == "when the rationale passed" and "ward-edge-guarded" in edge["class"]


async def test_a_second_authors_save_shows_the_conflict_banner_not_an_overwrite(user: User) -> None:
    await _as_author(user)
    await _new_module(user, "Shared drill")
    user.find(marker="module-title-field").type(" (ward 3)").trigger("blur")
    await user.should_see("Shared drill (ward 3)", retries=20)
    other = svc().authoring.open("shared-drill", "someone-else", "Bea")
    other.apply(edits.update_node, "start", title="Bea was here")
    user.find(NodeCanvas).trigger("add", {"kind": "end", "x": 0, "y": 200})
    await user.should_see("saved elsewhere by someone-else", retries=20)
    draft = svc().store.curriculum.get_draft("shared-drill")
    assert draft is not None
    assert svc().authoring.module_of(draft).scenarios[0].node("start").title == "Bea was here"
    user.find(marker="reload-theirs").click()
    await user.should_see("Reloaded the latest saved draft.", retries=20)


async def test_importing_a_twee_story_shows_the_mapping_report_and_opens_a_draft(user: User) -> None:
    await _as_author(user)
    await user.open("/author")
    upload = next(iter(user.find(ui.upload).elements))
    assert isinstance(upload, ui.upload)
    story = (Path(__file__).parents[1] / "services" / "fixtures" / "night_shift.twee").read_bytes()
    await upload.handle_uploads([SmallFileUpload("night_shift.twee", "text/plain", story)])
    await user.should_see("Imported as 'night-shift-alert'.", retries=20)
    await user.should_see("✗ 'Assessment': link to missing passage 'Nowhere' dropped.")
    await user.should_see("✓ 'Missed' -> fail node 'missed' (tag 'fail').")
    user.find("Open in the editor").click()
    await user.should_see("problem(s) to fix before publishing", retries=30)


async def test_edits_stop_once_the_session_has_ended(user: User) -> None:
    await _as_author(user)
    await _new_module(user, "Ended drill")
    svc().sessions.end_user(next(u for u in svc().store.users.list() if u.staff_id == "E300").user_id)
    user.find(NodeCanvas).trigger("add", {"kind": "end", "x": 0, "y": 200})
    await user.should_see("Sign in", retries=30)
    draft = svc().store.curriculum.get_draft("ended-drill")
    assert draft is not None and draft.revision == 1  # nothing was applied


async def test_history_lists_published_versions_and_restores_one(user: User) -> None:
    await _as_author(user)
    await _new_module(user, "History drill", "ai-alert-conflict")
    session = svc().authoring.open("history-drill", "helper")
    session.publish("First.")
    session.apply(edits.update_node, "situation", title="Changed")
    session.publish("Second.")
    await user.open("/author/history-drill")
    user.find(marker="history").click()
    await user.should_see(marker="version-1.0.1", retries=20)
    await user.should_see("First.")
    user.find(marker="restore-1.0.0").click()
    await user.should_see("Restored version 1.0.0 into the draft.", retries=20)
    draft = svc().store.curriculum.get_draft("history-drill")
    assert draft is not None
    assert svc().authoring.module_of(draft).scenarios[0].node("situation").title == "The situation"


async def test_links_can_be_made_from_the_panel_without_dragging(user: User) -> None:
    await _as_author(user)
    await _new_module(user, "Keyboard drill")
    canvas = _canvas(user)
    canvas.run_method = lambda *a, **k: None  # type: ignore[method-assign]
    user.find(NodeCanvas).trigger("add", {"kind": "end", "x": 0, "y": 200})
    await user.should_see("End node", retries=20)
    user.find(NodeCanvas).trigger("select", {"node": "start"})
    await user.should_see(marker="leads-to", retries=20)
    next(iter(user.find(marker="leads-to").elements)).set_value("end-1")
    await user.should_see("No problems: this scenario can be published.", retries=20)
    assert [e["id"] for e in canvas.props["graph"]["edges"]] == ["start/->end-1"]


async def test_malformed_canvas_proposals_change_nothing(user: User) -> None:
    await _as_author(user)
    await _new_module(user, "Robust drill")
    for event, args in (
        ("add", {"kind": "end"}),
        ("add", {"kind": "end", "x": "left", "y": 0}),
        ("connect", {"target": "start"}),
        ("move", {"nodes": [{"id": "start"}]}),
        ("move", {"nodes": [{"id": "start", "x": 1e300 * 10, "y": 0}]}),
        ("delete", {"nodes": "start"}),
        ("select", ["not", "a", "dict"]),
    ):
        user.find(NodeCanvas).trigger(event, args)
    await user.should_see("problem(s) to fix", retries=20)
    draft = svc().store.curriculum.get_draft("robust-drill")
    assert draft is not None and draft.revision == 1


async def test_the_text_preview_follows_what_the_author_types(user: User) -> None:
    await _as_author(user)
    await _new_module(user, "Preview drill")
    user.find(NodeCanvas).trigger("select", {"node": "start"})
    await user.should_see(marker="node-body", retries=20)
    user.find(marker="node-body").clear().type("**Bed 3**, day 2")
    await user.should_see(marker="learner-view", content="**Bed 3**, day 2", retries=20)
