"""What reviews teach (reviewers, authors, admins): agreement per rubric and key point, replay, clusters."""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui

from appliance.auth import Role, Session
from appliance.engine import DecisionNode
from appliance.services.review import Agreement
from appliance.ui._context import io_bound, require, services, still_granted
from appliance.ui._frame import frame
from appliance.ui.pages.catalogue import nav_for


def require_any(*roles: Role) -> Session | RedirectResponse:
    """The session when it grants any of ``roles``, else the redirect of the last check."""
    result: Session | RedirectResponse = RedirectResponse("/login", status_code=303)
    for role in roles:
        result = require(role)
        if not isinstance(result, RedirectResponse):
            return result
    return result


def _fmt(a: Agreement) -> str:
    rate = "–" if a.rate is None else f"{a.rate:.0%}"
    kappa = "κ undefined" if a.kappa is None else f"κ {a.kappa:.2f}"
    return f"{rate} of {a.n} · {kappa}"


def _decisions() -> dict[tuple[str, str], DecisionNode]:
    found = {}
    for module in services().curriculum.curriculum.modules:
        for scenario in module.scenarios:
            for node in scenario.nodes:
                if isinstance(node, DecisionNode) and node.rubric is not None:
                    found[(module.id, node.id)] = node
    return found


async def insights_page() -> RedirectResponse | None:  # type: ignore[return]
    """Agreement, the replay of reviewed answers, and misconception clusters."""
    session = require_any(Role.REVIEWER, Role.AUTHOR)
    if isinstance(session, RedirectResponse):
        return session
    svc = services()
    decisions = _decisions()
    rubrics = await io_bound(svc.insights.agreement)
    overlays = await io_bound(svc.insights.overlay_counts)
    with frame(
        "What reviews teach",
        svc.site_name(),
        session.display_name,
        svc.settings.session_timeout_minutes,
        nav_for(session.roles),
    ):
        ui.label(
            "Agreement between the grader and reviewers (Cohen's kappa corrects for chance). Key points flagged "
            "in red need rewording or exemplars."
        ).classes("text-grey-8")
        if not rubrics:
            ui.label("No reviews yet.").classes("text-lg").mark("no-reviews")
        for r in rubrics:
            node = decisions.get((r.module_id, r.node_id))
            texts = {kp.id: kp.text for kp in node.rubric.key_points} if node and node.rubric else {}
            with ui.card().classes("w-full").mark(f"agreement-{r.node_id}"):
                ui.label(node.title if node else r.node_id).classes("text-h6")
                ui.label(
                    f"Pass/fail: {_fmt(r.passed)} · {r.overrides} override(s), {r.confirmations} confirmed · "
                    f"{overlays.get((r.module_id, r.node_id), 0)} reviewer exemplar(s)"
                ).classes("text-base").mark("agreement-summary")
                for kp in r.key_points:
                    colour = "text-negative font-medium" if kp.flagged else ""
                    ui.label(
                        f"{'⚠ ' if kp.flagged else ''}{texts.get(kp.key_point_id, kp.key_point_id)[:90]}: {_fmt(kp.agreement)}"
                    ).classes(f"text-sm {colour}")
                out = ui.column().classes("w-full gap-1")

                async def replay(
                    module_id: str = r.module_id, node_id: str = r.node_id, into: ui.column = out
                ) -> None:
                    into.clear()
                    with into:
                        ui.spinner()
                    result = await io_bound(svc.insights.replay, module_id, node_id)
                    into.clear()
                    with into:
                        for p in result.points:
                            ui.label(f"With {p.exemplars} reviewer exemplar(s): {_fmt(p.agreement)}").classes(
                                "text-base"
                            ).mark("replay-point")

                ui.button("Replay reviewed answers", icon="replay", on_click=replay).props("outline").mark(
                    f"replay-{r.node_id}"
                )
        _clusters(decisions)


def _clusters(decisions: dict[tuple[str, str], DecisionNode]) -> None:
    """Misconception clusters: pick a decision, group its failing answers by meaning."""
    svc = services()
    ui.label("Misconception clusters").classes("text-h6 mt-4")
    ui.label("Failing answers at one decision (after review), grouped by meaning on this box.").classes(
        "text-grey-8"
    )
    options = {f"{m}|{n}": node.title for (m, n), node in decisions.items()}
    picker = ui.select(options, label="Decision").classes("w-full").mark("cluster-decision")
    out = ui.column().classes("w-full gap-2")

    async def cluster() -> None:
        if not still_granted(Role.REVIEWER, Role.AUTHOR):
            return
        if not picker.value:
            ui.notify("Choose a decision first.")
            return
        module_id, node_id = str(picker.value).split("|")
        node = decisions[(module_id, node_id)]
        texts = {kp.id: kp.text for kp in node.rubric.key_points} if node.rubric else {}
        out.clear()
        with out:
            ui.spinner()
        groups = await io_bound(svc.insights.clusters, module_id, node_id)
        out.clear()
        with out:
            if not groups:
                ui.label("No groups of similar failing answers yet.").classes("text-base").mark("no-clusters")
            for g in groups:
                with ui.card().classes("w-full bg-grey-1").mark("cluster"):
                    missed = ", ".join(texts.get(k, k)[:60] for k, _ in g.missed) or "–"
                    ui.label(f"{g.size} answers · often missed: {missed}").classes("font-medium")
                    for example in g.examples:
                        ui.label(f"“{example}”").classes("text-sm italic whitespace-pre-wrap")

    ui.button("Group failing answers", icon="hub", on_click=cluster).props("outline").mark("cluster-run")
