"""Attempts: the resumable state of each play-through, with optimistic concurrency by revision."""

from __future__ import annotations

from typing import Any

from appliance.engine import PlayState
from appliance.store._errors import ConcurrentUpdate, InvalidInput, NotFound
from appliance.store._layout import LEARNER_MONTH, USERS, attempt_shard, check_module_id, new_attempt_id
from appliance.store._records import Attempt, AttemptStatus, AttemptSummary
from appliance.store._repo import Repository
from appliance.store.engine import KeyedTable


def _status(state: PlayState) -> AttemptStatus:
    return AttemptStatus(state.status.value)


def summary_of(doc: dict[str, Any]) -> AttemptSummary:
    """The summary of a stored attempt document."""
    return AttemptSummary.model_validate({k: v for k, v in doc.items() if k != "state"})


class Attempts(Repository):
    """Play-throughs, sharded by learner and the month they started."""

    def _attempts(self, attempt_id: str) -> KeyedTable:
        return self._table(attempt_shard(attempt_id)[1], "attempts")

    def start(
        self,
        learner_id: str,
        module_id: str,
        scenario_id: str,
        state: PlayState,
        *,
        module_version: str | None = None,
    ) -> Attempt:
        """Begin an attempt for a learner.

        :raises NotFound: no such learner.
        :raises InvalidInput: the state is for another scenario.
        """
        check_module_id(module_id)
        if state.scenario_id != scenario_id:
            raise InvalidInput(f"the play state is for scenario {state.scenario_id!r}, not {scenario_id!r}")
        now = self._now()
        attempt_id = new_attempt_id(learner_id, now)
        with self._write():
            if self._table(USERS, "users").doc(learner_id) is None:
                raise NotFound(f"no user {learner_id!r}")
            attempt = Attempt(
                attempt_id=attempt_id,
                learner_id=learner_id,
                module_id=module_id,
                module_version=module_version,
                scenario_id=scenario_id,
                state=state,
                status=_status(state),
                revision=1,
                score=state.average_score,
                started_at=now,
                updated_at=now,
            )
            self._attempts(attempt_id).put(attempt_id, attempt.model_dump(mode="json"))
        return attempt

    def get(self, attempt_id: str) -> Attempt | None:
        """The attempt with this id, or None."""
        doc = self._attempts(attempt_id).doc(attempt_id)
        return Attempt.model_validate(doc) if doc else None

    def _change(self, attempt_id: str, expected_revision: int, update: dict[str, Any]) -> Attempt:
        table = self._attempts(attempt_id)
        doc = table.doc(attempt_id)
        if doc is None:
            raise NotFound(f"no attempt {attempt_id!r}")
        if doc["revision"] != expected_revision:
            raise ConcurrentUpdate(
                f"attempt {attempt_id} is at revision {doc['revision']}, not {expected_revision}: it was "
                "changed elsewhere (another tab?); reload it"
            )
        if doc["status"] == AttemptStatus.ABANDONED.value:
            raise ConcurrentUpdate(f"attempt {attempt_id} was abandoned; start a new one")
        new = {**doc, **update, "revision": expected_revision + 1, "updated_at": self._now()}
        attempt = Attempt.model_validate(new)
        table.put(attempt_id, attempt.model_dump(mode="json"))
        return attempt

    def save(
        self, attempt_id: str, state: PlayState, *, expected_revision: int, passed: bool | None = None
    ) -> Attempt:
        """Store the attempt's new state (and, when finished, whether it passed).

        :raises NotFound: no such attempt.
        :raises ConcurrentUpdate: the attempt changed since ``expected_revision`` (e.g. a double submit).
        :raises InvalidInput: the state is for another scenario.
        """
        update: dict[str, Any] = {
            "state": state.model_dump(mode="json"),
            "status": _status(state).value,
            "score": state.average_score,
        }
        if passed is not None:
            update["passed"] = passed
        with self._write():
            current = self._attempts(attempt_id).doc(attempt_id)
            if current is not None and current["scenario_id"] != state.scenario_id:
                raise InvalidInput(f"the play state is for scenario {state.scenario_id!r}")
            return self._change(attempt_id, expected_revision, update)

    def abandon(self, attempt_id: str, *, expected_revision: int) -> Attempt:
        """Mark an attempt as given up.

        :raises NotFound: no such attempt.
        :raises ConcurrentUpdate: it changed since ``expected_revision`` or was already abandoned.
        """
        with self._write():
            return self._change(attempt_id, expected_revision, {"status": AttemptStatus.ABANDONED.value})

    def latest_active(self, learner_id: str, scenario_id: str) -> Attempt | None:
        """The learner's most recently updated active attempt at a scenario (to resume), or None."""
        best: tuple[str, str] | None = None
        for shard in self._core.shards(f"learners/{learner_id}/"):
            for attempt_id, scenario, updated in shard.summary.get("active", ()):
                if scenario == scenario_id and (best is None or updated > best[0]):
                    best = (updated, attempt_id)
        if best is None:
            return None
        attempt = self.get(best[1])
        return attempt if attempt is not None and attempt.status is AttemptStatus.ACTIVE else None

    def for_learner(self, learner_id: str) -> tuple[AttemptSummary, ...]:
        """A learner's attempts without their state, newest first."""
        docs = [
            doc
            for shard in self._core.shards(f"learners/{learner_id}/")
            if shard.kind == LEARNER_MONTH
            for doc in shard.table("attempts").docs()
        ]
        docs.sort(key=lambda d: d["started_at"], reverse=True)
        return tuple(summary_of(d) for d in docs)
