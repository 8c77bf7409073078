"""The grade a rationale receives: produced by the grader, consumed by the runtime and guards."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Band(StrEnum):
    """Plain-language band for a graded rationale, best first."""

    STRONG = "strong"
    ADEQUATE = "adequate"
    INSUFFICIENT = "insufficient"
    UNSAFE = "unsafe"


class KeyPointResult(BaseModel):
    """Whether one rubric key point was met, with the learner's sentence that met it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key_point_id: str
    met: bool
    critical: bool = False
    evidence: str | None = None
    similarity: float = Field(default=0.0, ge=-1.0, le=1.0)


class Grade(BaseModel):
    """A graded rationale: score, band, per-key-point evidence, red flags and how sure the grader is."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    score: float = Field(ge=0.0, le=1.0)
    band: Band
    passed: bool
    key_points: tuple[KeyPointResult, ...] = ()
    red_flags: tuple[str, ...] = ()
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    needs_review: bool = False
    review_reason: str | None = None
    feedback: str = ""
    model_id: str = "unknown"
    model_version: str = "0"
    latency_ms: float = 0.0

    @property
    def has_text(self) -> bool:
        """True when the grade quotes the learner (a key point's ``evidence``)."""
        return any(kp.evidence is not None for kp in self.key_points)

    def without_text(self) -> Grade:
        """This grade without the learner's words (the key points' evidence): what a play state keeps."""
        if not self.has_text:
            return self
        points = tuple(kp.model_copy(update={"evidence": None}) for kp in self.key_points)
        return self.model_copy(update={"key_points": points})

    @property
    def missed_critical(self) -> bool:
        """True when any critical key point was missed."""
        return any(kp.critical and not kp.met for kp in self.key_points)

    @property
    def met_ids(self) -> tuple[str, ...]:
        """Ids of the key points that were met."""
        return tuple(kp.key_point_id for kp in self.key_points if kp.met)
