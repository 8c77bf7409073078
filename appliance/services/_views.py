"""Read models the pages show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from appliance.engine import Grade, Module, PlayState, Scenario
from appliance.engine.curriculum import ModuleResult
from appliance.store import GradeRecord


@dataclass(frozen=True)
class AccountView:
    """An account as pages show it (never its PIN hash)."""

    user_id: str
    staff_id: str
    display_name: str
    roles: tuple[str, ...]
    hospital_role: str | None
    active: bool = True
    failed_attempts: int = 0
    locked: bool = False


@dataclass(frozen=True)
class AttemptView:
    """An attempt with what the player needs to draw it."""

    attempt_id: str
    revision: int
    module: Module
    scenario: Scenario
    state: PlayState
    module_result: ModuleResult | None = None
    awarded: tuple[str, ...] = ()
    module_passed_on: date | None = None  # the badge is held since then (one rule with the catalogue)
    grades: tuple[GradeRecord, ...] = ()
    """The attempt's grade records (with any review), on a finished attempt."""
    last_grade: Grade | None = None
    """The last step's grade as the grader gave it, quoted evidence included (read from its grade record:
    the play state keeps grades without the learner's words); None when the last step has no grade."""


@dataclass(frozen=True)
class ScenarioProgress:
    """A learner's progress on one scenario."""

    scenario_id: str
    title: str
    status: Literal["not-started", "in-progress", "finished"]


@dataclass(frozen=True)
class ModuleCard:
    """A module in the learner's catalogue."""

    module: Module
    scenarios: tuple[ScenarioProgress, ...]
    passed: bool


@dataclass(frozen=True)
class CredentialCard:
    """A credential on the learner's pathway: earned, or what is still missing."""

    id: str
    title: str
    level: str
    earned: bool
    issued_on: str | None
    missing: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    """Everything the learner's home page shows."""

    modules: tuple[ModuleCard, ...]
    credentials: tuple[CredentialCard, ...]
