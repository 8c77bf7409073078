"""The curriculum the appliance offers, held in memory and looked up by id (and, for old attempts, version)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from appliance.engine import Module, Scenario
from appliance.engine.curriculum import Curriculum, Taxonomy
from appliance.services._errors import AttemptNotFound

Archive = Callable[[str, str], Module | None]
"""Looks up an older published version of a module: ``(module_id, version) -> Module | None``."""


@dataclass
class CurriculumService:
    """Look-ups over the active curriculum; :meth:`offer` swaps in a newly published module version.

    Attempts started on an older version keep playing it: :meth:`module` with a ``version`` finds it in the
    ``archive`` (the store's published versions) when it is no longer the current one.
    """

    curriculum: Curriculum
    archive: Archive | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def taxonomy(self) -> Taxonomy:
        """Competencies, roles and credential pathway."""
        return self.curriculum.taxonomy

    def module(self, module_id: str, version: str | None = None) -> Module:
        """Return a module: the current version, or ``version`` when given and still on record.

        :raises AttemptNotFound: no such module.
        """
        try:
            current = self.curriculum.module(module_id)
        except KeyError:
            raise AttemptNotFound(f"There is no module '{module_id}' on this appliance.") from None
        if version is None or version == current.version or self.archive is None:
            return current
        return self.archive(module_id, version) or current

    def scenario(self, module_id: str, scenario_id: str, version: str | None = None) -> Scenario:
        """Return a scenario of a module (of ``version`` when given).

        :raises AttemptNotFound: no such module or scenario.
        """
        try:
            return self.module(module_id, version).scenario(scenario_id)
        except KeyError:
            raise AttemptNotFound(f"Module '{module_id}' has no scenario '{scenario_id}'.") from None

    def modules_for(self, hospital_role: str | None) -> tuple[Module, ...]:
        """Modules for a hospital role plus those meant for everyone (no roles, no competencies); every
        module when the role is unknown or assigns none."""
        modules = self.curriculum.modules_for_role(hospital_role) if hospital_role else ()
        if not modules:
            return self.curriculum.modules
        general = tuple(m for m in self.curriculum.modules if not m.roles and not m.competencies)
        return modules + tuple(m for m in general if m not in modules)

    def offer(self, module: Module) -> None:
        """Make ``module`` the current version learners get (new attempts; running ones keep theirs)."""
        with self._lock:
            modules = self.curriculum.modules
            if any(m.id == module.id for m in modules):
                modules = tuple(module if m.id == module.id else m for m in modules)
            else:
                modules = (*modules, module)
            self.curriculum = self.curriculum.model_copy(update={"modules": modules})
