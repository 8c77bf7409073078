"""Playing scenarios: open or resume an attempt, continue, submit a graded decision, judge the module.

Every change is saved with the attempt's revision, so a second tab submitting the same decision is refused
(:class:`AttemptConflict`) instead of recording it twice. Grading runs in the grader's worker pool.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from appliance.engine import (
    DecisionNode,
    Grade,
    Module,
    PlayError,
    PlayState,
    Rubric,
    Scenario,
    advance,
    current_node,
    decide,
    start,
)
from appliance.engine.curriculum import ModuleResult, module_result
from appliance.engine.documents import content_hash
from appliance.grader import Grader
from appliance.grader import RationaleRejected as GraderRefused
from appliance.services._credentials import CredentialAwarder
from appliance.services._curriculum import CurriculumService
from appliance.services._errors import AttemptConflict, AttemptNotFound, PlayerError, RationaleRejected
from appliance.services._grading import async_grade_decision
from appliance.services._records import RecordsService
from appliance.services._reviewed import reviewed_states
from appliance.services._rubrics import RubricSource
from appliance.services._standing import module_passed_on
from appliance.services._views import AttemptView
from appliance.store import (
    Attempt,
    AttemptStatus,
    AttemptSummary,
    ConcurrentUpdate,
    GradeRecord,
    InvalidInput,
    Store,
)


class PlayerService:
    """The learner's side of a scenario, over the engine runtime, the grader and the store."""

    def __init__(
        self,
        store: Store,
        curriculum: CurriculumService,
        grader: Grader,
        awarder: CredentialAwarder,
        rubrics: RubricSource | None = None,
        records: RecordsService | None = None,
    ) -> None:
        self._store = store
        self._curriculum = curriculum
        self._grader = grader
        self._awarder = awarder
        self._rubrics = rubrics
        self._records = records

    def _rubric(self, module_id: str, node: DecisionNode) -> Rubric | None:
        """The rubric to grade with: the decision's, plus reviewers' exemplars when there are any."""
        return self._rubrics.rubric_for(module_id, node) if self._rubrics else node.rubric

    def _view(
        self,
        attempt: Attempt,
        result: ModuleResult | None = None,
        awarded: tuple[str, ...] = (),
        grades: tuple[GradeRecord, ...] = (),
    ) -> AttemptView:
        module = self._module_of(attempt)
        return AttemptView(
            attempt_id=attempt.attempt_id,
            revision=attempt.revision,
            module=module,
            scenario=self._scenario_of(attempt),
            state=attempt.state,
            module_result=result,
            awarded=awarded,
            grades=grades,
            last_grade=self._last_grade(attempt.state),
        )

    def _last_grade(self, state: PlayState) -> Grade | None:
        """The last step's full grade: from the grade record it refers to, else the step's own."""
        last = state.steps[-1] if state.steps else None
        if last is None or last.grade is None:
            return None
        record = self._store.grades.get(last.rationale_id) if last.rationale_id else None
        return record.grade if record is not None else last.grade

    def _module_of(self, attempt: AttemptSummary) -> Module:
        """The module version the attempt started on (kept by the store), else the current one."""
        return self._curriculum.module(attempt.module_id, attempt.module_version)

    def _scenario_of(self, attempt: AttemptSummary) -> Scenario:
        return self._curriculum.scenario(attempt.module_id, attempt.scenario_id, attempt.module_version)

    def _own(self, learner_id: str, attempt_id: str) -> Attempt:
        # An attempt id names its learner: refuse others' and malformed ids before touching the store, so
        # random ids can neither open shards (memory) nor raise a storage error (a 500).
        if (
            not isinstance(attempt_id, str)
            or not attempt_id.startswith(f"{learner_id}-")
            or len(attempt_id) > 96
        ):
            raise AttemptNotFound("That attempt is not one of yours.")
        try:
            attempt = self._store.attempts.get(attempt_id)
        except InvalidInput:
            attempt = None
        if attempt is None or attempt.learner_id != learner_id:
            # Same message either way: never confirm that another learner's attempt exists.
            raise AttemptNotFound("That attempt is not one of yours.")
        return attempt

    def open(self, learner_id: str, module_id: str, scenario_id: str, new: bool = False) -> AttemptView:
        """Resume the learner's active attempt at a scenario, or start one (always start when ``new``).

        :raises AttemptNotFound: no such module or scenario.
        """
        module = self._curriculum.module(module_id)
        scenario = self._curriculum.scenario(module_id, scenario_id)
        attempt = None if new else self._store.attempts.latest_active(learner_id, scenario_id)
        if attempt is None:
            with self._store.transaction():
                attempt = self._store.attempts.start(
                    learner_id, module_id, scenario_id, start(scenario), module_version=module.version
                )
                if self._records:
                    self._records.queue_attempt(attempt)
        return (
            self._finished_view(learner_id, attempt, module)
            if attempt.state.finished
            else self._view(attempt)
        )

    def get(self, learner_id: str, attempt_id: str) -> AttemptView:
        """Open one of the learner's attempts by id.

        :raises AttemptNotFound: no such attempt, or it belongs to someone else.
        """
        attempt = self._own(learner_id, attempt_id)
        if attempt.state.finished:
            return self._finished_view(learner_id, attempt, self._module_of(attempt))
        return self._view(attempt)

    def _save(self, attempt: Attempt, state: PlayState) -> Attempt:
        try:
            return self._store.attempts.save(attempt.attempt_id, state, expected_revision=attempt.revision)
        except ConcurrentUpdate as err:
            raise AttemptConflict() from err

    def _checked(self, learner_id: str, attempt_id: str, revision: int) -> Attempt:
        attempt = self._own(learner_id, attempt_id)
        if attempt.revision != revision or attempt.status is not AttemptStatus.ACTIVE:
            raise AttemptConflict()
        return attempt

    def advance(self, learner_id: str, attempt_id: str, revision: int) -> AttemptView:
        """Continue past a content, fail-state or recovery node.

        :raises AttemptConflict: the attempt moved on elsewhere.
        :raises PlayerError: the current node cannot be continued.
        """
        attempt = self._checked(learner_id, attempt_id, revision)
        scenario = self._scenario_of(attempt)
        try:
            state = advance(scenario, attempt.state)
        except PlayError as err:
            raise PlayerError(str(err)) from err
        return self._after_step(learner_id, self._save(attempt, state))

    def _decision(self, attempt: Attempt, choice_id: str) -> tuple[DecisionNode, str]:
        scenario = self._scenario_of(attempt)
        node = current_node(scenario, attempt.state)
        if not isinstance(node, DecisionNode):
            raise AttemptConflict()
        if choice_id not in {c.id for c in node.choices}:
            raise PlayerError(f"'{choice_id}' is not one of the choices here.")
        return node, choice_id

    def record_decision(
        self,
        learner_id: str,
        attempt_id: str,
        revision: int,
        choice_id: str,
        rationale: str | None,
        grade: Grade | None,
    ) -> AttemptView:
        """Store a graded decision: the grade record (which alone keeps the rationale), the new state (which
        refers to that record) and a sync event, in one transaction.

        :raises AttemptConflict: the decision was already answered (e.g. in another tab).
        :raises PlayerError: the decision needs a rationale and got none (or blank), or cannot be taken.
        """
        with self._store.transaction():
            attempt = self._checked(learner_id, attempt_id, revision)
            node, _ = self._decision(attempt, choice_id)
            scenario = self._scenario_of(attempt)
            if node.requires_rationale and (not rationale or not rationale.strip()):
                raise PlayerError(f"the decision '{node.id}' needs a graded rationale")
            record = None
            if grade is not None and rationale is not None and node.rubric is not None:
                record = self._store.grades.add(
                    attempt_id,
                    node_id=node.id,
                    choice_id=choice_id,
                    rationale=rationale,
                    grade=grade,
                    rubric_hash=(
                        self._rubrics.version(attempt.module_id, node)
                        if self._rubrics
                        else content_hash_of_rubric(node)
                    ),
                )
            try:
                state = decide(
                    scenario,
                    attempt.state,
                    choice_id,
                    grade,
                    rationale_id=record.grade_id if record else None,
                )
            except PlayError as err:
                raise PlayerError(str(err)) from err
            saved = self._save(attempt, state)
            if grade is not None and record is not None:
                self._store.outbox.append(
                    "rationale.graded",
                    subject=learner_id,
                    payload={
                        "grade_id": record.grade_id,
                        "attempt_id": attempt_id,
                        "node_id": node.id,
                        "score": grade.score,
                        "band": grade.band.value,
                        "passed": grade.passed,
                        "needs_review": grade.needs_review,
                        "model_id": grade.model_id,
                    },
                )
                if self._records:
                    self._records.queue_graded(record)
        return self._after_step(learner_id, saved)

    async def async_submit(
        self, learner_id: str, attempt_id: str, revision: int, choice_id: str, rationale: str | None
    ) -> AttemptView:
        """Grade the rationale off the event loop, then record the decision.

        :raises RationaleRejected: the rationale is refused (too long, ...); nothing is stored.
        :raises AttemptConflict: the decision was already answered elsewhere.
        """
        attempt = await asyncio.to_thread(self._checked, learner_id, attempt_id, revision)
        node, choice_id = self._decision(attempt, choice_id)
        grade = None
        if node.requires_rationale:
            rubric = self._rubric(attempt.module_id, node)
            try:
                grade = await async_grade_decision(
                    self._grader, node, node.choice(choice_id), rationale or "", rubric
                )
            except GraderRefused as err:
                raise RationaleRejected(str(err)) from err
        return await asyncio.to_thread(
            self.record_decision, learner_id, attempt_id, revision, choice_id, rationale, grade
        )

    def submit(
        self, learner_id: str, attempt_id: str, revision: int, choice_id: str, rationale: str | None
    ) -> AttemptView:
        """Blocking form of :meth:`async_submit`: the same path, run to completion on a private event loop
        in a worker thread (so it also works from code that already runs one: scripts, tests).

        :raises RationaleRejected: as :meth:`async_submit`.
        :raises AttemptConflict: as :meth:`async_submit`.
        """
        call = self.async_submit(learner_id, attempt_id, revision, choice_id, rationale)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="submit") as pool:
            return pool.submit(asyncio.run, call).result()

    def _after_step(self, learner_id: str, attempt: Attempt) -> AttemptView:
        if not attempt.state.finished:
            return self._view(attempt)
        module = self._module_of(attempt)
        self._store.outbox.append(
            "attempt.finished",
            subject=learner_id,
            payload={
                "attempt_id": attempt.attempt_id,
                "module_id": module.id,
                "scenario_id": attempt.scenario_id,
                "outcome": attempt.state.outcome.value if attempt.state.outcome else None,
                "score": attempt.state.average_score,
            },
        )
        if self._records:
            outcome = attempt.state.outcome.value if attempt.state.outcome else None
            self._records.queue_attempt(attempt, outcome, finished=True)
        return self._finished_view(learner_id, attempt, module, award=True)

    def latest_finished(self, learner_id: str, module: Module) -> dict[str, PlayState]:
        """The learner's latest finished play state per scenario of a module (reviewed scores in place)."""
        return reviewed_states(self._store, learner_id, module)

    def _finished_view(
        self, learner_id: str, attempt: Attempt, module: Module, award: bool = False
    ) -> AttemptView:
        result = module_result(module, self.latest_finished(learner_id, module))
        awarded: tuple[str, ...] = ()
        if award and result.passed:
            evidence = {
                "module_id": module.id,
                "module_version": module.version,
                "average_score": result.average_score,
            }
            awarded = tuple(s.title for s in self._awarder.award_for_module(learner_id, module, evidence))
        passed_on = module_passed_on(self._awarder.held(learner_id), self._curriculum.taxonomy, module.id)
        view = self._view(attempt, result, awarded, self._store.grades.for_attempt(attempt.attempt_id))
        return replace(view, module_passed_on=passed_on)


def content_hash_of_rubric(node: DecisionNode) -> str:
    """The content hash of a decision's rubric (grades record which rubric version produced them)."""
    assert node.rubric is not None
    return content_hash(node.rubric)
