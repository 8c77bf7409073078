"""Rubric attached to a decision: key points, red flags, graded exemplars, threshold and feedback."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from appliance.engine._ids import Identifier


class KeyPoint(BaseModel):
    """One idea a good rationale states. ``phrasings`` are alternative ways an expert might say it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Identifier
    text: str = Field(min_length=3, description="The key point in the rubric's own plain words.")
    weight: float = Field(default=1.0, gt=0.0, le=10.0)
    critical: bool = Field(default=False, description="Missing it fails the rationale whatever the score.")
    phrasings: tuple[str, ...] = Field(default=(), description="Other ways an expert would state this point.")


class RedFlag(BaseModel):
    """Unsafe reasoning or a misconception that fails the rationale outright when present."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Identifier
    text: str = Field(min_length=3)
    phrasings: tuple[str, ...] = ()


class Exemplar(BaseModel):
    """A rationale written or approved by an educator, with its grade."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str = Field(min_length=1)
    score: float = Field(ge=0.0, le=1.0)
    met: tuple[str, ...] = Field(default=(), description="Ids of the key points this exemplar meets.")
    red_flags: tuple[str, ...] = Field(default=(), description="Ids of red flags this exemplar shows.")
    note: str = ""


class RubricFeedback(BaseModel):
    """Feedback the learner sees after grading."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    passed: str = "Your reasoning covers what matters here."
    failed: str = "Your reasoning missed important points; review them below."


class Rubric(BaseModel):
    """How the rationale at one decision is graded."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key_points: tuple[KeyPoint, ...] = Field(min_length=1)
    red_flags: tuple[RedFlag, ...] = ()
    exemplars: tuple[Exemplar, ...] = ()
    pass_threshold: float = Field(default=0.6, gt=0.0, le=1.0)
    feedback: RubricFeedback = RubricFeedback()

    @model_validator(mode="after")
    def _ids_are_consistent(self) -> Self:
        kp_ids = [kp.id for kp in self.key_points]
        rf_ids = [rf.id for rf in self.red_flags]
        for ids, what in ((kp_ids, "key point"), (rf_ids, "red flag")):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"duplicate {what} id(s): {', '.join(dupes)}")
        for n, ex in enumerate(self.exemplars):
            unknown = [i for i in ex.met if i not in kp_ids] + [i for i in ex.red_flags if i not in rf_ids]
            if unknown:
                raise ValueError(f"exemplar {n} names unknown key point/red flag id(s): {', '.join(unknown)}")
        return self

    @property
    def total_weight(self) -> float:
        """Sum of key-point weights."""
        return sum(kp.weight for kp in self.key_points)

    def key_point(self, key_point_id: str) -> KeyPoint:
        """Return the key point with this id.

        :raises KeyError: no such key point.
        """
        for kp in self.key_points:
            if kp.id == key_point_id:
                return kp
        raise KeyError(key_point_id)
