"""Rubric overlays: reviewed answers added to a decision's exemplars, and the xAPI forwarding cursor.

An overlay never changes a published module: the grader is given the module's rubric with the overlay's
exemplars appended, and each added exemplar is a new overlay version of that decision's rubric. The text of
an exemplar is an educator-approved copy of a learner's answer; it is curriculum from then on, so it is kept
when the learner is deleted (the grade it came from is named only by id).
"""

from __future__ import annotations

from appliance.store._errors import InvalidInput
from appliance.store._layout import check_module_id
from appliance.store._records import OutboxEvent
from appliance.store._repo import Repository
from appliance.store._review_records import OverlayExemplar

OVERLAYS = "hot/rubric_overlays"
RECORDS_OUT = "hot/records_out"


class RubricOverlays(Repository):
    """Exemplars added to decisions' rubrics by reviewers, in the order they were added."""

    def add(
        self,
        module_id: str,
        node_id: str,
        *,
        text: str,
        score: float,
        met: tuple[str, ...],
        red_flags: tuple[str, ...],
        added_by: str,
        note: str = "",
        source_grade_id: str | None = None,
    ) -> OverlayExemplar:
        """Append an exemplar to a decision's overlay; returns it with its overlay version ``seq``.

        :raises InvalidInput: an empty text or a bad module id.
        """
        check_module_id(module_id)
        if not text.strip():
            raise InvalidInput("an exemplar needs the answer's text")
        with self._write():
            table = self._table(OVERLAYS, "exemplars")
            seq = 1 + sum(1 for d in table.docs() if d["module_id"] == module_id and d["node_id"] == node_id)
            exemplar = OverlayExemplar(
                module_id=module_id, node_id=node_id, seq=seq, text=text, score=score, met=met,
                red_flags=red_flags, note=note, source_grade_id=source_grade_id, added_by=added_by,
                added_at=self._now(),
            )  # fmt: skip
            table.put(f"{module_id}|{node_id}|{seq:06d}", exemplar.model_dump(mode="json"))
        return exemplar

    def for_decision(self, module_id: str, node_id: str) -> tuple[OverlayExemplar, ...]:
        """A decision's overlay exemplars, oldest first."""
        docs = [
            d
            for d in self._table(OVERLAYS, "exemplars").docs()
            if d["module_id"] == module_id and d["node_id"] == node_id
        ]
        return tuple(OverlayExemplar.model_validate(d) for d in sorted(docs, key=lambda d: d["seq"]))

    def all(self) -> tuple[OverlayExemplar, ...]:
        """Every overlay exemplar, by module, decision and version."""
        docs = sorted(
            self._table(OVERLAYS, "exemplars").docs(), key=lambda d: (d["module_id"], d["node_id"], d["seq"])
        )
        return tuple(OverlayExemplar.model_validate(d) for d in docs)

    def forwarded(self, target: str) -> int:
        """The last outbox sequence number already forwarded to ``target`` (an LRS URL)."""
        doc = self._table(RECORDS_OUT, "cursors").doc(target)
        return int(doc["seq"]) if doc else 0

    def mark_forwarded(self, target: str, event: OutboxEvent) -> None:
        """Remember that ``target`` has every event up to ``event`` (the cursor only moves forward)."""
        with self._write():
            table = self._table(RECORDS_OUT, "cursors")
            if event.seq > self.forwarded(target):
                table.put(target, {"seq": event.seq, "at": self._now().isoformat()})
