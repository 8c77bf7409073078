"""The records the store keeps: frozen, validated pydantic models, stored as their JSON dump."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from appliance.engine import Band, Grade, PlayState
from appliance.engine.documents import ModuleDocument


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


ROLE_NAMES = frozenset({"learner", "author", "reviewer", "admin"})


def _known_role(value: str) -> str:
    if value not in ROLE_NAMES:
        raise ValueError(f"{value!r} is not a role ({', '.join(sorted(ROLE_NAMES))})")
    return str(value)


RoleName = Annotated[str, AfterValidator(_known_role)]
"""What a person may do on the appliance, stored by value: the values of ``appliance.auth.Role`` (the store
does not import auth; ``tests/test_layering.py`` checks the two agree)."""


class User(_Record):
    """A member of staff. ``pin_hash`` is opaque: the auth layer hashes, the store only keeps it."""

    user_id: str
    staff_id: str = Field(min_length=1, max_length=64)
    display_name: str = Field(min_length=1, max_length=200)
    roles: tuple[RoleName, ...] = ("learner",)
    job_role: str | None = Field(
        default=None, description="Hospital role from the taxonomy, e.g. nicu-nurse."
    )
    pin_hash: str | None = None
    failed_attempts: int = Field(default=0, ge=0)
    locked_until: AwareDatetime | None = None
    active: bool = True
    created_at: AwareDatetime
    updated_at: AwareDatetime
    revision: int = Field(default=1, ge=1)


class ModuleVersion(_Record):
    """One published version of a module, pinned by its content hash."""

    module_id: str
    version: str
    content_hash: str
    title: str
    document: ModuleDocument
    published_at: AwareDatetime
    published_by: str | None = None


class Draft(_Record):
    """An author's work in progress on a module: raw JSON, valid or not yet."""

    module_id: str
    document: dict[str, Any]
    revision: int = Field(ge=1)
    updated_at: AwareDatetime
    updated_by: str | None = None


class AttemptStatus(StrEnum):
    """Where an attempt stands."""

    ACTIVE = "active"
    ENDED = "ended"
    STOPPED = "stopped"
    ABANDONED = "abandoned"


class AttemptSummary(_Record):
    """An attempt without its play state: what progress pages list."""

    attempt_id: str
    learner_id: str
    module_id: str
    module_version: str | None = None
    scenario_id: str
    status: AttemptStatus
    revision: int = Field(ge=1)
    score: float | None = None
    passed: bool | None = None
    started_at: AwareDatetime
    updated_at: AwareDatetime
    redacted_at: AwareDatetime | None = None


class Attempt(AttemptSummary):
    """One play-through of a scenario, with the state needed to resume it."""

    state: PlayState

    def summary(self) -> AttemptSummary:
        """The attempt without its play state."""
        return AttemptSummary.model_validate(self.model_dump(exclude={"state"}))


class ReviewOverride(_Record):
    """A reviewer's decision that replaces the grader's result."""

    reviewer_id: str
    score: float = Field(ge=0.0, le=1.0)
    band: Band
    passed: bool
    reason: str = Field(min_length=1)
    at: AwareDatetime
    confirmed: bool = Field(default=False, description="The reviewer agreed with the grader.")
    key_points_met: tuple[str, ...] | None = Field(
        default=None, description="Key points the reviewer judged met (None: not judged one by one)."
    )
    red_flags: tuple[str, ...] | None = Field(default=None, description="Red flags the reviewer saw.")
    feedback: str = Field(default="", max_length=4000, description="The reviewer's words to the learner.")


class GradeRecord(_Record):
    """One graded rationale, with the rubric and model that produced the grade."""

    grade_id: str
    attempt_id: str
    learner_id: str
    module_id: str
    scenario_id: str
    node_id: str
    choice_id: str | None = None
    rationale: str | None = Field(default=None, description="None once purged by retention.")
    grade: Grade
    rubric_hash: str
    model_id: str
    model_version: str
    created_at: AwareDatetime
    override: ReviewOverride | None = None
    redacted_at: AwareDatetime | None = None

    @property
    def score(self) -> float:
        """The score that counts: the reviewer's when overridden, else the grader's."""
        return self.override.score if self.override else self.grade.score

    @property
    def passed(self) -> bool:
        """Whether the rationale passed, after any review."""
        return self.override.passed if self.override else self.grade.passed


class Credential(_Record):
    """A badge or credential a learner earned; ``payload`` is the signed credential document."""

    record_id: str
    learner_id: str
    credential_id: str
    level: str
    issued_at: AwareDatetime
    expires_at: AwareDatetime | None = None
    revoked_at: AwareDatetime | None = None
    revoked_reason: str | None = None
    payload: dict[str, Any] = Field(default_factory=dict)

    def valid_at(self, when: datetime) -> bool:
        """True when neither revoked nor expired at ``when``."""
        return self.revoked_at is None and (self.expires_at is None or when < self.expires_at)


class OutboxEvent(_Record):
    """One event for the hub, in device sequence order; the payload is redacted on learner deletion."""

    seq: int = Field(ge=1)
    type: str = Field(min_length=1, max_length=100)
    subject: str | None = Field(default=None, description="The learner the event is about, if any.")
    payload: dict[str, Any] = Field(default_factory=dict)
    created_at: AwareDatetime
    redacted: bool = False


class AuditEntry(_Record):
    """Who did what to which record, and when."""

    entry_id: str
    actor: str
    action: str
    target: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)
    at: AwareDatetime
