"""Modules, the competency taxonomy by hospital role, and stackable credential pathways."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from appliance.engine._ids import Identifier
from appliance.engine._scenario import Scenario


class Competency(BaseModel):
    """One competency in the taxonomy (e.g. automation bias, escalation)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Identifier
    title: str = Field(min_length=1)
    description: str = ""


class HospitalRole(BaseModel):
    """A hospital role and the competencies (and so modules) it requires."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Identifier
    title: str = Field(min_length=1)
    competencies: tuple[str, ...] = ()


class PassRule(BaseModel):
    """When a module counts as passed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_average_score: float = Field(default=0.6, ge=0.0, le=1.0)
    require_success_outcome: bool = True
    max_unsafe_choices: int = Field(default=0, ge=0)


class Module(BaseModel):
    """Scenarios, the competencies they assess and the rule for passing; earns a badge."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Identifier
    title: str = Field(min_length=1)
    version: str = Field(default="1.0.0", pattern=r"^\d+\.\d+\.\d+$")
    description: str = ""
    minutes: int = Field(default=10, ge=1, le=240)
    competencies: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    scenarios: tuple[Scenario, ...] = Field(min_length=1)
    pass_rule: PassRule = PassRule()

    @model_validator(mode="after")
    def _scenario_ids_unique(self) -> Self:
        ids = [s.id for s in self.scenarios]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate scenario id(s): {', '.join(dupes)}")
        return self

    def scenario(self, scenario_id: str) -> Scenario:
        """Return the scenario with this id.

        :raises KeyError: no such scenario.
        """
        for scenario in self.scenarios:
            if scenario.id == scenario_id:
                return scenario
        raise KeyError(scenario_id)


class CredentialLevel(StrEnum):
    """Stackable credential levels, smallest first."""

    BADGE = "badge"
    MICRO_CREDENTIAL = "micro-credential"
    NANO_DEGREE = "nano-degree"


class CredentialSpec(BaseModel):
    """A credential: a badge for a module, or a higher level earned by holding other credentials."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Identifier
    title: str = Field(min_length=1)
    level: CredentialLevel
    description: str = ""
    module: str | None = Field(default=None, description="For a badge: the module that earns it.")
    requires: tuple[str, ...] = Field(default=(), description="For higher levels: credential ids required.")
    competencies: tuple[str, ...] = ()
    valid_days: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _shape_fits_level(self) -> Self:
        if self.level is CredentialLevel.BADGE and (self.module is None or self.requires):
            raise ValueError("a badge names exactly one module and requires no other credentials")
        if self.level is not CredentialLevel.BADGE and (self.module is not None or len(self.requires) < 2):
            raise ValueError(f"a {self.level.value} stacks at least two credentials and names no module")
        return self


class Taxonomy(BaseModel):
    """The competency taxonomy, roles and credential pathway of a curriculum."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    competencies: tuple[Competency, ...] = ()
    roles: tuple[HospitalRole, ...] = ()
    credentials: tuple[CredentialSpec, ...] = ()


class Curriculum(BaseModel):
    """A taxonomy plus the modules it offers."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Identifier
    title: str
    version: str = Field(default="1.0.0", pattern=r"^\d+\.\d+\.\d+$")
    taxonomy: Taxonomy
    modules: tuple[Module, ...] = ()

    def module(self, module_id: str) -> Module:
        """Return the module with this id.

        :raises KeyError: no such module.
        """
        for module in self.modules:
            if module.id == module_id:
                return module
        raise KeyError(module_id)

    def modules_for_role(self, role_id: str) -> tuple[Module, ...]:
        """Modules a role needs: those listing the role or assessing one of its competencies."""
        role = next((r for r in self.taxonomy.roles if r.id == role_id), None)
        wanted = set(role.competencies) if role else set()
        return tuple(m for m in self.modules if role_id in m.roles or wanted & set(m.competencies))
