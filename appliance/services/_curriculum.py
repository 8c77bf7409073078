"""The curriculum the appliance offers, held in memory and looked up by id."""

from __future__ import annotations

from dataclasses import dataclass

from appliance.engine import Curriculum, Module, Scenario, Taxonomy
from appliance.services._errors import AttemptNotFound


@dataclass(frozen=True)
class CurriculumService:
    """Look-ups over the active curriculum."""

    curriculum: Curriculum

    @property
    def taxonomy(self) -> Taxonomy:
        """Competencies, roles and credential pathway."""
        return self.curriculum.taxonomy

    def module(self, module_id: str) -> Module:
        """Return a module.

        :raises AttemptNotFound: no such module.
        """
        try:
            return self.curriculum.module(module_id)
        except KeyError:
            raise AttemptNotFound(f"There is no module '{module_id}' on this appliance.") from None

    def scenario(self, module_id: str, scenario_id: str) -> Scenario:
        """Return a scenario of a module.

        :raises AttemptNotFound: no such module or scenario.
        """
        try:
            return self.module(module_id).scenario(scenario_id)
        except KeyError:
            raise AttemptNotFound(f"Module '{module_id}' has no scenario '{scenario_id}'.") from None

    def modules_for(self, hospital_role: str | None) -> tuple[Module, ...]:
        """Modules for a hospital role; every module when the role is unknown or assigns none."""
        modules = self.curriculum.modules_for_role(hospital_role) if hospital_role else ()
        return modules or self.curriculum.modules
