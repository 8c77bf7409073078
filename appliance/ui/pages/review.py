"""The review queue: one flagged answer at a time, confirm or override, with keyboard shortcuts.

Keys (outside text boxes): ``c`` confirm the grader, ``p``/``f`` pass/fail, ``1``-``9`` toggle a key
point, ``e`` add as exemplar, ``s`` save the override, ``n``/``j`` next, ``k`` previous.
"""

from __future__ import annotations

from fastapi.responses import RedirectResponse
from nicegui import ui
from nicegui.events import KeyEventArguments

from appliance.auth import Role, Session
from appliance.engine import Band
from appliance.services import ReviewError
from appliance.services.review import ReviewDecision, ReviewFilter, ReviewItem
from appliance.ui._context import io_bound, require, services, still_granted
from appliance.ui._frame import frame
from appliance.ui.pages.catalogue import nav_for

URGENCY = {
    3: ("Red flag", "negative"),
    2: ("Possible injection or red flag", "deep-orange"),
    1: ("Unsure", "grey-7"),
}
REASONS = {
    "red flag": "Red flags",
    "injection": "Possible injection",
    "confidence": "Low confidence",
    "english": "Not in English",
    "gibberish": "Gibberish",
    "copied": "Copied text",
}


class ReviewDesk:
    """The queue and the answer being reviewed, with the reviewer's draft decision."""

    def __init__(self, session: Session) -> None:
        self._verdict_el: ui.toggle
        self._band_el: ui.select
        self._kp_boxes: dict[str, ui.checkbox] = {}
        self.svc = services()
        self.session = session
        self.where = ReviewFilter()
        self.items: list[ReviewItem] = []
        self.index = 0
        self._reset_form()

    def _reset_form(self) -> None:
        item = self.current
        grade = item.record.grade if item else None
        self.passed = grade.passed if grade else False
        self.band: str | None = None
        self.met = set(grade.met_ids) if grade else set()
        self.flags = set(grade.red_flags) if grade else set()
        self.reason = ""
        self.feedback = ""
        self.exemplar = False

    @property
    def current(self) -> ReviewItem | None:
        """The answer on screen."""
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    async def load(self) -> None:
        """Read the queue again with the current filters."""
        self.items = list(await io_bound(self.svc.review.items, self.where, 100))
        self.index = min(self.index, max(0, len(self.items) - 1))
        self._reset_form()
        self.render.refresh()

    def _move(self, step: int) -> None:
        if self.items:
            self.index = (self.index + step) % len(self.items)
            self._reset_form()
            self.render.refresh()

    async def _decide(self, confirm: bool) -> None:
        if not still_granted(Role.REVIEWER):
            return
        item = self.current
        if item is None:
            return
        decision = ReviewDecision(
            confirm=confirm,
            passed=None if confirm else self.passed,
            band=Band(self.band) if self.band and not confirm else None,
            key_points_met=None if confirm else tuple(sorted(self.met)),
            red_flags=None if confirm else tuple(sorted(self.flags)),
            reason=self.reason,
            feedback=self.feedback,
            add_as_exemplar=self.exemplar,
        )
        try:
            outcome = await io_bound(
                self.svc.review.decide, self.session.user_id, item.record.grade_id, decision
            )
        except ReviewError as err:
            ui.notify(str(err), type="warning", multi_line=True)
            return
        message = "Confirmed" if confirm else "Override saved"
        if outcome.exemplar is not None:
            message += f"; added to the rubric's exemplars (v{outcome.exemplar.seq})"
        if outcome.awarded:
            message += f"; the learner earned: {', '.join(outcome.awarded)}"
        ui.notify(message, type="positive")
        self.items.pop(self.index)
        self.index = min(self.index, max(0, len(self.items) - 1))
        self._reset_form()
        self.render.refresh()

    async def on_key(self, e: KeyEventArguments) -> None:
        """Keyboard shortcuts for a fast pass through the queue."""
        if not e.action.keydown or e.action.repeat or e.modifiers.ctrl or e.modifiers.meta or e.modifiers.alt:
            return
        key = str(e.key.name).lower()
        item = self.current
        if key in ("n", "j"):
            self._move(1)
        elif key == "k":
            self._move(-1)
        elif item is None:
            return
        elif key == "c":
            await self._decide(confirm=True)
        elif key == "s":
            await self._decide(confirm=False)
        elif key in ("p", "f"):  # change the controls in place: a redraw would drop what is being typed
            self._verdict_el.set_value("pass" if key == "p" else "fail")
        elif key == "e":
            self.exemplar = not self.exemplar
        elif key.isdigit() and 1 <= int(key) <= len(item.rubric.key_points):
            box = self._kp_boxes[item.rubric.key_points[int(key) - 1].id]
            box.set_value(not box.value)

    def filters(self) -> None:
        """Filter controls: module, decision, reason, learner's hospital role."""
        curriculum = self.svc.curriculum.curriculum
        modules = {m.id: m.title for m in curriculum.modules}
        decisions = {
            n.id: n.title
            for m in curriculum.modules
            for s in m.scenarios
            for n in s.nodes
            if n.kind == "decision"
        }
        roles = {r.id: r.title for r in curriculum.taxonomy.roles}

        async def apply(field: str, value: str | None) -> None:
            current = self.where.__dict__ | {field: value or None}
            self.where = ReviewFilter(**current)
            self.index = 0
            await self.load()

        with ui.row().classes("w-full gap-2 items-center"):
            for field, label, options in (
                ("module_id", "Module", modules),
                ("node_id", "Decision", decisions),
                ("reason", "Reason", REASONS),
                ("job_role", "Hospital role", roles),
            ):
                ui.select(
                    options, label=label, clearable=True,
                    on_change=lambda e, f=field: apply(f, e.value),
                ).classes("min-w-[11rem] grow").mark(f"filter-{field}")  # fmt: skip

    @ui.refreshable_method
    def render(self) -> None:
        """The count, the queue strip and the answer under review."""
        ui.label(f"{len(self.items)} waiting for review").classes("text-lg text-grey-8").mark("queue-count")
        item = self.current
        if item is None:
            ui.label("Nothing is waiting for review. Thank you!").classes("text-lg").mark("queue-empty")
            return
        with ui.row().classes("w-full gap-1 no-wrap overflow-x-auto"):
            for n, other in enumerate(self.items[:30]):
                label, colour = URGENCY.get(other.urgency, URGENCY[1])
                ui.button(str(n + 1), on_click=lambda _, i=n: self._select(i)).props(
                    f"dense {'unelevated' if n == self.index else 'outline'} color={colour}"
                ).tooltip(f"{label}: {other.decision.title}")
        self._item(item)

    def _select(self, index: int) -> None:
        self.index = index
        self._reset_form()
        self.render.refresh()

    def _item(self, item: ReviewItem) -> None:
        self._kp_boxes = {}
        record, grade = item.record, item.record.grade
        label, colour = URGENCY.get(item.urgency, URGENCY[1])
        with ui.card().classes("w-full").mark("review-item"):
            with ui.row().classes("items-center gap-2"):
                ui.badge(label, color=colour).classes("text-base px-2")
                ui.label(f"{item.module_title} · {item.scenario_title}").classes("text-grey-8")
            ui.label(item.decision.title).classes("text-h6").mark("review-decision")
            with ui.expansion("Decision prompt", icon="help_outline").classes("w-full"):
                ui.label(item.decision.prompt).classes("text-lg whitespace-pre-wrap")
            ui.label(f"Choice: {item.choice_label}").classes("text-lg font-medium").mark("review-choice")
            ui.label("Rationale").classes("text-overline")
            ui.label(record.rationale or "(removed under the retention policy)").classes(
                "text-lg whitespace-pre-wrap bg-grey-2 p-3 rounded w-full"
            ).mark("review-rationale")
            ui.label(
                f"Grader: {grade.band.value} · score {grade.score:.0%} · {'pass' if grade.passed else 'fail'} · "
                f"confidence {grade.confidence:.0%} · learner role {item.learner_role}"
            ).classes("text-base").mark("review-grader")
            if item.reason:
                ui.label(f"Why it is here: {item.reason}").classes("text-base text-grey-8")
            self._key_points(item)
            self._verdict(item)

    def _key_points(self, item: ReviewItem) -> None:
        verdicts = {kp.key_point_id: kp for kp in item.record.grade.key_points}
        ui.label("Key points (tick what the answer meets)").classes("text-lg font-medium mt-2")
        for n, kp in enumerate(item.rubric.key_points, start=1):
            verdict = verdicts.get(kp.id)
            with ui.row().classes("w-full items-start no-wrap gap-2"):
                self._kp_boxes[kp.id] = ui.checkbox(
                    value=kp.id in self.met, on_change=lambda e, k=kp.id: self._toggle(self.met, k, e.value)
                ).mark(f"kp-{kp.id}")
                with ui.column().classes("gap-0 grow"):
                    ui.label(f"{n}. {kp.text}" + (" (essential)" if kp.critical else "")).classes("text-base")
                    said = "met" if verdict and verdict.met else "missed"
                    ui.label(f"Grader: {said}").classes(
                        "text-sm " + ("text-positive" if said == "met" else "text-grey-7")
                    )
                    if verdict and verdict.evidence:
                        ui.label(f"“{verdict.evidence}”").classes("text-sm italic text-grey-8")
        if item.rubric.red_flags:
            ui.label("Red flags").classes("text-lg font-medium mt-2 text-negative")
            for flag in item.rubric.red_flags:
                ui.checkbox(
                    flag.text, value=flag.id in self.flags,
                    on_change=lambda e, k=flag.id: self._toggle(self.flags, k, e.value),
                ).mark(f"rf-{flag.id}")  # fmt: skip

    @staticmethod
    def _toggle(into: set[str], key: str, on: bool) -> None:
        if on:
            into.add(key)
        else:
            into.discard(key)

    def _verdict(self, item: ReviewItem) -> None:
        def bands() -> list[str]:
            return [b.value for b in Band if (b in (Band.STRONG, Band.ADEQUATE)) == self.passed]

        def set_passed(value: str) -> None:
            self.passed = value == "pass"
            self.band = None
            self._band_el.set_options(bands(), value=None)

        with ui.row().classes("w-full items-center gap-3 mt-2"):
            self._verdict_el = ui.toggle(
                {"pass": "Pass (P)", "fail": "Fail (F)"}, value="pass" if self.passed else "fail",
                on_change=lambda e: set_passed(e.value),
            ).props("size=lg").mark("verdict")  # fmt: skip
            self._band_el = (
                ui.select(bands(), label="Band (optional)", value=self.band, clearable=True)
                .bind_value(self, "band")
                .classes("min-w-[10rem]")
                .mark("band")
            )
        ui.input("Reason (needed for an override; goes to the audit log)").bind_value(self, "reason").classes(
            "w-full"
        ).mark("reason")
        ui.textarea("Feedback to the learner (optional)").bind_value(self, "feedback").props(
            "autogrow"
        ).classes("w-full").mark("feedback-text")
        ui.checkbox("Add to the rubric's exemplars (E)").bind_value(self, "exemplar").mark("exemplar")
        with ui.row().classes("w-full gap-2"):
            ui.button("Confirm grader (C)", icon="check", on_click=lambda: self._decide(True)).props(
                "size=lg color=positive"
            ).mark("confirm")
            ui.button("Save override (S)", icon="edit", on_click=lambda: self._decide(False)).props(
                "size=lg"
            ).mark("override")
            ui.button("Skip (N)", icon="skip_next", on_click=lambda: self._move(1)).props(
                "size=lg flat"
            ).mark("skip")


async def review_page() -> RedirectResponse | None:  # type: ignore[return]
    """The review queue (reviewers and admins)."""
    session = require(Role.REVIEWER)
    if isinstance(session, RedirectResponse):
        return session
    svc = services()
    desk = ReviewDesk(session)
    with frame(
        "Review queue",
        svc.site_name(),
        session.display_name,
        svc.settings.session_timeout_minutes,
        nav_for(session.roles),
    ):
        ui.label(
            "Answers the grader was unsure of, most urgent first. Keys: C confirm · P/F pass/fail · 1-9 key "
            "points · E exemplar · S save · N next · K back."
        ).classes("text-grey-8")
        desk.filters()
        desk.render()
        ui.keyboard(on_key=desk.on_key)
    await desk.load()
