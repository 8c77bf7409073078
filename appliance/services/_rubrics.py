"""The rubric the grader uses at a decision: the published rubric plus the reviewers' overlay exemplars.

Each exemplar a reviewer adds is a new version of that decision's rubric (its content hash changes, so the
grader prepares it afresh and grade records name the version that graded them).
"""

from __future__ import annotations

import threading

from appliance.engine import DecisionNode, Rubric
from appliance.engine.documents import content_hash
from appliance.engine.rubrics import Exemplar
from appliance.store import Store
from appliance.store.records import OverlayExemplar


def with_exemplars(rubric: Rubric, overlay: tuple[OverlayExemplar, ...]) -> Rubric:
    """``rubric`` with the overlay's exemplars appended (unknown key point or red flag ids dropped)."""
    if not overlay:
        return rubric
    kp_ids = {kp.id for kp in rubric.key_points}
    rf_ids = {rf.id for rf in rubric.red_flags}
    added = tuple(
        Exemplar(
            text=e.text,
            score=e.score,
            met=tuple(i for i in e.met if i in kp_ids),
            red_flags=tuple(i for i in e.red_flags if i in rf_ids),
            note=e.note or f"added by a reviewer (overlay v{e.seq})",
        )
        for e in overlay
    )
    return rubric.model_copy(update={"exemplars": (*rubric.exemplars, *added)})


class RubricSource:
    """Effective rubrics by module and decision, cached until an exemplar is added."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str], tuple[OverlayExemplar, ...]] = {}

    def overlay(self, module_id: str, node_id: str) -> tuple[OverlayExemplar, ...]:
        """The reviewers' exemplars for one decision, oldest first."""
        key = (module_id, node_id)
        with self._lock:
            found = self._cache.get(key)
        if found is None:
            found = self._store.overlays.for_decision(module_id, node_id)
            with self._lock:
                self._cache[key] = found
        return found

    def rubric_for(self, module_id: str, node: DecisionNode, upto: int | None = None) -> Rubric | None:
        """The rubric to grade ``node`` with (overlay versions up to ``upto``, default all)."""
        if node.rubric is None:
            return None
        overlay = self.overlay(module_id, node.id)
        if upto is not None:
            overlay = tuple(e for e in overlay if e.seq <= upto)
        return with_exemplars(node.rubric, overlay)

    def version(self, module_id: str, node: DecisionNode) -> str:
        """The content hash of the effective rubric (what grade records store as ``rubric_hash``)."""
        rubric = self.rubric_for(module_id, node)
        return content_hash(rubric) if rubric is not None else ""

    def forget(self, module_id: str, node_id: str) -> None:
        """Drop the cached overlay of one decision (after an exemplar was added)."""
        with self._lock:
            self._cache.pop((module_id, node_id), None)
