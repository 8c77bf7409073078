"""Records of the educator's side: queue entries, reviewer-vs-grader comparisons, dashboard counts, overlays."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class QueueEntry(_Record):
    """A grade waiting for a reviewer, as the shard summaries list it (no shard is opened to list it)."""

    grade_id: str
    learner_id: str
    module_id: str
    node_id: str
    created_at: AwareDatetime
    urgency: int = Field(ge=0, le=3, description="3 red flag, 2 possible injection or red flag, 1 other.")
    reason: str = ""


class ReviewComparison(_Record):
    """What the grader said and what the reviewer decided about one rationale."""

    grade_id: str
    learner_id: str
    module_id: str
    node_id: str
    reviewed_at: AwareDatetime
    rubric_hash: str
    grader_passed: bool
    reviewer_passed: bool
    grader_met: tuple[str, ...]
    reviewer_met: tuple[str, ...] | None
    confirmed: bool


class MonthlyCounts(_Record):
    """One month's attempts and graded rationales for one module and hospital role."""

    month: str
    module_id: str
    job_role: str
    attempts: int
    finished: int
    passed_attempts: int
    graded: int
    graded_passed: int
    score_sum: float


class DecisionCounts(_Record):
    """Scores of one decision's rationales in ten bins (after review), with how many passed."""

    module_id: str
    node_id: str
    bins: tuple[int, ...] = Field(min_length=10, max_length=10)
    graded: int
    passed: int


class KeyPointMisses(_Record):
    """How often one key point was missed (after review) among a decision's graded rationales."""

    module_id: str
    node_id: str
    key_point_id: str
    missed: int
    graded: int


class DashboardCounts(_Record):
    """Everything the cohort dashboard adds up, read from shard summaries only."""

    monthly: tuple[MonthlyCounts, ...]
    decisions: tuple[DecisionCounts, ...]
    missed: tuple[KeyPointMisses, ...]
    pending_by_month: dict[str, int]
    reviewed_by_month: dict[str, int]
    pending: int
    reviewed: int


class OverlayExemplar(_Record):
    """A reviewed answer added to a decision's rubric as a graded exemplar (the curriculum overlay)."""

    module_id: str
    node_id: str
    seq: int = Field(ge=1, description="Rubric overlay version this exemplar created (1, 2, ...).")
    text: str = Field(min_length=1)
    score: float = Field(ge=0.0, le=1.0)
    met: tuple[str, ...] = ()
    red_flags: tuple[str, ...] = ()
    note: str = ""
    source_grade_id: str | None = None
    added_by: str
    added_at: AwareDatetime
