"""Typed results of queries and privacy work: progress, cohort summary, purges and deletions.

The engine's reports (integrity, backups, health) are in ``appliance.store.engine``.
"""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict

from appliance.store._records import AttemptSummary, Credential, GradeRecord, User


class _Report(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LearnerProgress(_Report):
    """Everything a learner's progress page shows."""

    user: User | None
    attempts: tuple[AttemptSummary, ...]
    grades: tuple[GradeRecord, ...]
    credentials: tuple[Credential, ...]


class ModuleStats(_Report):
    """Counts for one module (optionally for one hospital role)."""

    module_id: str
    job_role: str | None = None
    learners: int
    attempts: int
    finished: int
    passed_attempts: int
    graded_rationales: int
    rationales_passed: int
    mean_score: float | None

    @property
    def pass_rate(self) -> float | None:
        """Share of graded rationales that passed."""
        return self.rationales_passed / self.graded_rationales if self.graded_rationales else None

    @property
    def attempt_pass_rate(self) -> float | None:
        """Share of finished attempts marked passed."""
        return self.passed_attempts / self.finished if self.finished else None


class CohortSummary(_Report):
    """Per module and per module and role, including anonymised counts of deleted or expired records."""

    modules: tuple[ModuleStats, ...]
    by_role: tuple[ModuleStats, ...]
    learners: int
    deleted_learners: int


class PurgeReport(_Report):
    """What a retention purge removed."""

    cutoff: AwareDatetime
    grades_anonymised: int
    attempts_redacted: int
    events_redacted: int


class DeletionReport(_Report):
    """What deleting a learner removed."""

    user_id: str
    attempts_deleted: int
    grades_deleted: int
    credentials_deleted: int
    events_redacted: int
    audit_entries_redacted: int
